/**
 * A container's stdin, as this server holds it. Containers run with OpenStdin and StdinOnce: the engine
 * gives the container end-of-file when the first attachment that carried stdin ends. So the server opens
 * one stdin attachment per container at the first circuit/input (not at make, not at attach) and holds
 * it until circuit/closeStdin, the container's exit or the server's own end; sessions come and go
 * without closing stdin by accident.
 */
import type { Duplex } from 'node:stream';
import { CircuitError, asCircuitError, engineStatus } from '../errors';
import type { Host } from '../engine/host';
import { openStdin } from './engineStreams';

type State = { kind: 'idle' } | { kind: 'open'; socket: Duplex } | { kind: 'closed' } | { kind: 'gone' };

export class ContainerStdin {
  private state: State = { kind: 'idle' };
  private opening: Promise<Duplex> | undefined;
  /** Writes and the close go one after the other, in the order they were asked for. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly host: Host,
    readonly id: string,
    readonly path: string,
  ) {}

  /** True once stdin can take no more input from this server (closed, or the container is gone). */
  get finished(): boolean {
    return this.state.kind === 'closed' || this.state.kind === 'gone';
  }

  /** Writes bytes to the container's stdin; resolves once they are handed to the engine. */
  write(data: Buffer): Promise<void> {
    return this.enqueue(async () => {
      const socket = await this.open();
      await new Promise<void>((resolve, reject) => {
        socket.write(data, (err) => (err ? reject(this.lost(err)) : resolve()));
      });
    });
  }

  /** Closes the container's stdin: it reads end-of-file. Idempotent. */
  close(): Promise<void> {
    return this.enqueue(async () => {
      if (this.state.kind === 'closed') return;
      const socket = await this.open();
      this.state = { kind: 'closed' };
      // Half-close: the engine reads end-of-file and closes the container's stdin; the attachment itself
      // stays until the container exits (the engine holds it), and is dropped then.
      await new Promise<void>((resolve) => socket.end(() => resolve()));
    });
  }

  /** The container exited or the server ends: drop the attachment (the engine then closes stdin, too). */
  dispose(): void {
    if (this.state.kind === 'open') {
      const { socket } = this.state;
      socket.end();
      socket.destroy();
    }
    if (this.state.kind !== 'closed') this.state = { kind: 'gone' };
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const next = this.chain.then(job, job);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async open(): Promise<Duplex> {
    if (this.state.kind === 'open') return this.state.socket;
    if (this.state.kind === 'closed') throw new CircuitError('not-running', `The stdin of ${this.path} is closed (circuit/closeStdin): a container's stdin takes one writer, once.`);
    if (this.state.kind === 'gone') throw new CircuitError('not-running', `The element at ${this.path} is not running, so its stdin takes no input.`);
    this.opening ??= this.attach();
    try {
      return await this.opening;
    } finally {
      this.opening = undefined;
    }
  }

  private async attach(): Promise<Duplex> {
    const inspect = await this.host.inspect(this.id).catch((err: unknown) => {
      throw asCircuitError(err);
    });
    if (!inspect) throw new CircuitError('no-element', `There is no element at ${this.path}.`);
    if (!inspect.State.Running) throw new CircuitError('not-running', `The element at ${this.path} is not running, so its stdin takes no input.`);
    let socket: Duplex;
    try {
      socket = await openStdin(this.host.docker, this.id);
    } catch (err) {
      if (engineStatus(err)?.statusCode === 404) throw new CircuitError('no-element', `There is no element at ${this.path}.`);
      throw asCircuitError(err);
    }
    // Nothing comes back on a stdin-only attachment, but read it so its end is seen.
    socket.resume();
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.state.kind === 'open' && this.state.socket === socket) this.state = { kind: 'gone' };
    });
    this.state = { kind: 'open', socket };
    return socket;
  }

  private lost(err: Error): CircuitError {
    this.state = { kind: 'gone' };
    return new CircuitError('not-running', `The stdin of ${this.path} closed before the input was written (${err.message}); the container has probably exited.`);
  }
}
