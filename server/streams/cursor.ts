/**
 * A session's place in a container's log, so that a read of the log that starts again (after the
 * engine's follow ended early) skips exactly what the session already got: nothing doubled, nothing
 * lost. The place is the time of the last log entry taken and how many entries with exactly that time
 * were taken (entries may share a nanosecond). Pure.
 */

const TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/;

/** An engine log time ("2024-05-01T10:00:00.123456789Z") as a key that sorts as time does; undefined if not one. */
export function timeKey(time: string): string | undefined {
  const m = TIME.exec(time);
  if (!m) return undefined;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}`;
}

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
