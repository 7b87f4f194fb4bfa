/**
 * Docker's multiplexed stream format, read incrementally: each frame is an 8-byte header (byte 0 the
 * stream: 0 stdin, 1 stdout, 2 stderr, 3 the engine's own error text; bytes 4-7 the payload length,
 * big-endian) and its payload. With `timestamps=1` on the logs endpoint, every payload starts with the
 * log entry's time (RFC 3339, nanoseconds) and a space.
 *
 * Pure and zero-copy: payload pieces are views into the chunks pushed. The only state kept between
 * chunks is a partial header or time prefix (a few dozen bytes), so a frame of any size never makes the
 * reader buffer it: it is handed on piece by piece as its bytes arrive.
 */

export type FrameStream = 'stdin' | 'stdout' | 'stderr' | 'system';

const STREAMS: readonly FrameStream[] = ['stdin', 'stdout', 'stderr', 'system'];

/** A time prefix longer than this is not one: the stream is not what it claims to be. */
const MAX_TIME_LENGTH = 64;

/** A piece of one frame's payload. */
export interface FramePiece {
  stream: FrameStream;
  /** The log entry's time as the engine wrote it (with timestamps), else undefined. */
  time: string | undefined;
  /** True for the first piece of a frame (possibly with empty data: a frame that held only its time). */
  first: boolean;
  data: Buffer;
}

export class FrameFormatError extends Error {}

export class FrameReader {
  private header = Buffer.alloc(8);
  private headerFill = 0;
  private timeBytes: number[] = [];
  /** Payload bytes of the current frame still to come (time prefix included while it is being read). */
  private remaining = 0;
  private stream: FrameStream = 'stdout';
  private time: string | undefined;
  private inTime = false;
  private firstPending = false;

  constructor(private readonly timestamps: boolean) {}

  /** True between frames: nothing of a frame is pending. */
  get atBoundary(): boolean {
    return this.headerFill === 0 && this.remaining === 0;
  }

  /** The pieces of payload in `chunk`, in order. Throws FrameFormatError on a malformed stream. */
  push(chunk: Buffer): FramePiece[] {
    const pieces: FramePiece[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining === 0) {
        // Reading a header.
        const take = Math.min(8 - this.headerFill, chunk.length - at);
        chunk.copy(this.header, this.headerFill, at, at + take);
        this.headerFill += take;
        at += take;
        if (this.headerFill < 8) break;
        this.headerFill = 0;
        const kind = this.header[0]!;
        if (kind > 3 || this.header[1] !== 0 || this.header[2] !== 0 || this.header[3] !== 0) {
          throw new FrameFormatError(`not a multiplexed stream: header ${this.header.toString('hex')}`);
        }
        this.stream = STREAMS[kind]!;
        this.remaining = this.header.readUInt32BE(4);
        this.time = undefined;
        this.inTime = this.timestamps;
        this.firstPending = true;
        if (this.remaining === 0) {
          if (this.timestamps) throw new FrameFormatError('an empty frame where a time was expected');
          pieces.push({ stream: this.stream, time: undefined, first: true, data: chunk.subarray(at, at) });
          this.firstPending = false;
        }
        continue;
      }
      if (this.inTime) {
        // Reading the time prefix, up to its space.
        while (at < chunk.length && this.remaining > 0) {
          const byte = chunk[at++]!;
          this.remaining--;
          if (byte === 0x20) {
            this.inTime = false;
            break;
          }
          this.timeBytes.push(byte);
          if (this.timeBytes.length > MAX_TIME_LENGTH) throw new FrameFormatError('a log entry without a time prefix');
        }
        if (this.inTime && this.remaining === 0) throw new FrameFormatError('a log entry without a time prefix');
        if (!this.inTime) {
          this.time = Buffer.from(this.timeBytes).toString('latin1');
          this.timeBytes = [];
          if (this.remaining === 0) {
            pieces.push({ stream: this.stream, time: this.time, first: true, data: chunk.subarray(at, at) });
            this.firstPending = false;
          }
        }
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - at);
      pieces.push({ stream: this.stream, time: this.time, first: this.firstPending, data: chunk.subarray(at, at + take) });
      this.firstPending = false;
      this.remaining -= take;
      at += take;
    }
    return pieces;
  }
}
