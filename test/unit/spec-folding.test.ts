import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { specFolding } from '../../server/spec/folding';

describe('specFolding', () => {
  it('folds the object, multi-line arrays, block comments and regions, keeping closing lines visible', () => {
    const text = [
      '{', //                      0
      '  /* limits:', //           1
      '     none yet */', //       2
      '  // #region command', //   3
      '  "Path": "/bin/ls",', //   4
      '  "Args": [', //            5
      '    "-l",', //              6
      '    "/"', //                7
      '  ],', //                   8
      '  // #endregion', //        9
      '  "Env": ["A=1"]', //       10
      '}', //                      11
    ].join('\n');
    const ranges = specFolding(TextDocument.create('file:///w/f.circuit.json', 'circuit-run', 1, text));
    assert.deepEqual(ranges, [
      { startLine: 0, endLine: 10 },
      { startLine: 1, endLine: 2, kind: 'comment' },
      { startLine: 3, endLine: 9, kind: 'region' },
      { startLine: 5, endLine: 7 },
    ]);
  });

  it('survives unbalanced brackets', () => {
    assert.deepEqual(specFolding(TextDocument.create('file:///w/f.circuit.json', 'circuit-run', 1, ']\n}\n{\n[')), []);
  });
});
