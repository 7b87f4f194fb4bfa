import { PeekRequest } from '../../protocol';
import { json } from '../format';
import type { VerbContext } from './context';

/** `circuit peek PATH`: the element's status, the engine's inspect JSON whole. */
export async function peek(ctx: VerbContext): Promise<number> {
  const server = await ctx.server();
  await ctx.out(json(await server.request(PeekRequest.type, { path: ctx.args[0]! })));
  return 0;
}
