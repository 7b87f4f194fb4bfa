/**
 * A session's place in a container's log, so that a read of the log that starts again (after the
 * engine's follow ended early) skips exactly what the session already got: nothing doubled, nothing
 * lost. Pure.
 *
 * The engine copies stdout and stderr into the log separately: each stream's entries are in time order,
 * but the two interleave out of it (an stderr entry stamped before the stdout entry written ahead of
 * it). So the place is kept per stream (LogPlace), each the time of its last entry taken and how many
 * entries with exactly that time were taken (entries may share a nanosecond).
 */

/**
 * How far out of time order the engine may write the two streams' entries: a stream's copier stamps an
 * entry when it reads the container's pipe, then waits its turn to write it. Milliseconds in practice;
 * a re-read starts this much earlier than the latest entry taken, and the per-stream places skip the rest.
 */
export const DISORDER_SECONDS = 10;

const TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/;

/** An engine log time ("2024-05-01T10:00:00.123456789Z") as a key that sorts as time does; undefined if not one. */
export function timeKey(time: string): string | undefined {
  const m = TIME.exec(time);
  if (!m) return undefined;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}`;
}

/** The place in the log of each of a container's output streams. */
export class LogPlace {
  private readonly cursors = new Map<string, LogCursor>();

  /** Starts every stream just past an entry the session is not to get (a live-only session's start). */
  seed(key: string): void {
    for (const stream of ['stdout', 'stderr']) this.cursor(stream).seed(key);
  }

  /** A new read of the log begins at since(). */
  beginRead(): void {
    for (const cursor of this.cursors.values()) cursor.beginRead();
  }

  /** Whether an entry of `stream` with this time key is new to the session; a new one moves that stream's place past it. */
  take(stream: string, key: string): boolean {
    return this.cursor(stream).take(key);
  }

  /**
   * The Engine API's `since` for a read that misses nothing not yet taken: DISORDER_SECONDS before the
   * latest entry taken of any stream. An entry of a stream not yet seen that lies past where the last
   * read stopped was written after every entry read, so it is stamped no earlier than that.
   */
  since(): string | undefined {
    let latest: string | undefined;
    for (const cursor of this.cursors.values()) if (cursor.time !== undefined && (latest === undefined || cursor.time > latest)) latest = cursor.time;
    if (latest === undefined) return undefined;
    const [base, nanos] = latest.split('.') as [string, string];
    const seconds = Math.floor(Date.parse(base + 'Z') / 1000) - DISORDER_SECONDS;
    return seconds <= 0 ? undefined : `${seconds}.${nanos}`;
  }

  private cursor(stream: string): LogCursor {
    let cursor = this.cursors.get(stream);
    if (!cursor) this.cursors.set(stream, (cursor = new LogCursor()));
    return cursor;
  }
}

/** The place of one stream: the time of its last entry taken and how many were taken at exactly that time. */
export class LogCursor {
  private last: string | undefined;
  private takenAtLast = 0;
  private skipAtLast = 0;

  /** The time of the last entry taken (as a key), if any. */
  get time(): string | undefined {
    return this.last;
  }

  /** Starts the cursor just past an entry the session is not to get (a live-only session's start). */
  seed(key: string): void {
    this.last = key;
    this.takenAtLast = 1;
    this.skipAtLast = 0;
  }

  /** A new read of the log begins at `since` = this cursor's time: the entries at that time already taken come again. */
  beginRead(): void {
    this.skipAtLast = this.takenAtLast;
  }

  /** Whether an entry with this time key is new to the session; a new one moves the cursor past it. */
  take(key: string): boolean {
    if (this.last === undefined || key > this.last) {
      this.last = key;
      this.takenAtLast = 1;
      this.skipAtLast = 0;
      return true;
    }
    if (key < this.last) return false;
    if (this.skipAtLast > 0) {
      this.skipAtLast--;
      return false;
    }
    this.takenAtLast++;
    return true;
  }

  /** The Engine API's `since` for a read from this cursor on ("seconds.nanoseconds"), or undefined for the start. */
  since(): string | undefined {
    if (this.last === undefined) return undefined;
    const [base, nanos] = this.last.split('.') as [string, string];
    return `${Math.floor(Date.parse(base + 'Z') / 1000)}.${nanos}`;
  }
}
