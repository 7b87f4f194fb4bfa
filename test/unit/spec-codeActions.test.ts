import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodeAction } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { specCodeActions } from '../../server/spec/codeActions';
import { specDiagnostics } from '../../server/spec/diagnostics';

const uri = 'file:///w/fix.circuit.json';

/** The fixes offered for the spec's only diagnostic with the given code, with the client's diagnostics as context. */
function fixesFor(text: string, code: string): { doc: TextDocument; actions: CodeAction[] } {
  const doc = TextDocument.create(uri, 'circuit-run', 1, text);
  const diagnostics = specDiagnostics(doc);
  const target = diagnostics.filter((d) => d.code === code);
  assert.equal(target.length, 1, `one ${code} in ${JSON.stringify(diagnostics)}`);
  return { doc, actions: specCodeActions(doc, target[0]!.range, diagnostics) };
}

function apply(doc: TextDocument, action: CodeAction): string {
  const edits = action.edit?.changes?.[uri];
  assert.ok(edits && edits.length > 0, 'the action has an edit');
  return TextDocument.applyEdits(doc, edits);
}

/** Each quick fix: the spec, the code it fixes, the title, the text after the fix (which must validate clean). */
const fixes: [string, string, string, string][] = [
  ['{"Image": "busybox", "Scrb": true}', 'unknown-field', 'Change to "Scrub"', '{"Image": "busybox", "Scrub": true}'],
  ['{"Image": "busybox", "Workdir": "/"}', 'unknown-field', 'Change to "Dir"', '{"Image": "busybox", "Dir": "/"}'],
  ['{"image": "busybox"}', 'field-case', 'Change to "Image"', '{"Image": "busybox"}'],
  ['{"Image": "busybox", "Memory": "512m"}', 'memory-units', 'Change to 536870912 (bytes)', '{"Image": "busybox", "Memory": 536870912}'],
  ['{"Image": "busybox", "Memory": "1.5 GiB"}', 'memory-units', 'Change to 1610612736 (bytes)', '{"Image": "busybox", "Memory": 1610612736}'],
  ['{"Image": "busybox", "Dir": "/a", "Dir": "/b"}', 'duplicate-field', 'Remove this Dir', '{"Image": "busybox", "Dir": "/a"}'],
  ['{"Image": "busybox", "Dir": "/a", "Dir": "/b", "Scrub": true}', 'duplicate-field', 'Remove this Dir', '{"Image": "busybox", "Dir": "/a", "Scrub": true}'],
  [
    '{\n  "Image": "busybox",\n  "Path": "/bin/ls",\n  "Path": "/bin/cat", // again\n  "Args": ["/"],\n}',
    'duplicate-field',
    'Remove this Path',
    '{\n  "Image": "busybox",\n  "Path": "/bin/ls",\n  "Args": ["/"],\n}',
  ],
  ['{"Image": "busybox", "Env": ["A=1", "B=2", "A=3"]}', 'env-duplicate', 'Remove this A (it has no effect)', '{"Image": "busybox", "Env": ["B=2", "A=3"]}'],
  ['{"Image": "busybox", "Env": ["B=2", "A=1", "A=3"]}', 'env-duplicate', 'Remove this A (it has no effect)', '{"Image": "busybox", "Env": ["B=2", "A=3"]}'],
  ['{"Image": "busybox", "Volume": ["/data", "cache:/data"]}', 'volume-duplicate', 'Remove this mount of /data', '{"Image": "busybox", "Volume": ["/data"]}'],
  ['{"Image": "busybox", "Volume": ["/etc:/host/etc"]}', 'volume-sensitive', 'Mount it read-only (:ro)', '{"Image": "busybox", "Volume": ["/etc:/host/etc:ro"]}'],
  ['{"Image": "busybox", "Volume": ["/root/:/r:rw,Z"]}', 'volume-sensitive', 'Mount it read-only (:ro)', '{"Image": "busybox", "Volume": ["/root/:/r:Z,ro"]}'],
];

describe('specCodeActions: every quick fix, applied and validated clean', () => {
  for (const [text, code, title, fixed] of fixes) {
    it(`${code}: ${title}: ${text.replace(/\s+/g, ' ')}`, () => {
      const { doc, actions } = fixesFor(text, code);
      assert.deepEqual(actions.map((a) => a.title), [title]);
      const action = actions[0]!;
      assert.equal(action.kind, 'quickfix');
      assert.equal(action.isPreferred, true);
      assert.equal(action.diagnostics?.[0]?.code, code);
      const after = apply(doc, action);
      assert.equal(after, fixed);
      assert.deepEqual(specDiagnostics(TextDocument.create(uri, 'circuit-run', 2, after)), []);
    });
  }

  it('offers nothing where there is nothing to fix, and nothing for the Docker socket', () => {
    const doc = TextDocument.create(uri, 'circuit-run', 1, '{"Image": "busybox", "Volume": ["/var/run/docker.sock:/s"], "Dir": "rel"}');
    const whole = { start: doc.positionAt(0), end: doc.positionAt(doc.getText().length) };
    assert.equal(specDiagnostics(doc).length, 2);
    assert.deepEqual(specCodeActions(doc, whole, specDiagnostics(doc)), []);
  });

  it('works without client diagnostics (any client), and from the current text when the client is behind', () => {
    const doc = TextDocument.create(uri, 'circuit-run', 3, '{"Image": "busybox", "Memory": "2g"}');
    const at = { start: doc.positionAt(32), end: doc.positionAt(32) };
    const [action] = specCodeActions(doc, at, []);
    assert.equal(apply(doc, action!), '{"Image": "busybox", "Memory": 2147483648}');
    assert.equal(action!.diagnostics?.[0]?.code, 'memory-units');
  });
});
