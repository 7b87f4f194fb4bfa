/**
 * Fuzz: thousands of mutated specs (seeded, reproducible: FUZZ_SEED=n, FUZZ_CASES=n). Every feature of the
 * language service runs on each; none may throw, and every range must lie inside the document.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Position, Range, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { runToContainerConfig, dockerRunLine } from '../../server/run/engine';
import { canonicalRun } from '../../server/run/canonical';
import { checkRun, validateRunText } from '../../server/run/validate';
import { specCodeActions } from '../../server/spec/codeActions';
import { specCodeLenses } from '../../server/spec/codeLens';
import { specCompletion } from '../../server/spec/completion';
import { specDiagnostics } from '../../server/spec/diagnostics';
import { specFolding } from '../../server/spec/folding';
import { specFormat } from '../../server/spec/formatting';
import { specHover } from '../../server/spec/hover';
import { specSymbols } from '../../server/spec/symbols';
import { localFacts, now } from '../support/specFacts';

const seed = Number(process.env.FUZZ_SEED ?? 20250131);
const count = Number(process.env.FUZZ_CASES ?? 3000);

/** mulberry32: a small seeded generator, so every run mutates the same way. */
function generator(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const corpus = [
  '{\n  "Image": "ubuntu",\n  "Memory": 1000000000,\n  "CpuShares": 3,\n  "Volume": ["/webapp", "/src/webapp:/opt/webapp:ro"],\n  "Dir": "/",\n  "Path": "/bin/ls",\n  "Args": ["/"],\n  "Scrub": true,\n}',
  '// comment\n{"Image": "circuit-busybox", "Env": ["A=1", "A=2", "=x"], "Lxc": ["lxc.cgroup.cpuset.cpus = 0-1", "lxc.x = 1"], "Memory": "512m"}',
  '{"image": "bare:1", "Volume": ["/etc:/e", "/var/run/docker.sock:/s", "./rel:/r", "/a:/a:ro,rw"], "Dir": "rel", /* c */ "Entry": ""}',
  '{"Image": "registry.example:5000/team/app:1.2@sha256:' + 'f'.repeat(64) + '", "CpuShares": 1, "Imgae": null, "Memory": 4096}',
  '',
  '[]',
];
const fragments = ['{', '}', '[', ']', '"', ':', ',', ' ', '\n', '\\', '/*', '*/', '//', 'null', 'true', '-1', '1e400', '0.5', '"Image"', '"Env"', '"Volume"', '"Memory"', '"/:/"', '"é\u0000"', '\ud800', '\r\n', '"A=1"'];

function mutate(text: string, random: () => number): string {
  const at = () => Math.floor(random() * (text.length + 1));
  const steps = 1 + Math.floor(random() * 4);
  for (let s = 0; s < steps; s++) {
    const i = at();
    switch (Math.floor(random() * 5)) {
      case 0:
        text = text.slice(0, i) + fragments[Math.floor(random() * fragments.length)] + text.slice(i);
        break;
      case 1:
        text = text.slice(0, i) + text.slice(i + 1 + Math.floor(random() * 8));
        break;
      case 2: {
        const j = at();
        text = text.slice(0, i) + text.slice(Math.min(i, j), Math.max(i, j)) + text.slice(i);
        break;
      }
      case 3:
        text = text.slice(0, i) + String.fromCharCode(Math.floor(random() * 128)) + text.slice(i + 1);
        break;
      default:
        text = text.slice(0, i);
        break;
    }
  }
  return text;
}

function inside(doc: TextDocument, range: Range, what: string, text: string): void {
  const lines = doc.lineCount;
  const ok = (p: Position) => p.line >= 0 && p.line < lines && p.character >= 0 && doc.offsetAt(p) === doc.offsetAt(doc.positionAt(doc.offsetAt(p)));
  assert.ok(ok(range.start) && ok(range.end), `${what}: range ${JSON.stringify(range)} outside the document ${JSON.stringify(text)} (seed ${seed})`);
  assert.ok(doc.offsetAt(range.start) <= doc.offsetAt(range.end), `${what}: range ends before it starts in ${JSON.stringify(text)} (seed ${seed})`);
  const lineLength = (line: number) => doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '').length;
  assert.ok(range.start.character <= lineLength(range.start.line) && range.end.character <= lineLength(range.end.line), `${what}: character past the line end in ${JSON.stringify(text)} (seed ${seed})`);
}

describe(`fuzz (seed ${seed}, ${count} specs)`, () => {
  it('never throws, and every range lies inside the document', () => {
    const random = generator(seed);
    for (let n = 0; n < count; n++) {
      const text = mutate(corpus[n % corpus.length]!, random);
      const doc = TextDocument.create('file:///w/fuzz.circuit.json', 'circuit-run', 1, text);
      try {
        for (const p of validateRunText(text, localFacts)) {
          assert.ok(p.offset >= 0 && p.length >= 0 && p.offset + p.length <= text.length, `problem ${p.code} outside ${JSON.stringify(text)}`);
        }
        const diagnostics = specDiagnostics(doc, localFacts);
        for (const d of diagnostics) inside(doc, d.range, `diagnostic ${String(d.code)}`, text);
        const whole = { start: doc.positionAt(0), end: doc.positionAt(text.length) };
        for (const action of specCodeActions(doc, whole, diagnostics)) {
          const edits: TextEdit[] = action.edit?.changes?.[doc.uri] ?? [];
          for (const e of edits) inside(doc, e.range, `code action ${action.title}`, text);
          TextDocument.applyEdits(doc, edits);
        }
        const position = doc.positionAt(Math.floor(random() * (text.length + 1)));
        for (const item of specCompletion(doc, position, localFacts, { now }).items) {
          if (item.textEdit && 'range' in item.textEdit) inside(doc, item.textEdit.range, `completion ${item.label}`, text);
        }
        const hover = specHover(doc, position, localFacts);
        if (hover?.range) inside(doc, hover.range, 'hover', text);
        for (const s of specSymbols(doc)) {
          inside(doc, s.range, `symbol ${s.name}`, text);
          inside(doc, s.selectionRange, `symbol ${s.name}`, text);
          for (const c of s.children ?? []) inside(doc, c.range, `symbol ${c.name}`, text);
        }
        for (const f of specFolding(doc)) assert.ok(f.startLine < f.endLine && f.endLine < doc.lineCount, `folding ${JSON.stringify(f)} in ${JSON.stringify(text)}`);
        for (const e of specFormat(doc, { tabSize: 2, insertSpaces: true })) inside(doc, e.range, 'format edit', text);
        for (const l of specCodeLenses(doc)) inside(doc, l.range, 'code lens', text);
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          continue;
        }
        const verdict = checkRun(value, localFacts);
        if (verdict === null) {
          // What make accepts maps to the engine, and has a docker run line.
          runToContainerConfig(canonicalRun(value));
          assert.ok(dockerRunLine(canonicalRun(value)).startsWith('docker run -d -i '));
        }
      } catch (err) {
        assert.fail(`spec #${n} (seed ${seed}) ${JSON.stringify(text)}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }
  });
});
