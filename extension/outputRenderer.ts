/**
 * Turns a container's output bytes into terminal text: UTF-8 decoded per stream (a character split across
 * chunks survives), bare LF made CRLF (the container has no TTY to do it), stderr in red. Counts the bytes
 * shown per stream, so that after a re-attach with replay (server restart, host back) the bytes already
 * shown are skipped: nothing is lost and nothing doubled. Pure.
 */
import { TextDecoder } from 'node:util';
import type { OutputStream } from '../protocol';

const RED = '\x1b[31m';
const DEFAULT_FG = '\x1b[39m';

export class OutputRenderer {
  private readonly decoders: Record<OutputStream, TextDecoder> = {
    stdout: new TextDecoder('utf-8'),
    stderr: new TextDecoder('utf-8'),
  };
  private readonly shown: Record<OutputStream, number> = { stdout: 0, stderr: 0 };
  private readonly skip: Record<OutputStream, number> = { stdout: 0, stderr: 0 };
  /** Whether the last text written ended a line (for placing the final exit line). */
  private atLineStart = true;

  /** Bytes shown so far on each stream. */
  get bytesShown(): Readonly<Record<OutputStream, number>> {
    return this.shown;
  }

  get endsLine(): boolean {
    return this.atLineStart;
  }

  /** A new session replays from the container's start: skip what was already shown. */
  replayFromStart(): void {
    this.skip.stdout = this.shown.stdout;
    this.skip.stderr = this.shown.stderr;
  }

  /** The terminal text for a chunk of one stream ('' when all of it was shown before). */
  render(stream: OutputStream, bytes: Uint8Array): string {
    let chunk = bytes;
    const skipping = this.skip[stream];
    if (skipping > 0) {
      const n = Math.min(skipping, chunk.length);
      this.skip[stream] -= n;
      chunk = chunk.subarray(n);
    }
    if (chunk.length === 0) return '';
    this.shown[stream] += chunk.length;
    const text = this.decoders[stream].decode(chunk, { stream: true }).replace(/\r?\n/g, '\r\n');
    if (text === '') return '';
    this.atLineStart = text.endsWith('\n');
    return stream === 'stderr' ? `${RED}${text}${DEFAULT_FG}` : text;
  }

  /** Records that the terminal itself wrote text (echo, notes), for `endsLine`. */
  wrote(text: string): void {
    if (text !== '') this.atLineStart = text.endsWith('\n');
  }
}

/** The last line a terminal shows when its container is gone or its session ends. */
export function endLine(reason: 'exited' | 'scrubbed' | 'host-lost' | 'gone' | 'stdin-closed', exitCode?: number | null): string {
  const dim = (s: string): string => `\x1b[2m${s}\x1b[22m`;
  switch (reason) {
    case 'exited':
      return dim(exitCode === undefined || exitCode === null ? '[container exited]' : `[container exited with code ${exitCode}]`);
    case 'scrubbed':
      return dim('[element scrubbed]');
    case 'host-lost':
      return dim('[host connection lost; re-attaching when it is back]');
    case 'gone':
      return dim('[no element at this anchor any more]');
    case 'stdin-closed':
      return dim('[stdin closed]');
  }
}
