/**
 * Benchmark of the Run-spec language service (pure: no server, no engine). Prints one JSON object:
 * median and p95 (ms) over repetitions of
 *   - diagnostics of a 1 MB spec,
 *   - diagnostics of a spec with 10,000 Env entries,
 *   - opening 1,000 spec files: for each, what an editor asks on open (diagnostics, outline, CodeLens, folding).
 * Run: node --import tsx bench/spec.bench.ts [--runs N]
 */
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { specCodeLenses } from '../server/spec/codeLens';
import { specDiagnostics } from '../server/spec/diagnostics';
import { SpecFacts } from '../server/spec/facts';
import { specFolding } from '../server/spec/folding';
import { specSymbols } from '../server/spec/symbols';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 21;

/** A connected host that has every image, so the host-dependent checks run too. */
const facts: SpecFacts = {
  host: 'local',
  connected: true,
  memTotal: 8 * 1024 ** 3,
  images: [],
  volumes: [],
  image: () => ({ id: 'sha256:' + 'a'.repeat(64), tags: [], size: 1, created: undefined, cmd: ['sh'], entrypoint: null, env: [], workingDir: '', exposedPorts: [] }),
};

/** A 1 MB spec: every field, long Args, Env and Volume lists, comments between entries. */
function megabyteSpec(): string {
  const lines = ['// a large spec', '{', '  "Image": "circuit-busybox:latest",', '  "Memory": 536870912,', '  "CpuShares": 512,', '  "Lxc": ["lxc.cgroup.cpuset.cpus = 0-1"],', '  "Dir": "/work",', '  "Entry": "/bin/sh",'];
  lines.push('  "Volume": [', ...Array.from({ length: 500 }, (_, i) => `    "/host/data/${i}:/data/${i}:ro",`), '    "/cache"', '  ],');
  lines.push('  "Env": [', ...Array.from({ length: 2000 }, (_, i) => `    "VARIABLE_${i}=value number ${i}",`), '    "LAST=1"', '  ],');
  lines.push('  "Path": "/bin/echo",', '  "Args": [');
  const args: string[] = [];
  let size = lines.join('\n').length;
  for (let i = 0; size < 1024 * 1024 - 100; i++) {
    const line = `    /* ${i} */ "argument ${i} with some words in it",`;
    args.push(line);
    size += line.length + 1;
  }
  lines.push(...args, '    "end"', '  ],', '  "Scrub": true,', '}');
  return lines.join('\n');
}

function envSpec(entries: number): string {
  const env = Array.from({ length: entries }, (_, i) => `    "KEY_${i}=${'v'.repeat(i % 40)}"`);
  return `{\n  "Image": "circuit-busybox:latest",\n  "Env": [\n${env.join(',\n')}\n  ],\n  "Path": "env"\n}`;
}

/** 1,000 small, different specs, as a workspace of spec files would hold. */
function manySpecs(count: number): TextDocument[] {
  return Array.from({ length: count }, (_, i) =>
    TextDocument.create(
      `file:///workspace/spec-${i}.circuit.json`,
      'circuit-run',
      1,
      `// spec ${i}\n{\n  "Image": "circuit-busybox:${i % 7 === 0 ? 'Bad Tag' : 'latest'}",\n  "Memory": ${i % 5 === 0 ? '"512m"' : 64 * 1024 * 1024},\n  "Env": ["N=${i}", "MODE=test"${i % 3 === 0 ? ', "N=again"' : ''}],\n  "Volume": ["/data/${i}", "cache-${i}:/cache"],\n  "Path": "/bin/sh",\n  "Args": ["-c", "echo ${i}"],\n  "Scrub": ${i % 2 === 0},\n}\n`,
    ),
  );
}

function measure(run: () => void): { median: number; p95: number; min: number; runs: number } {
  run(); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { median: round(at(0.5)), p95: round(at(0.95)), min: round(times[0]!), runs };
}

const big = megabyteSpec();
const bigDoc = TextDocument.create('file:///bench/big.circuit.json', 'circuit-run', 1, big);
const envDoc = TextDocument.create('file:///bench/env.circuit.json', 'circuit-run', 1, envSpec(10_000));
const docs = manySpecs(1000);

let problems = 0;
const results = {
  benchmark: 'run-spec language service',
  node: process.version,
  unit: 'ms',
  diagnostics1MB: { bytes: big.length, diagnostics: specDiagnostics(bigDoc, facts).length, ...measure(() => void specDiagnostics(bigDoc, facts)) },
  diagnosticsEnv10k: { entries: 10_000, bytes: envDoc.getText().length, diagnostics: specDiagnostics(envDoc, facts).length, ...measure(() => void specDiagnostics(envDoc, facts)) },
  open1000Specs: {
    files: docs.length,
    ...measure(() => {
      problems = 0;
      for (const doc of docs) {
        problems += specDiagnostics(doc, facts).length;
        specSymbols(doc);
        specCodeLenses(doc);
        specFolding(doc);
      }
    }),
    diagnostics: problems,
  },
};
console.log(JSON.stringify(results, null, 2));
