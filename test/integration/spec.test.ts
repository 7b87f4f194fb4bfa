/**
 * The Run-spec language over the real server (stdio, vscode-jsonrpc) against the real engine: pushed
 * diagnostics, host facts that follow the engine's image events, quick fixes, completion, hover, CodeLens
 * and circuit/dockerRunLine. Images made here carry their own names (circuit-spec-test*:<random>) and are
 * removed by tag at the end; nothing else on the engine is touched.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CodeLens, CompletionList, Diagnostic, Hover, MarkupContent, PublishDiagnosticsParams, TextEdit } from 'vscode-languageserver-protocol';
import { DockerRunLineRequest } from '../../protocol';
import { IMAGE, docker } from '../support/engine';
import { type ServerUnderTest, reasonOf, startServer } from '../support/server';

const suffix = randomBytes(4).toString('hex');
/** A tag of the busybox image that only this test makes and removes. */
const testImage = `circuit-spec-test:${suffix}`;
/** An image imported here without Cmd or Entrypoint. */
const bareImage = `circuit-spec-test-bare:${suffix}`;

describe('Run-spec language over the server', () => {
  let server: ServerUnderTest;
  let version = 0;
  /** The last diagnostics pushed per URI, and who waits for which. */
  const latest = new Map<string, Diagnostic[]>();
  const waiters = new Set<{ uri: string; test: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }>();

  /** Resolves with the first pushed diagnostics for `uri` that pass `test` (the latest ones, if they already do). */
  const diagnostics = (uri: string, test: (d: Diagnostic[]) => boolean, what: string, timeoutMs = 10_000): Promise<Diagnostic[]> => {
    const now = latest.get(uri);
    if (now !== undefined && test(now)) return Promise.resolve(now);
    const waiter = { uri, test, resolve: (_: Diagnostic[]) => undefined as void };
    const promise = new Promise<Diagnostic[]>((resolve) => {
      waiter.resolve = resolve;
      waiters.add(waiter);
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no diagnostics of ${uri} where ${what} within ${timeoutMs} ms (last: ${JSON.stringify(latest.get(uri))})`)), timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => {
      clearTimeout(timer);
      waiters.delete(waiter);
    });
  };
  const codes = (d: Diagnostic[]) => d.map((x) => String(x.code));

  const open = (name: string, text: string): string => {
    const uri = `file:///circuit-spec-test/${suffix}/${name}`;
    void server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'circuit-run', version: ++version, text } });
    return uri;
  };
  const change = (uri: string, text: string) =>
    server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text }] });

  before(async () => {
    server = await startServer();
    server.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      latest.set(p.uri, p.diagnostics);
      for (const w of [...waiters]) if (w.uri === p.uri && w.test(p.diagnostics)) w.resolve(p.diagnostics);
    });
  });

  after(async () => {
    await server?.stop();
    for (const image of [testImage, bareImage]) await docker.getImage(image).remove().catch(() => undefined);
  });

  it('pushes diagnostics on open, with exact ranges, and again on change', async () => {
    const uri = open('units.circuit.json', `{\n  "Image": "${IMAGE}",\n  "Memory": "512m",\n}`);
    const [d] = await diagnostics(uri, (d) => codes(d).includes('memory-units'), 'memory-units is reported');
    assert.deepEqual(d!.range, { start: { line: 2, character: 12 }, end: { line: 2, character: 18 } });
    assert.equal(d!.source, 'circuit');
    change(uri, `{\n  "Image": "${IMAGE}",\n  "Memory": 536870912,\n}`);
    await diagnostics(uri, (d) => d.length === 0, 'the spec is clean');
  });

  it('ignores documents that are not Run specs', async () => {
    const uri = `file:///circuit-spec-test/${suffix}/other.json`;
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text: '{"Memory": "1g"}' } });
    const marker = open('marker.circuit.json', '{"Imgae": 1}');
    await diagnostics(marker, (d) => d.length > 0, 'the marker spec got its diagnostics');
    assert.equal(latest.has(uri), false);
  });

  it('reports image-absent until the image is on the host, and again once it is removed, without any edit', async () => {
    const uri = open('absent.circuit.json', `{"Image": "${testImage}"}`);
    const [absent] = await diagnostics(uri, (d) => codes(d).includes('image-absent'), 'image-absent is reported');
    assert.match(String(absent!.message), new RegExp(`${testImage}" is not on host local: make will need to pull it`));
    assert.equal(absent!.severity, 3);

    await docker.getImage(IMAGE).tag({ repo: 'circuit-spec-test', tag: suffix });
    await diagnostics(uri, (d) => d.length === 0, 'image-absent is gone after the tag');

    await docker.getImage(testImage).remove();
    await diagnostics(uri, (d) => codes(d).includes('image-absent'), 'image-absent is back after the untag');
  });

  it('reports no-command for an image imported without Cmd or Entrypoint, and not once Path is set', async () => {
    const uri = open('bare.circuit.json', `{"Image": "${bareImage}"}`);
    await diagnostics(uri, (d) => codes(d).includes('image-absent'), 'the bare image is absent before the import');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circuit-spec-test-'));
    try {
      fs.writeFileSync(path.join(dir, 'hello'), 'hello\n');
      const tarball = `${dir}.tar`;
      execFileSync('tar', ['-C', dir, '-cf', tarball, '.']);
      const stream = await docker.importImage(tarball, { repo: 'circuit-spec-test-bare', tag: suffix });
      await new Promise((resolve, reject) => docker.modem.followProgress(stream, (err, out) => (err ? reject(err) : resolve(out))));
      fs.rmSync(tarball, { force: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const [d] = await diagnostics(uri, (d) => codes(d).includes('no-command'), 'no-command is reported after the import');
    assert.match(String(d!.message), /neither Cmd nor Entrypoint/);
    change(uri, `{"Image": "${bareImage}", "Path": "/hello"}`);
    await diagnostics(uri, (d) => d.length === 0, 'no-command is gone with a Path');
  });

  it('offers quick fixes whose edits validate clean', async () => {
    const text = `{\n  "image": "${IMAGE}",\n  "Memory": "1g",\n  "Volume": ["/etc:/host-etc"],\n  "Env": ["A=1", "A=2"]\n}`;
    const uri = open('fix.circuit.json', text);
    const pushed = await diagnostics(uri, (d) => d.length === 4, 'four problems are reported');
    assert.deepEqual(codes(pushed), ['field-case', 'memory-units', 'volume-sensitive', 'env-duplicate']);
    const whole = { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } };
    const actions: CodeAction[] = await server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: pushed } });
    assert.deepEqual(actions.map((a) => a.title), ['Change to "Image"', 'Change to 1073741824 (bytes)', 'Mount it read-only (:ro)', 'Remove this A (it has no effect)']);
    const edits = actions.flatMap((a) => a.edit?.changes?.[uri] ?? []);
    const fixed = applyEdits(text, edits);
    assert.equal(fixed, `{\n  "Image": "${IMAGE}",\n  "Memory": 1073741824,\n  "Volume": ["/etc:/host-etc:ro"],\n  "Env": ["A=2"]\n}`);
    change(uri, fixed);
    await diagnostics(uri, (d) => d.length === 0, 'the fixed spec is clean');
  });

  it('completes Image from the host, hovers with its details, and shows the CodeLens', async () => {
    const uri = open('complete.circuit.json', '{"Image": "", "Path": "sh"}');
    await diagnostics(uri, (d) => codes(d).includes('image-required'), 'the spec is open');
    const list: CompletionList = await server.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 11 } });
    assert.ok(list.items.some((i) => i.label === IMAGE), JSON.stringify(list.items.map((i) => i.label)));

    change(uri, `{"Image": "${IMAGE}", "Path": "sh"}`);
    await diagnostics(uri, (d) => d.length === 0, 'the spec is clean');
    const hover: Hover = await server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 14 } });
    const inspect = await docker.getImage(IMAGE).inspect();
    assert.match((hover.contents as MarkupContent).value, new RegExp(`id: \`${inspect.Id.slice(7, 19)}\``));
    assert.match((hover.contents as MarkupContent).value, /cmd: `\["sh"\]`/);

    const lenses: CodeLens[] = await server.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses.map((l) => l.command?.title), ['Make container…', `docker run -d -i ${IMAGE} sh`]);
    assert.deepEqual(lenses[0]!.command?.arguments, [uri]);
  });

  it('answers circuit/dockerRunLine for open specs and spec files, and refuses invalid ones', async () => {
    const uri = open('line.circuit.json', `{"Image": "${IMAGE}", "Env": ["A=b c"], "Path": "echo", "Args": ["$A"], "Scrub": true}`);
    const { line } = await server.connection.sendRequest(DockerRunLineRequest.type, { uri });
    assert.equal(line, `docker run -d -i --rm -e 'A=b c' ${IMAGE} echo '$A'`);

    const file = path.join(os.tmpdir(), `circuit-spec-test-${suffix}.circuit.json`);
    fs.writeFileSync(file, `// on disk\n{"Image": "${IMAGE}", "Memory": 67108864,}`);
    try {
      const fromDisk = await server.connection.sendRequest(DockerRunLineRequest.type, { uri: `file://${file}` });
      assert.equal(fromDisk.line, `docker run -d -i --memory 67108864 ${IMAGE}`);
    } finally {
      fs.rmSync(file, { force: true });
    }

    const bad = open('bad-line.circuit.json', `{"Image": "${IMAGE}", "Dir": "relative"}`);
    assert.equal(await reasonOf(server.connection.sendRequest(DockerRunLineRequest.type, { uri: bad })), 'invalid-run');
    assert.equal(await reasonOf(server.connection.sendRequest(DockerRunLineRequest.type, { uri: 'untitled:nothing' })), 'invalid-params');
    assert.equal(await reasonOf(server.connection.sendRequest(DockerRunLineRequest.method, {})), 'invalid-params');
  });
});

/** Applies non-overlapping LSP edits to a text (lines and characters). */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => lineStarts[p.line]! + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
