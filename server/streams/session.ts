/**
 * One stdio session: a client reading one container's stdout and stderr, from the container's log.
 *
 * Output comes from the engine's log (GET /containers/{id}/logs, follow, timestamps), read by this
 * session alone: the log is one ordered record of both streams, so a replay runs straight into live
 * output with nothing lost or doubled, and a session that stops reading holds up only its own HTTP
 * response, never the container nor another session. The engine's follow can end before the last
 * entries when the container stops (Docker 20.10 drops what a lagging follower has not read yet), so
 * after a follow ends the session reads the log once more from its place and skips what it already
 * has. See docs/streams.md.
 *
 * Flow control: at most WINDOW_BYTES sent and not yet acknowledged. At the window the session stops
 * reading its engine response (TCP / socket backpressure does the rest); what it holds meanwhile is at
 * most the one chunk it was reading.
 */
import type { IncomingMessage } from 'node:http';
import type { DetachReason, OutputStream } from '../../protocol';
import { engineStatus } from '../errors';
import type { Host } from '../engine/host';
import { LogPlace, timeKey } from './cursor';
import { lastLogTime, openLog, type LogQuery } from './engineStreams';
import { FrameReader } from './frames';

/** Unacknowledged output bytes (decoded) a session may have in flight. */
export const WINDOW_BYTES = 1024 * 1024;
/** The largest circuit/output payload (decoded). */
const MAX_OUTPUT_BYTES = 64 * 1024;
/**
 * The least the window must have room for before output that does not fit whole is cut to fit: without
 * it, every ack of a full window would free a few bytes and send a message of a few bytes (the "silly
 * window" of TCP), and 50 MB went out as a million messages of 44 bytes.
 */
const MIN_CUT_BYTES = 16 * 1024;
const MAX_REFOLLOW_DELAY_MS = 1000;

/** The container a session reads. */
export interface SessionTarget {
  host: Host;
  /** The container id. */
  id: string;
  /** The anchor path, as the server writes it. */
  path: string;
}

/** Where a session's messages go. */
export interface SessionSink {
  output(stream: OutputStream, data: Buffer): void;
  /** Called once, when the session ends. */
  detached(reason: DetachReason): void;
}

interface Queued {
  stream: OutputStream;
  data: Buffer;
}

export class Session {
  private unacked = 0;
  private readonly queue: Queued[] = [];
  private readonly place = new LogPlace();
  private source: IncomingMessage | undefined;
  private paused = false;
  private flushScheduled = false;
  private finished = false;
  private firstRead: IncomingMessage | undefined;
  private drainWaiters: (() => void)[] = [];

  constructor(
    readonly id: string,
    readonly target: SessionTarget,
    private readonly replay: boolean,
    private readonly sink: SessionSink,
    private readonly log: (message: string) => void,
  ) {}

  get ended(): boolean {
    return this.finished;
  }

  /** Bytes sent and not yet acknowledged. */
  get inFlight(): number {
    return this.unacked;
  }

  /**
   * Opens the first read of the log, before the client is told the session exists, so that an engine
   * refusal is the attach's error. A live-only session first notes where the log ends now.
   */
  async prepare(): Promise<void> {
    const { docker } = this.target.host;
    if (!this.replay) {
      const time = await lastLogTime(docker, this.target.id);
      const key = time === undefined ? undefined : timeKey(time);
      if (key !== undefined) this.place.seed(key);
    }
    this.firstRead = await openLog(docker, this.target.id, this.replay ? { follow: true } : { follow: true, tail: '0' });
  }

  /** Starts sending output; call once the client has the session id. */
  start(): void {
    this.run().catch((err: unknown) => this.failed(err));
  }

  /** The client consumed `bytes` of output. */
  ack(bytes: number): void {
    if (this.finished) return;
    this.unacked = Math.max(0, this.unacked - bytes);
    this.flush();
  }

  /** Ends the session at once (client detach, lost host, server end). */
  end(reason: DetachReason | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.queue.length = 0;
    this.firstRead?.destroy();
    this.source?.destroy();
    for (const w of this.drainWaiters.splice(0)) w();
    if (reason !== undefined) this.sink.detached(reason);
  }

  // -------------------------------------------------------------------------------------------------

  private async run(): Promise<void> {
    const { host, id } = this.target;
    let follow = true;
    let refollowDelay = 50;
    for (let read = 0; !this.finished; read++) {
      let stream: IncomingMessage;
      if (read === 0 && this.firstRead) {
        stream = this.firstRead;
        this.firstRead = undefined;
      } else {
        const since = this.place.since();
        const query: LogQuery = since === undefined ? { follow } : { follow, since };
        stream = await openLog(host.docker, id, query);
        this.place.beginRead();
      }
      await this.pump(stream);
      if (this.finished) return;
      const inspect = await host.inspect(id);
      if (!inspect || inspect.State.Status === 'removing') return this.finishAfterOutput('scrubbed');
      if (inspect.State.Running) {
        // The engine ended a follow of a running container (it does on a log rotation race): follow again.
        follow = true;
        await new Promise((r) => setTimeout(r, refollowDelay));
        refollowDelay = Math.min(refollowDelay * 2, MAX_REFOLLOW_DELAY_MS);
        continue;
      }
      if (follow) {
        // The container stopped: read the rest of its log once, without following.
        follow = false;
        continue;
      }
      return this.finishAfterOutput('exited');
    }
  }

  /** Reads one engine response into the queue, at the pace the window allows; resolves when it ends. */
  private pump(stream: IncomingMessage): Promise<void> {
    this.source = stream;
    this.paused = false;
    const reader = new FrameReader(true);
    let skipping = false;
    return new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => {
        if (this.finished) return;
        let pieces;
        try {
          pieces = reader.push(chunk);
        } catch (err) {
          stream.destroy();
          reject(err);
          return;
        }
        // Consecutive bytes of one stream in this chunk go out together.
        let run: { stream: OutputStream; parts: Buffer[]; size: number } | undefined;
        const close = () => {
          if (!run) return;
          const last = this.queue[this.queue.length - 1];
          // Small reads waiting behind a full window join the one before them: fewer, larger messages.
          if (last && last.stream === run.stream && last.data.length + run.size <= MAX_OUTPUT_BYTES) {
            this.queue[this.queue.length - 1] = { stream: run.stream, data: Buffer.concat([last.data, ...run.parts], last.data.length + run.size) };
          } else {
            this.queue.push({ stream: run.stream, data: run.parts.length === 1 ? run.parts[0]! : Buffer.concat(run.parts, run.size) });
          }
          run = undefined;
        };
        for (const piece of pieces) {
          if (piece.first) {
            const key = piece.time === undefined ? undefined : timeKey(piece.time);
            skipping = key !== undefined && !this.place.take(piece.stream, key);
          }
          if (skipping || piece.data.length === 0) continue;
          if (piece.stream === 'system') {
            this.log(`${this.target.path}: the engine says: ${piece.data.toString('utf8').trim()}`);
            continue;
          }
          const out: OutputStream = piece.stream === 'stderr' ? 'stderr' : 'stdout';
          if (run && run.stream !== out) close();
          run ??= { stream: out, parts: [], size: 0 };
          run.parts.push(piece.data);
          run.size += piece.data.length;
        }
        close();
        // Hold at most about one message's worth read ahead of the flush.
        if (this.queuedBytes() >= MAX_OUTPUT_BYTES) this.pause();
        this.scheduleFlush();
      });
      // A broken response (the container removed, the engine gone) ends this read like its end does: the
      // loop then asks the engine what became of the container.
      stream.on('error', () => resolve());
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
    });
  }

  private pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.source?.pause();
  }

  private queuedBytes(): number {
    let n = 0;
    for (const item of this.queue) n += item.data.length;
    return n;
  }

  /** Flushes once the reads of this turn of the event loop are queued: they go out together. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Sends what the window allows; pauses the engine response while anything waits, resumes when nothing does. */
  private flush(): void {
    while (this.queue.length > 0 && this.unacked < WINDOW_BYTES && !this.finished) {
      const room = Math.min(WINDOW_BYTES - this.unacked, MAX_OUTPUT_BYTES);
      const item = this.queue[0]!;
      if (item.data.length > room && room < MIN_CUT_BYTES) break;
      let data: Buffer;
      if (item.data.length <= room) {
        data = item.data;
        this.queue.shift();
      } else {
        data = item.data.subarray(0, room);
        item.data = item.data.subarray(room);
      }
      this.unacked += data.length;
      this.sink.output(item.stream, data);
    }
    if (this.finished) return;
    if (this.queue.length > 0) {
      this.pause();
    } else {
      if (this.paused) {
        this.paused = false;
        this.source?.resume();
      }
      for (const w of this.drainWaiters.splice(0)) w();
    }
  }

  /** Ends with `reason` once every byte read has been sent (the client may still be acking). */
  private async finishAfterOutput(reason: DetachReason): Promise<void> {
    if (this.queue.length > 0) await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    this.end(reason);
  }

  private failed(err: unknown): void {
    if (this.finished) return;
    const { host, path } = this.target;
    const status = engineStatus(err)?.statusCode;
    // 404: removed; 409: "dead or marked for removal", being removed.
    if (status === 404 || status === 409) {
      void this.finishAfterOutput('scrubbed');
      return;
    }
    if (!host.connected || isConnectionError(err)) {
      this.end('host-lost');
      return;
    }
    this.log(`${path}: the output session ${this.id} failed: ${err instanceof Error ? err.message : String(err)}`);
    this.end('host-lost');
  }
}

function isConnectionError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ENOENT' || code === 'EPIPE' || code === 'ETIMEDOUT' || code === 'ECONNABORTED';
}
