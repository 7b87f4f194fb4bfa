import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity, DiagnosticTag, Range } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { problemCodes } from '../../server/run/validate';
import { specDiagnostics } from '../../server/spec/diagnostics';
import { SpecFacts } from '../../server/spec/facts';
import { localFacts } from '../support/specFacts';

/** A document from text with one range marked ⟦…⟧, and that range. */
function marked(source: string): { doc: TextDocument; range: Range } {
  const start = source.indexOf('⟦');
  const end = source.indexOf('⟧') - 1;
  const text = source.replace('⟦', '').replace('⟧', '');
  const doc = TextDocument.create('file:///w/app.circuit.json', 'circuit-run', 1, text);
  return { doc, range: { start: doc.positionAt(start), end: doc.positionAt(end) } };
}

const E = DiagnosticSeverity.Error;
const W = DiagnosticSeverity.Warning;
const I = DiagnosticSeverity.Information;

/** One case per code: the spec (range marked), the code, severity and message gist. */
const cases: [string, string, DiagnosticSeverity, RegExp, SpecFacts?][] = [
  ['{\n  "Image": "busybox"\n  ⟦"Dir"⟧: "/"\n}', 'syntax', E, /"," is expected/],
  ['// a comment\n⟦[⟧\n  {"Image": "busybox"}\n]', 'not-object', E, /is an object/],
  ['{\n  "Image": "busybox",\n  ⟦"Volumes"⟧: ["/data"]\n}', 'unknown-field', E, /did you mean "Volume"/],
  ['{\n  ⟦"IMAGE"⟧: "busybox"\n}', 'field-case', W, /write "Image"/],
  ['{\n  "Image": "busybox",\n  "Dir": "/",\n  ⟦"Dir"⟧: "/tmp"\n}', 'duplicate-field', E, /Dir is already set/],
  ['{\n  "Image": "busybox",\n  "Args": ⟦"-l"⟧\n}', 'type', E, /Args must be an array of strings/],
  ['⟦{⟧\n  "Path": "/bin/ls"\n}', 'image-required', E, /Image is required/],
  ['{\n  "Image": ⟦"Ubuntu:22.04"⟧\n}', 'image-reference', E, /lowercase/],
  ['{\n  "Image": ⟦"nginx:1.25"⟧\n}', 'image-absent', I, /not on host local: make will need to pull it/, localFacts],
  ['{\n  "Image": "busybox",\n  "Memory": ⟦"1g"⟧\n}', 'memory-units', E, /"1g" is 1073741824/],
  ['{\n  "Image": "busybox",\n  "Memory": ⟦4096⟧\n}', 'memory-minimum', E, /at least 6 MiB \(6291456 bytes\); got 4096/],
  ['{\n  "Image": "circuit-busybox",\n  "Memory": ⟦8589934592⟧\n}', 'memory-host', W, /8 GiB is more than host local has \(2 GiB\)/, localFacts],
  ['{\n  "Image": "busybox",\n  "CpuShares": ⟦1⟧\n}', 'cpushares-range', W, /minimum of 2/],
  ['{\n  "Image": "busybox",\n  "Lxc": [\n    ⟦"lxc.cgroup.cpu.shares = 512"⟧\n  ]\n}', 'lxc-translated', I, /HostConfig.CpuShares = 512/],
  ['{\n  "Image": "busybox",\n  "Lxc": [⟦"lxc.utsname = box"⟧]\n}', 'lxc-unsupported', E, /no Docker equivalent/],
  ['{\n  "Image": "busybox",\n  "Volume": [⟦"/a:/b:/c:/d"⟧]\n}', 'volume-syntax', E, /too many ":"/],
  ['{\n  "Image": "busybox",\n  "Volume": [⟦"~/src:/src"⟧]\n}', 'volume-relative', E, /relative/],
  ['{\n  "Image": "busybox",\n  "Volume": [\n    "/data",\n    ⟦"/host/data:/data:ro"⟧\n  ]\n}', 'volume-duplicate', E, /\/data is already mounted/],
  ['{\n  "Image": "busybox",\n  "Volume": [⟦"/:/host"⟧]\n}', 'volume-sensitive', W, /host's \/ writable/],
  ['{\n  "Image": "busybox",\n  "Dir": ⟦"./work"⟧\n}', 'dir-relative', E, /absolute path/],
  ['{\n  "Image": "busybox",\n  "Env": [⟦"=value"⟧]\n}', 'env-syntax', E, /empty key/],
  ['{\n  "Image": "busybox",\n  "Env": [⟦"DEBUG=1"⟧, "DEBUG=0"]\n}', 'env-duplicate', W, /DEBUG again below/],
  ['{\n  "Image": "busybox",\n  "Env": [⟦"A=\\u0000"⟧]\n}', 'string-limit', E, /Env\[0\] holds a NUL byte/],
  ['{\n  "Image": ⟦"bare:1"⟧\n}', 'no-command', E, /neither Cmd nor Entrypoint/, localFacts],
];

describe('specDiagnostics', () => {
  for (const [source, code, severity, gist, facts] of cases) {
    it(code, () => {
      const { doc, range } = marked(source);
      const diagnostics = specDiagnostics(doc, facts);
      assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
      const [d] = diagnostics;
      assert.equal(d!.code, code);
      assert.equal(d!.source, 'circuit');
      assert.equal(d!.severity, severity);
      assert.deepEqual(d!.range, range);
      assert.match(String(d!.message), gist);
    });
  }

  it('has a case for every code', () => {
    const covered = new Set(cases.map((c) => c[1]));
    assert.deepEqual(problemCodes.filter((c) => !covered.has(c)), []);
  });

  it('marks an overridden Env entry unnecessary and carries fix data', () => {
    const { doc } = marked('{"Image": "busybox", "Env": [⟦"A=1"⟧, "A=2"], "Memory": "64m"}');
    const [env, memory] = specDiagnostics(doc);
    assert.deepEqual(env!.tags, [DiagnosticTag.Unnecessary]);
    assert.deepEqual(memory!.data, { fix: { kind: 'replace', title: 'Change to 67108864 (bytes)', text: '67108864' } });
  });

  it('says nothing host-dependent when no host is known, or the host is not connected', () => {
    const { doc } = marked('{"Image": ⟦"bare:1"⟧, "Memory": 8589934592}');
    assert.deepEqual(specDiagnostics(doc), []);
    const disconnected: SpecFacts = { ...localFacts, connected: false, images: [], image: () => undefined, memTotal: undefined };
    assert.deepEqual(specDiagnostics(doc, disconnected), []);
  });

  it('publishes at most 1000 diagnostics, the first in document order', () => {
    const env = Array.from({ length: 1500 }, (_, i) => `"=${i}"`).join(', ');
    const doc = TextDocument.create('file:///w/many.circuit.json', 'circuit-run', 1, `{"Image": "busybox", "Env": [${env}]}`);
    const diagnostics = specDiagnostics(doc);
    assert.equal(diagnostics.length, 1000);
    assert.equal(doc.getText(diagnostics[999]!.range), '"=999"');
  });

  it('keeps every range inside the document, on a spec with CRLF line ends and comments', () => {
    const text = '/* spec */\r\n{\r\n  "Image": "x y",\r\n  "Env": ["", "A B"],\r\n  // done\r\n  "Scrub": 1,\r\n}\r\n';
    const doc = TextDocument.create('file:///w/crlf.circuit.json', 'circuit-run', 1, text);
    const diagnostics = specDiagnostics(doc);
    assert.deepEqual(diagnostics.map((d) => d.code), ['image-reference', 'env-syntax', 'env-syntax', 'type']);
    for (const d of diagnostics) assert.ok(doc.offsetAt(d.range.end) <= text.length && doc.offsetAt(d.range.start) < doc.offsetAt(d.range.end));
    assert.equal(doc.getText(diagnostics[0]!.range), '"x y"');
    assert.equal(doc.getText(diagnostics[3]!.range), '1');
  });
});
