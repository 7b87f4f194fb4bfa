import { SignalRequest } from '../../protocol';
import { json } from '../format';
import type { VerbContext } from './context';

/** `circuit signal SIG PATH`: delivers a signal to the container through the Engine API. */
export async function signal(ctx: VerbContext): Promise<number> {
  const [name, path] = ctx.args as [string, string];
  const server = await ctx.server();
  const result = await server.request(SignalRequest.type, { path, signal: name });
  if (ctx.json) await ctx.out(json(result));
  return 0;
}
