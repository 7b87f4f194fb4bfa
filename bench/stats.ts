/** Timing and summaries for the benches: every figure is a median and a p95 over repetitions. */
import { performance } from 'node:perf_hooks';

export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
}

/** Median, p95 (nearest rank) and minimum of a sample. */
export function summarize(sample: readonly number[]): Summary {
  if (sample.length === 0) throw new Error('an empty sample has no summary');
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { n: sorted.length, median: rank(0.5), p95: rank(0.95), min: sorted[0] };
}

/** How long an async call takes, in milliseconds. */
export async function timed(call: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await call();
  return performance.now() - start;
}

/**
 * Runs several contenders in turn, `rounds` times each (after `warmup` untimed rounds), so that the
 * machine's noise falls on all of them alike. Returns each contender's sample in milliseconds.
 */
export async function interleaved<K extends string>(contenders: Record<K, (round: number) => Promise<unknown>>, rounds: number, warmup = 5): Promise<Record<K, number[]>> {
  const keys = Object.keys(contenders) as K[];
  const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < warmup + rounds; round++) {
    for (const k of keys) {
      const ms = await timed(() => contenders[k](round));
      if (round >= warmup) samples[k].push(ms);
    }
  }
  return samples;
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
