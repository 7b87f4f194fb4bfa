import type { MessageConnection } from 'vscode-jsonrpc/node';
import { AckNotification, AttachRequest, type DetachReason, DetachedNotification, OutputNotification, type OutputStream } from '../../protocol';

/** What a test client saw of one stdio session. */
export class RecordedSession {
  readonly chunks: { stream: OutputStream; data: Buffer }[] = [];
  /** Decoded bytes received, per stream and in all. */
  readonly bytes = { stdout: 0, stderr: 0, total: 0 };
  reason: DetachReason | undefined;
  readonly detached: Promise<DetachReason>;
  private markDetached!: (reason: DetachReason) => void;
  private readonly watchers = new Set<() => void>();

  constructor(
    readonly id: string,
    /** Keep the bytes (tests of content) or only count them (tests of volume). */
    readonly keep: boolean,
  ) {
    this.detached = new Promise((resolve) => (this.markDetached = resolve));
  }

  stdout(): Buffer {
    return Buffer.concat(this.chunks.filter((c) => c.stream === 'stdout').map((c) => c.data));
  }

  stderr(): Buffer {
    return Buffer.concat(this.chunks.filter((c) => c.stream === 'stderr').map((c) => c.data));
  }

  /** Resolves once `check` holds after some output (or at once); rejects after `timeoutMs`. */
  until(check: (s: RecordedSession) => boolean, timeoutMs = 10_000, what = 'output'): Promise<void> {
    if (check(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const watcher = () => {
        if (!check(this)) return;
        this.watchers.delete(watcher);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.watchers.delete(watcher);
        reject(new Error(`${what} did not come within ${timeoutMs} ms (got ${this.bytes.total} bytes${this.reason ? `, detached: ${this.reason}` : ''})`));
      }, timeoutMs);
      this.watchers.add(watcher);
    });
  }

  /** @internal */
  received(stream: OutputStream, data: Buffer): void {
    if (this.keep) this.chunks.push({ stream, data });
    this.bytes[stream] += data.length;
    this.bytes.total += data.length;
    for (const w of [...this.watchers]) w();
  }

  /** @internal */
  ended(reason: DetachReason): void {
    this.reason = reason;
    this.markDetached(reason);
    for (const w of [...this.watchers]) w();
  }
}

/**
 * The client side of circuit/attach for tests: routes circuit/output and circuit/detached to recorded
 * sessions, and acks what it received unless told not to (a client that never acks).
 */
export class SessionClient {
  private readonly sessions = new Map<string, { recorded: RecordedSession; ack: boolean }>();
  /** Messages that arrived before the attach answer was handled. */
  private readonly early = new Map<string, (() => void)[]>();

  constructor(private readonly connection: MessageConnection) {
    connection.onNotification(OutputNotification.type, ({ session, stream, data }) => {
      this.route(session, () => {
        const entry = this.sessions.get(session)!;
        const bytes = Buffer.from(data, 'base64');
        entry.recorded.received(stream, bytes);
        if (entry.ack) connection.sendNotification(AckNotification.type, { session, bytes: bytes.length }).catch(() => undefined);
      });
    });
    connection.onNotification(DetachedNotification.type, ({ session, reason }) => {
      this.route(session, () => this.sessions.get(session)!.recorded.ended(reason));
    });
  }

  async attach(path: string, options: { replay?: boolean; ack?: boolean; keep?: boolean } = {}): Promise<RecordedSession> {
    const { session } = await this.connection.sendRequest(AttachRequest.type, { path, replay: options.replay ?? true });
    const recorded = new RecordedSession(session, options.keep ?? true);
    this.sessions.set(session, { recorded, ack: options.ack ?? true });
    for (const deliver of this.early.get(session) ?? []) deliver();
    this.early.delete(session);
    return recorded;
  }

  private route(session: string, deliver: () => void): void {
    if (this.sessions.has(session)) deliver();
    else this.early.set(session, [...(this.early.get(session) ?? []), deliver]);
  }
}
