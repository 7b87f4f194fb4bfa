/**
 * What a bench reports: printed as one JSON object on stdout (progress goes to stderr); bench/report.ts
 * turns every bench's object into a section of docs/performance.md.
 */
import type { Summary } from './stats';

export interface Measured extends Summary {
  /** What was measured, in a reader's words. */
  what: string;
  unit: 'ms' | 'MB' | 'MB/s' | 'calls';
}

export interface Goal {
  /** The goal as the issue states it. */
  goal: string;
  /** The figure that decides it, in words with its number. */
  measured: string;
  met: boolean;
  /** Why, when the goal is missed (or a caveat when it is met). */
  note?: string;
}

export interface BenchResult {
  bench: string;
  title: string;
  /** How the figures were taken. */
  method: string[];
  rows: Measured[];
  goals: Goal[];
  notes?: string[];
}

export function emit(result: BenchResult): void {
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

export function row(what: string, unit: Measured['unit'], summary: Summary): Measured {
  return { what, unit, ...summary };
}

/** A number for a sentence: 3 significant digits at most. */
export function fmt(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** Runs a bench's main; a failure prints its stack and exits 1, so `npm run bench` stops on it. */
export function runBench(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
