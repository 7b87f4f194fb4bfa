/**
 * The packaged extension (`vsce package`, scripts/package.sh) holds only what an installed extension
 * needs: the two bundles, the grammar, the manifest, README, LICENSE and icons.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { packageExtension } from './codeServer';

/** The entry names of a zip file, from its central directory. */
function zipEntries(file: string): string[] {
  const buf = fs.readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

describe('the .vsix', () => {
  it('holds only the bundles, grammar, manifest, README, LICENSE and icons', () => {
    const vsix = process.env.CIRCUIT_VSIX ?? packageExtension();
    const entries = zipEntries(vsix).sort();
    const allowed = [
      /^\[Content_Types\]\.xml$/,
      /^extension\.vsixmanifest$/,
      /^extension\/package\.json$/,
      /^extension\/readme\.md$/,
      /^extension\/LICENSE\.txt$/,
      /^extension\/dist\/(extension|server)\.js$/,
      /^extension\/syntaxes\/[^/]+\.json$/,
      /^extension\/media\/(icon\.png|circuit\.svg)$/,
    ];
    const unexpected = entries.filter((e) => !allowed.some((re) => re.test(e)));
    assert.deepEqual(unexpected, [], `unexpected entries: ${unexpected.join(', ')}`);
    for (const needed of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/readme.md', 'extension/LICENSE.txt', 'extension/media/icon.png']) {
      assert.ok(entries.includes(needed), `${needed} is packaged`);
    }
    assert.ok(entries.some((e) => e.startsWith('extension/syntaxes/') && e.endsWith('.tmLanguage.json')), 'the grammar is packaged');
  });
});
