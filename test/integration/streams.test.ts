/**
 * Container stdio over the protocol, against the real engine and the real server process: sessions,
 * replay, flow control, stdin. Works under its own anchor name and removes what it made.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CloseStdinRequest,
  DetachRequest,
  InputRequest,
  MakeRequest,
  PeekRequest,
  type Run,
  ScrubRequest,
  SignalRequest,
  WaitRequest,
} from '../../protocol';
import { IMAGE, SecondEngine, removeUnder, uniqueName } from '../support/engine';
import { type ServerUnderTest, reasonOf, startServer, withTimeout } from '../support/server';
import { SessionClient } from '../support/sessions';

const top = uniqueName('streams');
const at = (...names: string[]) => ['/local', top, ...names].join('/');
const MiB = 1024 * 1024;
const sh = (script: string): Run => ({ Image: IMAGE, Path: 'sh', Args: ['-c', script] });
const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64');

describe('container stdio', () => {
  let server: ServerUnderTest;
  let client: SessionClient;
  const make = (path: string, run: Run) => server.connection.sendRequest(MakeRequest.type, { path, run });
  const input = (session: string, data: Buffer | string) => server.connection.sendRequest(InputRequest.type, { session, data: b64(data) });
  const closeStdin = (session: string) => server.connection.sendRequest(CloseStdinRequest.type, { session });
  const wait = (path: string) => server.connection.sendRequest(WaitRequest.type, { path });

  before(async () => {
    server = await startServer();
    client = new SessionClient(server.connection);
  });
  after(async () => {
    await server?.stop();
    await removeUnder(top);
  });

  it('cat echoes what is written to it, and exits 0 once stdin is closed', async () => {
    const path = at('cat');
    await make(path, { Image: IMAGE, Path: 'cat' });
    const s = await client.attach(path);
    await input(s.id, 'hello\n');
    await s.until((r) => r.stdout().toString() === 'hello\n', 10_000, 'the echo of the first line');
    await input(s.id, 'world\n');
    await closeStdin(s.id);
    assert.equal(await withTimeout(s.detached, 10_000, 'detached'), 'exited');
    assert.equal(s.stdout().toString(), 'hello\nworld\n');
    assert.equal(s.stderr().length, 0);
    assert.equal((await wait(path)).State.ExitCode, 0);
  });

  it('keeps stdout and stderr apart', async () => {
    const path = at('apart');
    await make(path, sh('echo out; echo err >&2; echo out2'));
    const s = await client.attach(path);
    assert.equal(await withTimeout(s.detached, 10_000, 'detached'), 'exited');
    assert.equal(s.stdout().toString(), 'out\nout2\n');
    assert.equal(s.stderr().toString(), 'err\n');
  });

  it('replays a container that already exited from its first byte, and without replay gives nothing', async () => {
    const path = at('replay');
    await make(path, sh('echo first; seq 1 5000; echo last'));
    assert.equal((await wait(path)).State.Status, 'exited');
    const s = await client.attach(path, { replay: true });
    assert.equal(await withTimeout(s.detached, 10_000, 'detached'), 'exited');
    const lines = s.stdout().toString().split('\n');
    assert.equal(lines[0], 'first');
    assert.equal(lines[5001], 'last');
    assert.equal(lines.length, 5003);
    const live = await client.attach(path, { replay: false });
    assert.equal(await withTimeout(live.detached, 10_000, 'detached'), 'exited');
    assert.equal(live.bytes.total, 0);
  });

  it('without replay, gives only the output from the attach on', async () => {
    const path = at('live');
    await make(path, sh('echo before; read x; echo after $x'));
    const replaying = await client.attach(path);
    await replaying.until((r) => r.stdout().toString() === 'before\n', 10_000, '"before"');
    const live = await client.attach(path, { replay: false });
    await input(live.id, 'go\n');
    assert.equal(await withTimeout(live.detached, 10_000, 'detached'), 'exited');
    assert.equal(live.stdout().toString(), 'after go\n');
    assert.equal(await withTimeout(replaying.detached, 10_000, 'detached'), 'exited');
    assert.equal(replaying.stdout().toString(), 'before\nafter go\n');
  });

  it('passes all 256 byte values through stdin and stdout, live and replayed', async () => {
    const path = at('bytes');
    await make(path, { Image: IMAGE, Path: 'cat' });
    const all = Buffer.alloc(256 * 4);
    for (let i = 0; i < all.length; i++) all[i] = i % 256;
    // A UTF-8 character split across two writes, too.
    const euro = Buffer.from('€', 'utf8');
    const sent = Buffer.concat([all, euro]);
    const s = await client.attach(path);
    await input(s.id, Buffer.concat([all, euro.subarray(0, 1)]));
    await input(s.id, euro.subarray(1));
    await closeStdin(s.id);
    assert.equal(await withTimeout(s.detached, 10_000, 'detached'), 'exited');
    assert.ok(s.stdout().equals(sent), 'live output equals input');
    const again = await client.attach(path);
    assert.equal(await withTimeout(again.detached, 10_000, 'detached'), 'exited');
    assert.ok(again.stdout().equals(sent), 'replayed output equals input');
  });

  it('gives two sessions on one container the same output', async () => {
    const path = at('two');
    await make(path, { Image: IMAGE, Path: 'cat' });
    const a = await client.attach(path);
    const b = await client.attach(path);
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(i)}\n`).join('');
    await input(a.id, lines.slice(0, 20_000));
    await input(b.id, lines.slice(20_000));
    await closeStdin(b.id);
    assert.equal(await withTimeout(a.detached, 10_000, 'a detached'), 'exited');
    assert.equal(await withTimeout(b.detached, 10_000, 'b detached'), 'exited');
    assert.equal(a.stdout().toString(), lines);
    assert.equal(b.stdout().toString(), lines);
  });

  it('a session that never acks stalls only itself: another session and a peek go on', async () => {
    const path = at('stall');
    const total = 8_000_000;
    await make(path, sh(`yes "$(printf '%0999d' 0)" | head -c ${total}`));
    const stalled = await client.attach(path, { ack: false, keep: false });
    const reader = await client.attach(path, { keep: false });
    // The window is 1 MiB; output is cut to fit only when 16 KiB are free, so it fills to within 16 KiB.
    const full = MiB - 16 * 1024;
    await stalled.until((r) => r.bytes.total > full, 30_000, 'the window to the session that never acks');
    assert.equal(await withTimeout(reader.detached, 60_000, 'the acking session to end'), 'exited');
    assert.equal(reader.bytes.total, total);
    const peek = await withTimeout(server.connection.sendRequest(PeekRequest.type, { path }), 5_000, 'peek');
    assert.equal(peek.State.Status, 'exited');
    assert.ok(stalled.bytes.total > full && stalled.bytes.total <= MiB, `the window and no more went to the session that never acks (${stalled.bytes.total} bytes)`);
    assert.equal(stalled.reason, undefined, 'the stalled session has not ended: its output is still to come');
    await server.connection.sendRequest(DetachRequest.type, { session: stalled.id });
    assert.equal(stalled.reason, 'detached', 'detached is told before the detach answer');
  });

  it('passes 200 MB through with the server memory bounded', async (t) => {
    const path = at('big');
    const total = 200_000_000;
    const baseline = server.rss();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, server.rss())), 50);
    try {
      await make(path, sh(`yes "$(printf '%0999d' 0)" | head -c ${total}`));
      const s = await client.attach(path, { keep: false });
      assert.equal(await withTimeout(s.detached, 300_000, 'all of the output'), 'exited');
      assert.equal(s.bytes.total, total);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, server.rss());
    t.diagnostic(`server RSS ${(baseline / MiB).toFixed(1)} MiB before, ${(peak / MiB).toFixed(1)} MiB at most`);
    assert.ok(peak - baseline < 64 * MiB, `server RSS grew by ${((peak - baseline) / MiB).toFixed(1)} MiB (from ${(baseline / MiB).toFixed(1)} MiB)`);
  });

  it('detach ends a session only: the container runs on and its stdin stays open', async () => {
    const path = at('detach');
    await make(path, { Image: IMAGE, Path: 'cat' });
    const first = await client.attach(path);
    await input(first.id, 'one\n');
    await first.until((r) => r.stdout().toString() === 'one\n', 10_000, 'the first echo');
    await server.connection.sendRequest(DetachRequest.type, { session: first.id });
    assert.equal(first.reason, 'detached');
    assert.equal(await reasonOf(input(first.id, 'x')), 'no-session');
    const peek = await server.connection.sendRequest(PeekRequest.type, { path });
    assert.equal(peek.State.Status, 'running');
    const second = await client.attach(path, { replay: false });
    await input(second.id, 'two\n');
    await second.until((r) => r.stdout().toString() === 'two\n', 10_000, 'the echo after a detach (stdin still open)');
    await closeStdin(second.id);
    assert.equal(await withTimeout(second.detached, 10_000, 'detached'), 'exited');
    assert.equal((await wait(path)).State.ExitCode, 0);
  });

  it('ends a session with scrubbed when its element is scrubbed', async () => {
    const path = at('scrub');
    await make(path, { Image: IMAGE, Path: 'sleep', Args: ['600'] });
    const s = await client.attach(path);
    await server.connection.sendRequest(ScrubRequest.type, { path });
    assert.equal(await withTimeout(s.detached, 10_000, 'detached'), 'scrubbed');
  });

  it('refuses what it cannot do, with a reason', async () => {
    const path = at('errors');
    // cat reads stdin; the container runs on after it, so stdin closed is not the container exited.
    await make(path, sh('cat; sleep 600'));
    const s = await client.attach(path);
    const { connection } = server;
    assert.equal(await reasonOf(client.attach(at('nothing-here'))), 'no-element');
    assert.equal(await reasonOf(client.attach('/local')), 'invalid-path');
    assert.equal(await reasonOf(client.attach('/nohost/x')), 'no-such-host');
    assert.equal(await reasonOf(connection.sendRequest('circuit/attach', { path: 42 })), 'invalid-params');
    assert.equal(await reasonOf(connection.sendRequest('circuit/attach', { path, replay: 'yes' })), 'invalid-params');
    assert.equal(await reasonOf(input('no-such-session', 'x')), 'no-session');
    assert.equal(await reasonOf(closeStdin('no-such-session')), 'no-session');
    assert.equal(await reasonOf(connection.sendRequest(DetachRequest.type, { session: 'no-such-session' })), 'no-session');
    assert.equal(await reasonOf(connection.sendRequest(InputRequest.type, { session: s.id, data: 'not base64!' })), 'invalid-params');
    assert.equal(await reasonOf(connection.sendRequest('circuit/input', { session: s.id })), 'invalid-params');
    // Acks for sessions that do not exist, or malformed, are ignored (notifications have no answer).
    await connection.sendNotification('circuit/ack', { session: 'no-such-session', bytes: 10 });
    await connection.sendNotification('circuit/ack', { session: s.id, bytes: 'many' });
    await input(s.id, 'once\n');
    await closeStdin(s.id);
    await closeStdin(s.id);
    assert.equal(await reasonOf(input(s.id, 'late\n')), 'not-running');
    await server.connection.sendRequest(ScrubRequest.type, { path });
    assert.equal(await withTimeout(s.detached, 10_000, 'detached'), 'scrubbed');
    assert.equal(s.stdout().toString(), 'once\n');
  });

  it('refuses input to a container that no longer runs', async () => {
    const path = at('done');
    await make(path, sh('echo done; sleep 600'));
    const s = await client.attach(path);
    await s.until((r) => r.stdout().toString() === 'done\n', 10_000, '"done"');
    await server.connection.sendRequest(SignalRequest.type, { path, signal: 'KILL' });
    await wait(path);
    // The session may have ended already (exited) or not yet: either way the input is refused.
    assert.match(await reasonOf(input(s.id, 'x')), /^(not-running|no-session)$/);
    assert.equal(await withTimeout(s.detached, 10_000, 'detached'), 'exited');
  });
});

describe('container stdio when a host goes away', () => {
  // An engine of this file's own (its own network namespace), so stopping it touches nobody else's.
  const engine = new SecondEngine('circuit-d2-streams');
  let server: ServerUnderTest;

  before(async () => {
    await engine.start();
    server = await startServer({ hosts: [{ name: 'local', docker: 'unix:///var/run/docker.sock' }, { name: 'away', docker: engine.endpoint }] });
  });
  after(async () => {
    await server?.stop();
    await engine.start().then(() => removeUnder(top, engine.docker)).catch(() => undefined);
    await engine.destroy();
  });

  it('ends its sessions with host-lost, and drops the stdin it held', async () => {
    const client = new SessionClient(server.connection);
    const path = ['/away', top, 'talk'].join('/');
    await server.connection.sendRequest(MakeRequest.type, { path, run: sh('echo hi; cat') });
    const s = await client.attach(path);
    await server.connection.sendRequest(InputRequest.type, { session: s.id, data: b64('there\n') });
    await s.until((r) => r.stdout().toString() === 'hi\nthere\n', 10_000, 'the echo on the second engine');
    const local = await client.attach(at('unaffected-missing')).catch((err: { data?: { reason?: string } }) => err.data?.reason);
    assert.equal(local, 'no-element', 'the other host still answers');
    await engine.stop('SIGKILL');
    assert.equal(await withTimeout(s.detached, 15_000, 'detached after the engine died'), 'host-lost');
    assert.equal(await reasonOf(server.connection.sendRequest(InputRequest.type, { session: s.id, data: b64('x') })), 'no-session');
    assert.equal(await reasonOf(client.attach(path)), 'host-unreachable');
  });
});
