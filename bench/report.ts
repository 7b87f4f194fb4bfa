/**
 * Writes docs/performance.md from the benches' results: `node --import tsx bench/report.ts DIR`, DIR
 * holding one NAME.json per bench (its stdout) and NAME.log (its stderr). Benches that print a
 * BenchResult (bench/result.ts) get their method, rows and goals; any other JSON with median/p95 figures
 * is shown as a table of those figures. The page goes to stdout.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { docker } from '../test/support/engine';
import { type BenchResult, type Goal, type Measured, fmt } from './result';

/** Benches in the page's order; any other comes after them, by name. */
const ORDER = ['core', 'scale', 'streams', 'streamMemory', 'spec'];

/** Readable names for the figures of benches that print their own JSON. */
const LABELS: Record<string, Record<string, string>> = {
  spec: {
    diagnostics1MB: 'diagnostics of a 1 MB spec',
    diagnosticsEnv10k: 'diagnostics of a spec with 10,000 Env entries',
    open1000Specs: 'opening 1,000 spec files (diagnostics, outline, CodeLens and folding of each)',
  },
};
/**
 * Goals of the issue that a bench measures without stating them (its figures are its own): derived here
 * from its rows, so that the goals table is whole.
 */
const DERIVED: Record<string, (r: BenchResult) => Goal[]> = {
  streams: (r) => {
    const server = r.rows.find((x) => x.what.startsWith('circuit/attach'));
    const dockerode = r.rows.find((x) => x.what.startsWith('dockerode'));
    if (!server || !dockerode) return [];
    const share = server.median / dockerode.median;
    const goal: Goal = { goal: "Stdio throughput at least half of dockerode's rate", measured: `median ${fmt(server.median)} MB/s vs ${fmt(dockerode.median)} MB/s: ${fmt(share * 100)}%`, met: share >= 0.5 };
    if (share < 0.5) {
      goal.note = `circuit/attach carries the bytes to another process as base64 in JSON-RPC messages (4/3 the bytes, framed, parsed on both sides) and waits for acks past 1 MiB; dockerode reads the engine's stream in the same process. Its rate varied from ${fmt(dockerode.min)} to ${fmt(dockerode.p95)} MB/s over the rounds (the server's from ${fmt(server.min)} to ${fmt(server.p95)}), so the ratio moves with the yardstick's spread.`;
    }
    return [goal];
  },
};

const TITLES: Record<string, string> = { spec: 'Validation (the Run-spec language service, in process)', streams: 'Stdio throughput' };

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: bench/report.ts RESULTS_DIR');
  const names = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json') || f.endsWith('.log'))
    .map((f) => f.replace(/\.(json|log)$/, ''))
    .filter((n, i, all) => all.indexOf(n) === i)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

  const sections: string[] = [];
  const goals: (Goal & { bench: string })[] = [];
  for (const name of names) {
    const text = readIf(path.join(dir, `${name}.json`)).trim();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined) {
      const log = readIf(path.join(dir, `${name}.log`)).trim().split('\n').slice(-15).join('\n');
      sections.push(`## ${TITLES[name] ?? name}\n\nThe \`${name}\` bench did not finish in this run. The end of its log:\n\n\`\`\`\n${log}\n\`\`\`\n`);
      continue;
    }
    if (isBenchResult(parsed)) {
      sections.push(benchSection(parsed));
      goals.push(...[...parsed.goals, ...(parsed.goals.length === 0 ? (DERIVED[name]?.(parsed) ?? []) : [])].map((g) => ({ ...g, bench: parsed.title })));
    } else {
      sections.push(foreignSection(name, parsed as Record<string, unknown>));
    }
  }

  process.stdout.write(`# Performance

Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, on ${await machine()}.

Each figure is measured in the same run as its yardstick, over repetitions (n), and given as median and
p95 (nearest rank) with the minimum; times in milliseconds. This machine is small and shared (2 cores;
other processes may run beside the bench), so the minimum shows what the code does when nothing else
does, and the p95 what a user may meet. Run \`npm run bench\` to measure again: this page is rewritten.

## Goals

| Goal | Measured | Met |
|---|---|---|
${goals.map((g) => `| ${g.goal} | ${g.measured} | ${g.met ? 'yes' : '**no**'} |`).join('\n')}

${goals.filter((g) => g.note).length > 0 ? goals.filter((g) => g.note).map((g) => `- **${g.goal}**: ${g.note}`).join('\n') + '\n' : ''}
${sections.join('\n')}`);
}

function benchSection(r: BenchResult): string {
  return `## ${r.title}

${r.method.map((m) => `- ${m}`).join('\n')}

${table(r.rows)}
${r.notes?.length ? '\n' + r.notes.map((n) => `- ${n}`).join('\n') + '\n' : ''}`;
}

/** A bench that prints its own JSON: every entry with a median and a p95 becomes a row, the rest notes. */
function foreignSection(name: string, r: Record<string, unknown>): string {
  const unit = typeof r.unit === 'string' ? r.unit : 'ms';
  const rows: Measured[] = [];
  const notes: string[] = [];
  for (const [key, value] of Object.entries(r)) {
    if (typeof value === 'object' && value !== null && 'median' in value && 'p95' in value) {
      const v = value as Record<string, unknown>;
      const extra = Object.entries(v)
        .filter(([k]) => !['median', 'p95', 'min', 'runs', 'n'].includes(k))
        .map(([k, x]) => `${k}: ${typeof x === 'number' ? x.toLocaleString('en-US') : String(x)}`);
      rows.push({
        what: `${LABELS[name]?.[key] ?? key}${extra.length ? ` (${extra.join(', ')})` : ''}`,
        unit: unit as Measured['unit'],
        n: Number(v.runs ?? v.n ?? 0),
        median: Number(v.median),
        p95: Number(v.p95),
        min: Number(v.min ?? v.median),
      });
    } else if (key !== 'unit') {
      notes.push(`${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
    }
  }
  return `## ${TITLES[name] ?? name}

From \`bench/${name}.bench.ts\`.

${table(rows)}
${notes.length ? '\n' + notes.map((n) => `- ${n}`).join('\n') + '\n' : ''}`;
}

function table(rows: Measured[]): string {
  return `| What | n | median | p95 | min | unit |
|---|---:|---:|---:|---:|---|
${rows.map((r) => `| ${r.what} | ${r.n} | ${fmt(r.median)} | ${fmt(r.p95)} | ${fmt(r.min)} | ${r.unit} |`).join('\n')}
`;
}

async function machine(): Promise<string> {
  const cpus = os.cpus();
  let engine = 'no engine answering';
  try {
    const v = await docker.version();
    engine = `Docker Engine ${v.Version} (API ${v.ApiVersion})`;
  } catch {
    /* reported as such */
  }
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, Linux ${os.release()}, ${engine}, Node ${process.version}`;
}

function isBenchResult(x: unknown): x is BenchResult {
  return typeof x === 'object' && x !== null && Array.isArray((x as BenchResult).rows) && Array.isArray((x as BenchResult).goals);
}

function rank(name: string): number {
  const i = ORDER.indexOf(name);
  return i < 0 ? ORDER.length : i;
}

function readIf(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
