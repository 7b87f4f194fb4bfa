import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DocumentSymbol, SymbolKind } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { specSymbols } from '../../server/spec/symbols';

describe('specSymbols', () => {
  it('gives one symbol per field, with array entries as children', () => {
    const text = '{\n  // the image\n  "Image": "busybox",\n  "Memory": 536870912,\n  "Env": ["A=1", "B=2"],\n  "Scrub": true\n}';
    const doc = TextDocument.create('file:///w/s.circuit.json', 'circuit-run', 1, text);
    const symbols = specSymbols(doc);
    const brief = (s: DocumentSymbol): unknown => ({ name: s.name, kind: s.kind, detail: s.detail, children: s.children?.map(brief) });
    assert.deepEqual(symbols.map(brief), [
      { name: 'Image', kind: SymbolKind.String, detail: '"busybox"', children: undefined },
      { name: 'Memory', kind: SymbolKind.Number, detail: '536870912 (512 MiB)', children: undefined },
      {
        name: 'Env',
        kind: SymbolKind.Array,
        detail: '2 entries',
        children: [
          { name: 'A=1', kind: SymbolKind.String, detail: undefined, children: undefined },
          { name: 'B=2', kind: SymbolKind.String, detail: undefined, children: undefined },
        ],
      },
      { name: 'Scrub', kind: SymbolKind.Boolean, detail: 'true', children: undefined },
    ]);
    assert.equal(doc.getText(symbols[0]!.range), '"Image": "busybox"');
    assert.equal(doc.getText(symbols[0]!.selectionRange), '"Image"');
  });

  it('gives nothing for a spec that is not an object', () => {
    assert.deepEqual(specSymbols(TextDocument.create('file:///w/s.circuit.json', 'circuit-run', 1, '[1]')), []);
    assert.deepEqual(specSymbols(TextDocument.create('file:///w/s.circuit.json', 'circuit-run', 1, '')), []);
  });
});
