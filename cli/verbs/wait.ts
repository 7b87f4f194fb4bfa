import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { WaitRequest } from '../../protocol';
import { json } from '../format';
import { INTERRUPTED, type VerbContext } from './context';

/** How long a cancelled wait may take to answer before the CLI leaves anyway. */
const CANCEL_ANSWER_MS = 2000;

/** `circuit wait PATH`: blocks until the container exits, then prints its status. Ctrl-C cancels the wait. */
export async function wait(ctx: VerbContext): Promise<number> {
  const server = await ctx.server();
  const cancel = new CancellationTokenSource();
  const waiting = server.request(WaitRequest.type, { path: ctx.args[0]! }, cancel.token);
  ctx.onInterrupt(async () => {
    // $/cancelRequest; the server answers the wait with RequestCancelled.
    cancel.cancel();
    await Promise.race([waiting.catch(() => undefined), new Promise((r) => setTimeout(r, CANCEL_ANSWER_MS).unref())]);
    return INTERRUPTED;
  });
  const inspect = await waiting;
  await ctx.out(json(inspect));
  return 0;
}
