import { ScrubRequest } from '../../protocol';
import { json } from '../format';
import type { VerbContext } from './context';

/** `circuit scrub PATH`: stops the container if it runs, removes it, frees the anchor. */
export async function scrub(ctx: VerbContext): Promise<number> {
  const server = await ctx.server();
  const result = await server.request(ScrubRequest.type, { path: ctx.args[0]! });
  if (ctx.json) await ctx.out(json(result));
  return 0;
}
