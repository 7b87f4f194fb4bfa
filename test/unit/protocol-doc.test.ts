import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { errorCodes, errorReasons, methods, signalNames } from '../../protocol';

const doc = fs.readFileSync(path.join(__dirname, '../../docs/protocol.md'), 'utf8');

describe('docs/protocol.md and protocol/ agree', () => {
  it('documents every method under its own heading, and no other', () => {
    const headings = [...doc.matchAll(/^### (circuit\/\w+)$/gm)].map((m) => m[1]).sort();
    assert.deepEqual(headings, [...methods].sort());
  });

  it('documents every error reason with its code', () => {
    const rows = new Map([...doc.matchAll(/^\| ([a-z-]+) \| (-\d+) \|/gm)].map((m) => [m[1], Number(m[2])]));
    assert.deepEqual([...rows.keys()].sort(), [...errorReasons].sort());
    for (const reason of errorReasons) assert.equal(rows.get(reason), errorCodes[reason], reason);
  });

  it('lists every signal name', () => {
    assert.ok(doc.replace(/\s+/g, ' ').includes(signalNames.join(' ')));
  });
});
