/**
 * What a verb gets from main: its arguments, the server (started on first use), the output streams,
 * and a way to take over Ctrl-C.
 */
import type { ServerConnection } from '../connection';

export interface VerbContext {
  /** The positional arguments after the verb. */
  readonly args: readonly string[];
  /** Flags given (`-l`, `--scrub`, ...) and option values (`-f FILE`). */
  readonly flags: ReadonlySet<string>;
  readonly options: ReadonlyMap<string, string>;
  /** `--json`: JSON output for every verb. */
  readonly json: boolean;
  /** The server, started and initialized on first use. */
  server(): Promise<ServerConnection>;
  /** Writes to stdout; resolves once written (rejects when stdout is gone, e.g. a closed pipe). */
  out(data: string | Buffer): Promise<void>;
  /** Writes to stderr; resolves once written. */
  err(data: string | Buffer): Promise<void>;
  /** Ctrl-C calls this (once) instead of ending the command; it resolves with the exit status. */
  onInterrupt(handler: () => Promise<number>): void;
  /** Resolves when Ctrl-C was pressed. */
  readonly interrupted: Promise<void>;
}

/** The exit status after Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED = 130;
