/**
 * The server core against the real engine: the real server process over stdio, a vscode-jsonrpc client.
 * Every test works under its own anchor name and removes what it made.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type ElementInfo,
  HostsRequest,
  MakeRequest,
  PeekRequest,
  type Run,
  ScrubRequest,
  SignalRequest,
  ViewRequest,
  WaitRequest,
} from '../../protocol';
import { containerName } from '../../server/anchor/path';
import { IMAGE, docker, removeUnder, uniqueName } from '../support/engine';
import { type ServerUnderTest, reasonOf, startServer, until, withTimeout } from '../support/server';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';

const top = uniqueName('core');
const at = (...names: string[]) => ['/local', top, ...names].join('/');
const sleeper: Run = { Image: IMAGE, Path: 'sleep', Args: ['600'] };

describe('server core', () => {
  let server: ServerUnderTest;
  const make = (path: string, run: Run = sleeper) => server.connection.sendRequest(MakeRequest.type, { path, run });
  const view = (path: string) => server.connection.sendRequest(ViewRequest.type, { path });

  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
    await removeUnder(top);
  });

  it('lists the default host, connected', async () => {
    const { hosts } = await server.connection.sendRequest(HostsRequest.type, {});
    assert.equal(hosts.length, 1);
    assert.equal(hosts[0].name, 'local');
    assert.equal(hosts[0].connected, true);
    assert.equal(hosts[0].insecure, false);
    assert.match(hosts[0].serverVersion ?? '', /^\d+\./);
    const root = await view('/');
    assert.deepEqual(root.children.map((c) => [c.name, c.path, c.element]), [['local', '/local', null]]);
  });

  it('makes an element, shows it in the tree and reports the change', async () => {
    const changed = server.nextChange(at());
    const element = await make(at('a', 'b'));
    assert.equal(element.kind, 'docker');
    assert.equal(element.state, 'running');
    assert.equal(element.image, IMAGE);
    assert.equal(element.exitCode, null);
    assert.equal(element.scrub, false);
    assert.equal(element.name, containerName([top, 'a', 'b']));
    assert.match(element.id, /^[0-9a-f]{64}$/);
    await changed;
    const hostView = await view('/local');
    assert.ok(hostView.children.some((c) => c.name === top && c.element === null && c.children === 1));
    const mid = await view(at('a'));
    assert.deepEqual(mid.children.map((c) => [c.name, c.path, c.element?.id, c.children]), [['b', at('a', 'b'), element.id, 0]]);
    assert.deepEqual((await view(at('a', 'b'))).children, []);
    assert.deepEqual((await view(at('nothing', 'here'))).children, []);
    // The engine really runs it, with the labels that carry the anchor.
    const inspect = await docker.getContainer(element.id).inspect();
    assert.equal(inspect.State.Running, true);
    assert.equal(inspect.Config.Labels['io.circuit.anchor'], `/${top}/a/b`);
    assert.equal(inspect.Config.OpenStdin, true);
    assert.equal(inspect.Config.StdinOnce, true);
    assert.equal(inspect.Config.Tty, false);
  });

  it('peeks the engine inspect JSON whole', async () => {
    await make(at('peeked'));
    const inspect = await server.connection.sendRequest(PeekRequest.type, { path: at('peeked') });
    const direct = await docker.getContainer(containerName([top, 'peeked'])).inspect();
    assert.equal(inspect.Id, direct.Id);
    assert.deepEqual(Object.keys(inspect).sort(), Object.keys(direct).sort());
    assert.deepEqual(inspect.Config, direct.Config as unknown);
  });

  it('refuses a second element at one anchor as anchor-busy', async () => {
    await make(at('busy'));
    assert.equal(await reasonOf(make(at('busy'))), 'anchor-busy');
  });

  it('of 20 concurrent makes at one path, exactly one wins', async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => make(at('race'))));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 19);
    for (const r of lost) assert.equal((r.reason as { data: { reason: string } }).data.reason, 'anchor-busy');
    const list = await docker.listContainers({ all: true, filters: { label: [`io.circuit.anchor=/${top}/race`] } });
    assert.equal(list.length, 1);
  });

  it('signals through the engine; wait returns the final inspect; signalling an exited element is not-running', async () => {
    await make(at('sig'));
    const waiting = server.connection.sendRequest(WaitRequest.type, { path: at('sig') });
    assert.equal(await server.connection.sendRequest(SignalRequest.type, { path: at('sig'), signal: 'sigkill' }), null);
    const final = await withTimeout(waiting, 10_000, 'wait');
    assert.equal(final.State.Status, 'exited');
    assert.equal(final.State.ExitCode, 137);
    // A wait on an exited element returns at once.
    assert.equal((await server.connection.sendRequest(WaitRequest.type, { path: at('sig') })).State.ExitCode, 137);
    assert.equal(await reasonOf(server.connection.sendRequest(SignalRequest.type, { path: at('sig'), signal: 'TERM' })), 'not-running');
    assert.equal(await reasonOf(server.connection.sendRequest(SignalRequest.type, { path: at('sig'), signal: 'NOPE' })), 'invalid-signal');
    // The element stays attached after exit (no Scrub), with its exit code.
    const [child] = (await view(at())).children.filter((c) => c.name === 'sig');
    assert.equal(child.element?.state, 'exited');
    assert.equal(child.element?.exitCode, 137);
  });

  it('scrubs a running element: stopped, removed, anchor free; a pending wait fails as scrubbed', async () => {
    const made = await make(at('scrubme'));
    const waiting = reasonOf(server.connection.sendRequest(WaitRequest.type, { path: at('scrubme') }));
    assert.equal(await server.connection.sendRequest(ScrubRequest.type, { path: at('scrubme') }), null);
    assert.equal(await waiting, 'scrubbed');
    await assert.rejects(docker.getContainer(made.id).inspect(), (e: { statusCode?: number }) => e.statusCode === 404);
    assert.ok(!(await view(at())).children.some((c) => c.name === 'scrubme'));
    assert.equal(await reasonOf(server.connection.sendRequest(PeekRequest.type, { path: at('scrubme') })), 'no-element');
    assert.equal(await reasonOf(server.connection.sendRequest(ScrubRequest.type, { path: at('scrubme') })), 'no-element');
    // The anchor is free again.
    assert.equal((await make(at('scrubme'), { Image: IMAGE, Path: 'true' })).kind, 'docker');
  });

  it('Scrub: a wait gets the final inspect, then the element is removed and the anchor disappears', async () => {
    const gone = (async () => {
      for (;;) {
        const paths = await server.nextChange(at('once'), 10_000);
        if (paths && !(await view(at())).children.some((c) => c.name === 'once')) return;
      }
    })();
    const made = await make(at('once'), { Image: IMAGE, Path: 'sh', Args: ['-c', 'sleep 0.3; exit 3'], Scrub: true });
    assert.equal(made.scrub, true);
    const final = await withTimeout(server.connection.sendRequest(WaitRequest.type, { path: at('once') }), 10_000, 'wait');
    assert.equal(final.State.ExitCode, 3);
    await withTimeout(gone, 10_000, 'scrubbed anchor gone');
    await until(() => docker.getContainer(made.id).inspect().then(() => false, (e: { statusCode?: number }) => e.statusCode === 404), 10_000, 'container removed');
  });

  it('a wait can be cancelled', async () => {
    await make(at('cancel'));
    const source = new CancellationTokenSource();
    const waiting = server.connection.sendRequest(WaitRequest.type, { path: at('cancel') }, source.token);
    // A round trip first: the server reads messages in order, so the wait is pending there before the cancel.
    assert.equal((await server.connection.sendRequest(PeekRequest.type, { path: at('cancel') })).State.Running, true);
    source.cancel();
    await assert.rejects(withTimeout(waiting, 5000, 'cancelled wait'), (e: { code?: number }) => e.code === -32800);
    // The server still serves, and the container still runs.
    assert.equal((await server.connection.sendRequest(PeekRequest.type, { path: at('cancel') })).State.Running, true);
  });

  it('sees an external docker kill as didChange', async () => {
    const made = await make(at('external'));
    const changed = server.nextChange(at('external'));
    await docker.getContainer(made.id).kill();
    await changed;
    await until(async () => (await view(at())).children.find((c) => c.name === 'external')?.element?.state === 'exited', 5000, 'exited in view');
  });

  it('gives each error its reason', async () => {
    const c = server.connection;
    assert.equal(await reasonOf(make('/local')), 'invalid-path');
    assert.equal(await reasonOf(make('/')), 'invalid-path');
    assert.equal(await reasonOf(make('/local/../x')), 'invalid-path');
    assert.equal(await reasonOf(make('/nohost/x')), 'no-such-host');
    assert.equal(await reasonOf(view('/nohost')), 'no-such-host');
    assert.equal(await reasonOf(c.sendRequest(PeekRequest.type, { path: at('never') })), 'no-element');
    assert.equal(await reasonOf(c.sendRequest(ViewRequest.type, {} as never)), 'invalid-params');
    assert.equal(await reasonOf(c.sendRequest(ViewRequest.type, { path: 7 } as never)), 'invalid-params');
    assert.equal(await reasonOf(c.sendRequest('circuit/view', [1, 2])), 'invalid-params');
    assert.equal(await reasonOf(make(at('bad'), { Image: IMAGE, Memory: 1000 })), 'invalid-run');
    assert.equal(await reasonOf(make(at('bad'), {} as Run)), 'invalid-run');
    assert.equal(await reasonOf(make(at('bad'), { Image: 'circuit-nonexistent-image:1', Path: 'true' })), 'image-not-found');
    assert.equal(await reasonOf(make(at('bad'), { Image: IMAGE, Path: '/no/such/program' })), 'docker-error');
    // The failed start left nothing behind: the anchor is free.
    assert.equal((await make(at('bad'), { Image: IMAGE, Path: 'true' })).kind, 'docker');
  });

  it('names the first bad Run field and says what was wrong', async () => {
    try {
      await make(at('field'), { Image: IMAGE, Memory: 1000 });
      assert.fail('make succeeded');
    } catch (err) {
      const e = err as { message: string; data: { reason: string; field?: string } };
      assert.equal(e.data.reason, 'invalid-run');
      assert.equal(e.data.field, 'Memory');
      assert.match(e.message, /Memory/);
    }
  });
});

describe('server restart', () => {
  const top2 = uniqueName('restart');
  after(() => removeUnder(top2));

  it('a server killed with SIGKILL and restarted shows the same tree', async () => {
    const first = await startServer();
    const made: ElementInfo[] = [];
    for (const p of ['x', 'y/z', 'y/w']) made.push(await first.connection.sendRequest(MakeRequest.type, { path: `/local/${top2}/${p}`, run: sleeper }));
    await first.connection.sendRequest(SignalRequest.type, { path: `/local/${top2}/y/w`, signal: 'KILL' });
    await first.connection.sendRequest(WaitRequest.type, { path: `/local/${top2}/y/w` });
    const tree = async (s: ServerUnderTest) => {
      const top = await s.connection.sendRequest(ViewRequest.type, { path: `/local/${top2}` });
      const y = await s.connection.sendRequest(ViewRequest.type, { path: `/local/${top2}/y` });
      return [top, y].map((v) => v.children.map((c) => [c.path, c.element?.id, c.element?.state, c.element?.exitCode, c.children]));
    };
    const before = await tree(first);
    await first.kill();
    const second = await startServer();
    try {
      assert.deepEqual(await tree(second), before);
      assert.deepEqual(before[1].map((r) => r[3]), [137, null]);
    } finally {
      await second.stop();
    }
  });
});

describe('what the engine holds decides the tree', () => {
  const top4 = uniqueName('engine');
  after(() => removeUnder(top4));

  it('shows no container without the labels, or whose name does not match its label', async () => {
    const plain = await docker.createContainer({ Image: IMAGE, Cmd: ['true'], name: `${top4}-plain` });
    const forged = await docker.createContainer({ Image: IMAGE, Cmd: ['true'], name: `${top4}-forged`, Labels: { 'io.circuit.anchor': `/${top4}/forged`, 'io.circuit.scrub': 'false' } });
    const server = await startServer();
    try {
      assert.deepEqual((await server.connection.sendRequest(ViewRequest.type, { path: `/local/${top4}` })).children, []);
    } finally {
      await server.stop();
      await plain.remove({ force: true });
      await forged.remove({ force: true });
    }
  });

  it('removes a Scrub element whose container exited while no server ran', async () => {
    const first = await startServer();
    const made = await first.connection.sendRequest(MakeRequest.type, { path: `/local/${top4}/late`, run: { Image: IMAGE, Path: 'sleep', Args: ['600'], Scrub: true } });
    await first.kill();
    await docker.getContainer(made.id).kill();
    const second = await startServer();
    try {
      await until(() => docker.getContainer(made.id).inspect().then(() => false, (e: { statusCode?: number }) => e.statusCode === 404), 10_000, 'container removed at resync');
      await until(async () => (await second.connection.sendRequest(ViewRequest.type, { path: '/local' })).children.every((c) => c.name !== top4), 5000, 'anchor gone');
    } finally {
      await second.stop();
    }
  });
});

describe('an unreachable host', () => {
  it('never blocks the others, and refuses operations as host-unreachable', async () => {
    const top3 = uniqueName('unreach');
    const server = await startServer({ hosts: [{ name: 'local', docker: 'unix:///var/run/docker.sock' }, { name: 'gone', docker: 'unix:///tmp/circuit-no-such.sock' }] });
    try {
      const { hosts } = await server.connection.sendRequest(HostsRequest.type, {});
      assert.deepEqual(hosts.map((h) => [h.name, h.connected]), [['local', true], ['gone', false]]);
      assert.match(hosts[1].error ?? '', /ENOENT|no engine/);
      assert.equal(await reasonOf(server.connection.sendRequest(MakeRequest.type, { path: '/gone/x', run: sleeper })), 'host-unreachable');
      assert.equal((await server.connection.sendRequest(MakeRequest.type, { path: `/local/${top3}/x`, run: sleeper })).state, 'running');
    } finally {
      await server.stop();
      await removeUnder(top3);
    }
  });
});
