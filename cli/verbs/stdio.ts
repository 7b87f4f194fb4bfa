/**
 * The stdio verbs: `circuit stdin PATH` (copies its stdin to the container's, then closes it),
 * `circuit stdout PATH` and `circuit stderr PATH` (copy that stream from the start until the container
 * exits), and `circuit attach PATH` (both ways, interactive). Ctrl-C detaches: the container runs on and
 * its stdin stays open.
 */
import type { OutputStream } from '../../protocol';
import { CliError } from '../format';
import { ClientSession, type OutputSink } from '../session';
import { INTERRUPTED, type VerbContext } from './context';

/** Input is sent in requests of at most this many bytes. */
const INPUT_CHUNK = 256 * 1024;

export async function stdin(ctx: VerbContext): Promise<number> {
  const server = await ctx.server();
  // Output is not wanted here: acknowledged and dropped, from the attach on.
  const session = await ClientSession.open(server, ctx.args[0]!, false, async () => undefined);
  ctx.onInterrupt(async () => {
    await session.detach().catch(() => undefined);
    return INTERRUPTED;
  });
  await copyInput(process.stdin, session);
  await session.closeStdin();
  await session.detach();
  return 0;
}

export function stdout(ctx: VerbContext): Promise<number> {
  return copyOutput(ctx, 'stdout');
}

export function stderr(ctx: VerbContext): Promise<number> {
  return copyOutput(ctx, 'stderr');
}

/** One of the container's streams, from its first byte, to this process's stdout. */
async function copyOutput(ctx: VerbContext, wanted: OutputStream): Promise<number> {
  const server = await ctx.server();
  const gone = new OutputGone();
  const session = await ClientSession.open(server, ctx.args[0]!, true, gone.guard(async (stream, data) => {
    if (stream === wanted) await ctx.out(data);
  }));
  return follow(ctx, session, gone);
}

/** `circuit attach PATH`: the container's output (replayed from its start unless --no-replay) and our stdin to its stdin. */
export async function attach(ctx: VerbContext): Promise<number> {
  const server = await ctx.server();
  const gone = new OutputGone();
  const session = await ClientSession.open(server, ctx.args[0]!, !ctx.flags.has('--no-replay'), gone.guard(async (stream, data) => {
    await (stream === 'stdout' ? ctx.out(data) : ctx.err(data));
  }));
  // Our stdin's end closes the container's stdin (it sees end-of-file), as `docker attach` does.
  const input = copyInput(process.stdin, session).then(() => session.closeStdin());
  input.catch(() => undefined);
  const status = await follow(ctx, session, gone);
  process.stdin.pause();
  return status;
}

/** Waits for the session to end: the container exited or was scrubbed (0), the host was lost (error), Ctrl-C (detach). */
async function follow(ctx: VerbContext, session: ClientSession, gone: OutputGone): Promise<number> {
  ctx.onInterrupt(async () => {
    await session.detach().catch(() => undefined);
    return INTERRUPTED;
  });
  const reason = await Promise.race([session.ended, gone.closed.then(() => 'output-closed' as const)]);
  if (reason === 'output-closed') {
    // Our reader went away (`circuit stdout /x | head -1`): that is the end we were asked for.
    await session.detach().catch(() => undefined);
    return 0;
  }
  if (reason === 'host-lost') throw new CliError('host-lost', `The connection to the host of ${ctx.args[0]} was lost; the container may still run.`);
  return 0;
}

/** Input from a stream, one request at a time, the stream paused meanwhile. */
async function copyInput(from: NodeJS.ReadableStream, session: ClientSession): Promise<void> {
  for await (const chunk of from) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let at = 0; at < data.length; at += INPUT_CHUNK) await session.input(data.subarray(at, at + INPUT_CHUNK));
  }
}

/** Notices that our own output went away (EPIPE), so the session can end quietly. */
class OutputGone {
  private markClosed!: () => void;
  readonly closed = new Promise<void>((resolve) => (this.markClosed = resolve));

  guard(sink: OutputSink): OutputSink {
    return async (stream, data) => {
      try {
        await sink(stream, data);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'ERR_STREAM_DESTROYED') this.markClosed();
        else throw err;
      }
    };
  }
}
