/**
 * What the `circuit` command prints: tables for people, JSON for programs, one line per failure, and
 * spec problems as a compiler writes them. Pure: strings in, strings out.
 */
import { ErrorCodes, ResponseError } from 'vscode-jsonrpc/node';
import type { AnchorInfo, HostStatus } from '../protocol';

/** A failure of the command itself (usage, a file, the server process), with its exit status. */
export class CliError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly status = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The one line a failure prints: `circuit: <reason>: <message>`. */
export function errorLine(err: unknown): string {
  if (err instanceof CliError) return `circuit: ${err.reason}: ${oneLine(err.message)}`;
  if (err instanceof ResponseError) {
    const data = err.data as { reason?: unknown; field?: unknown } | undefined;
    const reason = typeof data?.reason === 'string' ? data.reason : err.code === ErrorCodes.MethodNotFound ? 'not-supported' : `error ${err.code}`;
    const field = typeof data?.field === 'string' ? ` (field ${data.field})` : '';
    return `circuit: ${reason}: ${oneLine(err.message)}${field}`;
  }
  return `circuit: error: ${oneLine(err instanceof Error ? err.message : String(err))}`;
}

/** The reason of a failure, for the exit status and tests. */
export function reasonOf(err: unknown): string | undefined {
  if (err instanceof CliError) return err.reason;
  if (err instanceof ResponseError) {
    const reason = (err.data as { reason?: unknown } | undefined)?.reason;
    return typeof reason === 'string' ? reason : undefined;
  }
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

export function hostsTable(hosts: readonly HostStatus[]): string {
  return table(
    ['NAME', 'ENDPOINT', 'STATE', 'VERSION', 'NOTE'],
    hosts.map((h) => [
      h.name,
      h.docker,
      h.connected ? 'connected' : 'disconnected',
      h.serverVersion ?? '-',
      [h.error, h.insecure ? 'insecure: tcp without TLS' : undefined].filter(Boolean).join('; '),
    ]),
  );
}

/** `ls`: one path a line, as Circuit's ls printed them. */
export function anchorPaths(anchors: readonly AnchorInfo[]): string {
  return anchors.map((a) => a.path + '\n').join('');
}

/** `ls -l`: each anchor with its element. */
export function anchorTable(anchors: readonly AnchorInfo[]): string {
  return table(
    ['PATH', 'ELEMENT', 'STATE', 'EXIT', 'IMAGE', 'ID', 'CHILDREN'],
    anchors.map((a) => {
      const e = a.element;
      return [
        a.path,
        e ? e.kind + (e.scrub ? ' (scrub)' : '') : '-',
        e?.state ?? '-',
        e?.exitCode === null || e?.exitCode === undefined ? '-' : String(e.exitCode),
        e?.image ?? '-',
        e ? e.id.slice(0, 12) : '-',
        String(a.children),
      ];
    }),
  );
}

/** A spec problem as a compiler writes it: `file:line:column: severity: message [code]`. */
export interface SpecProblem {
  code: string;
  severity: string;
  message: string;
  offset: number;
}

export function problemLines(file: string, text: string, problems: readonly SpecProblem[]): string {
  return problems
    .map((p) => {
      const { line, column } = lineColumn(text, p.offset);
      return `${file}:${line}:${column}: ${p.severity}: ${oneLine(p.message)} [${p.code}]\n`;
    })
    .join('');
}

/** 1-based line and column (in characters) of an offset into text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: at - start + 1 };
}
