import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { specCodeLenses } from '../../server/spec/codeLens';

const uri = 'file:///w/app.circuit.json';

describe('specCodeLenses', () => {
  it('puts "Make container…" and the docker run line above the spec', () => {
    const text = '// my app\n{\n  "Image": "busybox",\n  "Env": ["GREETING=hello world"],\n  "Path": "echo",\n  "Args": ["$GREETING"],\n  "Scrub": true,\n}';
    const lenses = specCodeLenses(TextDocument.create(uri, 'circuit-run', 1, text));
    assert.equal(lenses.length, 2);
    for (const lens of lenses) assert.deepEqual(lens.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } });
    assert.deepEqual(lenses[0]!.command, { title: 'Make container…', command: 'circuit.make', arguments: [uri] });
    assert.equal(lenses[1]!.command?.title, "docker run -d -i --rm -e 'GREETING=hello world' busybox echo '$GREETING'");
    assert.equal(lenses[1]!.command?.command, '');
  });

  it('cuts a long line in the title and gives it whole in the tooltip', () => {
    const env = Array.from({ length: 20 }, (_, i) => `"VARIABLE_${i}=value"`).join(', ');
    const lenses = specCodeLenses(TextDocument.create(uri, 'circuit-run', 1, `{"Image": "busybox", "Env": [${env}]}`));
    const command = lenses[1]!.command as { title: string; tooltip?: string };
    assert.equal(command.title.length, 120);
    assert.ok(command.title.endsWith('…'));
    assert.ok(command.tooltip?.endsWith('-e VARIABLE_19=value busybox'));
  });

  it('shows no docker run line while the spec has errors, and no lens without an object', () => {
    const lenses = specCodeLenses(TextDocument.create(uri, 'circuit-run', 1, '{"Image": "busybox", "Memory": "1g"}'));
    assert.deepEqual(lenses.map((l) => l.command?.command), ['circuit.make']);
    assert.deepEqual(specCodeLenses(TextDocument.create(uri, 'circuit-run', 1, '')), []);
  });
});
