import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompletionItem, InsertTextFormat, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { specCompletion } from '../../server/spec/completion';
import { specDiagnostics } from '../../server/spec/diagnostics';
import { SpecFacts } from '../../server/spec/facts';
import { localFacts, now } from '../support/specFacts';

/** The completions at the `|` of a spec. */
function complete(source: string, facts: SpecFacts = localFacts): { doc: TextDocument; items: CompletionItem[] } {
  const offset = source.indexOf('|');
  assert.ok(offset >= 0, 'a | marks the cursor');
  const doc = TextDocument.create('file:///w/c.circuit.json', 'circuit-run', 1, source.slice(0, offset) + source.slice(offset + 1));
  return { doc, items: specCompletion(doc, doc.positionAt(offset), facts, { now }).items };
}

/** The document after accepting an item, snippet placeholders replaced by their defaults. */
function accept(doc: TextDocument, item: CompletionItem): string {
  const edit = item.textEdit as TextEdit;
  assert.ok(edit && 'range' in edit, 'items carry a textEdit');
  let text = edit.newText;
  if (item.insertTextFormat === InsertTextFormat.Snippet) {
    text = text
      .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
      .replace(/\$\{\d+:([^}]*)\}/g, '$1')
      .replace(/\$\{\d+\}|\$\d+/g, '')
      .replace(/\\([$}\\])/g, '$1');
  }
  return TextDocument.applyEdits(doc, [{ range: edit.range, newText: text }]);
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const allFields = ['Image', 'Memory', 'CpuShares', 'Lxc', 'Volume', 'Dir', 'Entry', 'Env', 'Path', 'Args', 'Scrub'];

describe('specCompletion: field names', () => {
  it('offers every field in an empty object, Image first, with a value snippet', () => {
    const { doc, items } = complete('{|}');
    assert.deepEqual(labels(items), allFields);
    assert.equal((items[0]!.textEdit as TextEdit).newText, '"Image": "${1}"');
    assert.equal(accept(doc, items[0]!), '{"Image": ""}');
    assert.match(String((items[1]!.documentation as { value: string }).value), /--memory/);
  });

  it('offers only the missing fields (case-insensitively)', () => {
    const { items } = complete('{\n  "image": "busybox",\n  "Dir": "/",\n  |\n}');
    assert.deepEqual(labels(items), allFields.filter((f) => f !== 'Image' && f !== 'Dir'));
  });

  it('replaces a partly typed quoted key, and adds the value when there is no colon yet', () => {
    const { doc, items } = complete('{"Image": "busybox", "Sc|"}');
    const scrub = items.find((i) => i.label === 'Scrub')!;
    assert.equal(scrub.filterText, '"Scrub"');
    assert.equal(accept(doc, scrub), '{"Image": "busybox", "Scrub": true}');
  });

  it('renames only the key when a value follows', () => {
    const { doc, items } = complete('{"Image": "busybox", "Wor|kdir": "/tmp"}');
    assert.equal(accept(doc, items.find((i) => i.label === 'Dir')!), '{"Image": "busybox", "Dir": "/tmp"}');
  });

  it('replaces an unquoted word, and adds a comma before a following field', () => {
    const { doc, items } = complete('{\n  Mem|\n  "Image": "busybox"\n}');
    const memory = items.find((i) => i.label === 'Memory')!;
    assert.equal(accept(doc, memory), '{\n  "Memory": 536870912,\n  "Image": "busybox"\n}');
    assert.deepEqual(specDiagnostics(TextDocument.create('file:///x.circuit.json', 'circuit-run', 1, accept(doc, memory))), []);
  });

  it('offers a whole spec in an empty document, and nothing outside the object', () => {
    const { doc, items } = complete('|');
    assert.deepEqual(labels(items), ['Run spec']);
    assert.equal(accept(doc, items[0]!), '{\n\t"Image": "",\n\t"Path": "",\n\t"Args": []\n}');
    assert.deepEqual(labels(complete('{"Image": "busybox"}|').items), []);
    assert.deepEqual(labels(complete('[|]').items), []);
  });
});

describe('specCompletion: values', () => {
  it("offers the host's images for Image, newest first, with size and age, without dangling ones", () => {
    const { doc, items } = complete('{"Image": |}');
    assert.deepEqual(labels(items), ['circuit-busybox:latest', 'bare:1']);
    assert.equal(items[0]!.detail, '4.26 MB · 3 days ago');
    assert.equal(items[1]!.detail, '1 kB · 1 month ago');
    assert.equal(accept(doc, items[0]!), '{"Image": "circuit-busybox:latest"}');
  });

  it('replaces the Image string being typed', () => {
    const { doc, items } = complete('{"Image": "circ|"}');
    assert.equal(accept(doc, items[0]!), '{"Image": "circuit-busybox:latest"}');
  });

  it("offers the image's Env keys not yet set, with the image's value", () => {
    const { doc, items } = complete('{"Image": "circuit-busybox", "Env": ["LANG=C", |]}');
    assert.deepEqual(labels(items), ['PATH']);
    assert.equal(accept(doc, items[0]!), '{"Image": "circuit-busybox", "Env": ["LANG=C", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}');
  });

  it("offers the image's WorkingDir and / for Dir", () => {
    assert.deepEqual(labels(complete('{"Image": "circuit-busybox", "Dir": |}').items), ['/home/app', '/']);
    assert.deepEqual(labels(complete('{"Image": "nowhere", "Dir": "|"}').items), ['/']);
  });

  it("offers the host's named volumes as Volume sources, wrapped in an array when there is none", () => {
    const inArray = complete('{"Image": "b", "Volume": [|]}');
    assert.deepEqual(labels(inArray.items), ['cache', 'data']);
    assert.equal(accept(inArray.doc, inArray.items[0]!), '{"Image": "b", "Volume": ["cache:/path/in/container"]}');
    const bare = complete('{"Image": "b", "Volume": |}');
    assert.equal(accept(bare.doc, bare.items[1]!), '{"Image": "b", "Volume": ["data:/path/in/container"]}');
  });

  it('offers the translatable Lxc keys, true/false for Scrub, sizes for Memory', () => {
    const lxc = complete('{"Image": "b", "Lxc": ["|"]}');
    assert.deepEqual(labels(lxc.items), ['lxc.cgroup.cpuset.cpus', 'lxc.cgroup.cpuset.mems', 'lxc.cgroup.memory.limit_in_bytes', 'lxc.cgroup.cpu.shares']);
    assert.equal(accept(lxc.doc, lxc.items[0]!), '{"Image": "b", "Lxc": ["lxc.cgroup.cpuset.cpus = 0-1"]}');
    assert.deepEqual(labels(complete('{"Image": "b", "Scrub": |}').items), ['true', 'false']);
    const memory = complete('{"Image": "b", "Memory": |}');
    assert.equal(memory.items[3]!.label, '536870912');
    assert.equal(memory.items[3]!.detail, '512 MiB');
  });

  it('offers nothing for free text (Path, Args, Entry) or without a host', () => {
    assert.deepEqual(labels(complete('{"Image": "b", "Path": |}').items), []);
    assert.deepEqual(labels(complete('{"Image": "b", "Args": ["|"]}').items), []);
    const none: SpecFacts = { ...localFacts, images: [], volumes: [], image: () => undefined };
    assert.deepEqual(labels(complete('{"Image": |}', none).items), []);
    assert.deepEqual(labels(complete('{"Image": "b", "Volume": [|]}', none).items), []);
  });
});
