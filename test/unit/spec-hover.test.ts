import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SpecFacts } from '../../server/spec/facts';
import { specHover } from '../../server/spec/hover';
import { localFacts } from '../support/specFacts';

/** The hover at the `|` of a spec, and the text its range covers. */
function hover(source: string, facts: SpecFacts = localFacts): { value: string; covers: string } | null {
  const offset = source.indexOf('|');
  const doc = TextDocument.create('file:///w/h.circuit.json', 'circuit-run', 1, source.replace('|', ''));
  const h: Hover | null = specHover(doc, doc.positionAt(offset), facts);
  if (h === null) return null;
  return { value: (h.contents as MarkupContent).value, covers: h.range ? doc.getText(h.range) : '' };
}

describe('specHover', () => {
  it('on a key: what the field does, its docker run flag and unit', () => {
    const h = hover('{"Image": "b", "Mem|ory": 536870912}');
    assert.equal(h?.covers, '"Memory"');
    assert.match(h!.value, /\*\*Memory\*\* \(integer\)/);
    assert.match(h!.value, /docker run: `--memory`/);
    assert.match(h!.value, /unit: bytes/);
  });

  it('on every field key', () => {
    for (const field of ['Image', 'Memory', 'CpuShares', 'Lxc', 'Volume', 'Dir', 'Entry', 'Env', 'Path', 'Args', 'Scrub']) {
      const h = hover(`{"|${field}": null}`);
      assert.ok(h, field);
      assert.match(h.value, new RegExp(`\\*\\*${field}\\*\\*`));
      assert.match(h.value, /docker run/);
    }
  });

  it('on a key spelled in another case: says how Circuit reads it', () => {
    assert.match(hover('{"cpu|shares": 512}')!.value, /Written "cpushares": .* takes it as CpuShares/);
  });

  it("on the Image value: the image's details on the host", () => {
    const h = hover('{"Image": "circuit-bu|sybox"}');
    assert.equal(h?.covers, '"circuit-busybox"');
    assert.match(h!.value, /\*\*circuit-busybox\*\* on host local/);
    assert.match(h!.value, /id: `bbbbbbbbbbbb`/);
    assert.match(h!.value, /size: 1.23 MB/);
    assert.match(h!.value, /created: 2025-01-28/);
    assert.match(h!.value, /entrypoint: \(none\)/);
    assert.match(h!.value, /cmd: `\["sh"\]`/);
    assert.match(h!.value, /exposed ports: 80\/tcp/);
  });

  it('on an absent image, or without a connected host', () => {
    assert.match(hover('{"Image": "ngi|nx"}')!.value, /not on host local: make will need to pull it/);
    assert.match(hover('{"Image": "ngi|nx"}', { ...localFacts, connected: false })!.value, /host local is not connected/i);
  });

  it('on Memory, Lxc and Volume values: what they mean to the engine', () => {
    assert.match(hover('{"Image": "b", "Memory": 5368|70912}')!.value, /512 MiB \(536870912 bytes\)/);
    assert.match(hover('{"Image": "b", "Lxc": ["lxc.cgroup.cpuset.cpus = 0|-1"]}')!.value, /HostConfig.CpusetCpus = "0-1"/);
    assert.match(hover('{"Image": "b", "Volume": ["/src:/s|rc:ro"]}')!.value, /Binds the host path `\/src` at `\/src`, read-only/);
    assert.match(hover('{"Image": "b", "Volume": ["ca|che:/c"]}')!.value, /named volume `cache`/);
  });

  it('nothing on unknown keys, punctuation, or outside', () => {
    assert.equal(hover('{"Col|our": 1}'), null);
    assert.equal(hover('{"Image": "b"|}'), null);
    assert.equal(hover('|[]'), null);
  });
});
