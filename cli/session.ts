/**
 * The client side of one stdio session: output handed to a sink in order and acknowledged once the sink
 * took it (so a slow terminal or pipe slows the container's log reading, never the CLI's memory), input
 * written in order, detach.
 */
import { ResponseError } from 'vscode-jsonrpc/node';
import {
  AckNotification,
  type CircuitErrorData,
  errorCodes,
  AttachRequest,
  CloseStdinRequest,
  type DetachReason,
  DetachedNotification,
  DetachRequest,
  InputRequest,
  OutputNotification,
  type OutputStream,
} from '../protocol';
import type { ServerConnection } from './connection';
import { reasonOf } from './format';

/** Takes output; resolves once it is written (then it is acknowledged). */
export type OutputSink = (stream: OutputStream, data: Buffer) => Promise<void>;

export class ClientSession {
  /** Resolves with the reason once the session ended and all of its output went to the sink. */
  readonly ended: Promise<DetachReason>;
  private markEnded!: (reason: DetachReason) => void;
  private written: Promise<void> = Promise.resolve();
  private id: string | undefined;
  /** Set as soon as the server says the session ended (ended resolves later, once output is written). */
  private endReason: DetachReason | undefined;
  private readonly early: (() => void)[] = [];
  private readonly subscriptions: { dispose(): void }[];

  private constructor(
    private readonly server: ServerConnection,
    private readonly sink: OutputSink,
  ) {
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
    const { rpc } = server;
    this.subscriptions = [
      rpc.onNotification(OutputNotification.type, ({ session, stream, data }) => this.route(session, () => this.output(stream, data))),
      rpc.onNotification(DetachedNotification.type, ({ session, reason }) => this.route(session, () => this.detached(reason))),
    ];
  }

  static async open(server: ServerConnection, path: string, replay: boolean, sink: OutputSink): Promise<ClientSession> {
    const session = new ClientSession(server, sink);
    try {
      const { session: id } = await server.request(AttachRequest.type, { path, replay });
      session.id = id;
    } catch (err) {
      session.dispose();
      throw err;
    }
    for (const deliver of session.early.splice(0)) deliver();
    return session;
  }

  get session(): string {
    return this.id!;
  }

  async input(data: Buffer): Promise<void> {
    await this.server.request(InputRequest.type, { session: this.session, data: data.toString('base64') }).catch((err: unknown) => this.explain(err));
  }

  async closeStdin(): Promise<void> {
    await this.server.request(CloseStdinRequest.type, { session: this.session }).catch((err: unknown) => this.explain(err));
  }

  /**
   * A session whose container exited ends at once, so input to it may meet no-session; the user's
   * problem is that the container is not running, and that is what the error says then.
   */
  private explain(err: unknown): never {
    if (reasonOf(err) === 'no-session' && (this.endReason === 'exited' || this.endReason === 'scrubbed')) {
      const data: CircuitErrorData = { reason: 'not-running' };
      throw new ResponseError(errorCodes['not-running'], `The element ${this.endReason === 'exited' ? 'exited' : 'was scrubbed'}, so its stdin takes no input.`, data);
    }
    throw err;
  }

  /** Ends the session (the container runs on); a session that already ended is fine. */
  async detach(): Promise<void> {
    try {
      await this.server.request(DetachRequest.type, { session: this.session });
    } catch (err) {
      if (reasonOf(err) !== 'no-session') throw err;
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private route(session: string, deliver: () => void): void {
    if (this.id === undefined) this.early.push(() => session === this.id && deliver());
    else if (session === this.id) deliver();
  }

  private output(stream: OutputStream, base64: string): void {
    const data = Buffer.from(base64, 'base64');
    this.written = this.written.then(async () => {
      await this.sink(stream, data);
      await this.server.rpc.sendNotification(AckNotification.type, { session: this.session, bytes: data.length }).catch(() => undefined);
    });
  }

  private detached(reason: DetachReason): void {
    this.endReason = reason;
    void this.written.then(
      () => this.markEnded(reason),
      () => this.markEnded(reason),
    );
  }
}
