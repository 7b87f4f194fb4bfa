/**
 * Several engines at once: a second, independent dockerd in its own network namespace next to the main
 * one. Stopping it leaves the main one working; starting it again reconnects with the same tree.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HostsRequest, MakeRequest, PeekRequest, type Run, ViewRequest } from '../../protocol';
import { IMAGE, SecondEngine, removeUnder, uniqueName } from '../support/engine';
import { type ServerUnderTest, reasonOf, startServer, until } from '../support/server';

const sleeper: Run = { Image: IMAGE, Path: 'sleep', Args: ['600'] };

describe('two engines', () => {
  const second = new SecondEngine('circuit-d2');
  const top = uniqueName('hosts');
  let server: ServerUnderTest;
  const hosts = async () => (await server.connection.sendRequest(HostsRequest.type, {})).hosts.map((h) => [h.name, h.connected]);

  before(async () => {
    await second.start();
    server = await startServer({ hosts: [{ name: 'local', docker: 'unix:///var/run/docker.sock' }, { name: 'two', docker: second.endpoint }] });
  });
  after(async () => {
    await server?.stop();
    await removeUnder(top);
    await second.start().then(() => removeUnder(top, second.docker)).catch(() => undefined);
    await second.destroy();
  });

  it('makes elements on both, each on its own engine', async () => {
    assert.deepEqual(await hosts(), [['local', true], ['two', true]]);
    const one = await server.connection.sendRequest(MakeRequest.type, { path: `/local/${top}/a`, run: sleeper });
    const two = await server.connection.sendRequest(MakeRequest.type, { path: `/two/${top}/a`, run: sleeper });
    assert.notEqual(one.id, two.id);
    assert.equal((await second.docker.getContainer(two.id).inspect()).State.Running, true);
    const root = await server.connection.sendRequest(ViewRequest.type, { path: '/' });
    assert.deepEqual(root.children.map((c) => c.path), ['/local', '/two']);
  });

  it('a stopped engine shows disconnected, the other keeps working, and it reconnects with the same tree', async () => {
    const before = (await server.connection.sendRequest(ViewRequest.type, { path: `/two/${top}` })).children.map((c) => [c.path, c.element?.id]);
    const lost = server.nextChange('/two', 30_000);
    await second.stop();
    await lost;
    assert.deepEqual(await hosts(), [['local', true], ['two', false]]);
    assert.equal(await reasonOf(server.connection.sendRequest(PeekRequest.type, { path: `/two/${top}/a` })), 'host-unreachable');
    // The main engine answers as before.
    await server.connection.sendRequest(MakeRequest.type, { path: `/local/${top}/b`, run: sleeper });
    assert.equal((await server.connection.sendRequest(PeekRequest.type, { path: `/local/${top}/b` })).State.Running, true);
    // Its last known tree stays visible while it is away.
    assert.deepEqual((await server.connection.sendRequest(ViewRequest.type, { path: `/two/${top}` })).children.map((c) => [c.path, c.element?.id]), before);

    await second.start();
    await until(async () => (await hosts()).every(([, connected]) => connected), 10_000, 'second engine reconnected');
    const after = (await server.connection.sendRequest(ViewRequest.type, { path: `/two/${top}` })).children.map((c) => [c.path, c.element?.id]);
    assert.deepEqual(after, before);
  });

  it('takes new hosts from workspace/didChangeConfiguration', async () => {
    const changed = server.nextChange('/');
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: { circuit: { hosts: [{ name: 'only', docker: 'unix:///var/run/docker.sock' }] } } });
    await changed;
    assert.deepEqual(await hosts(), [['only', true]]);
    assert.equal(await reasonOf(server.connection.sendRequest(ViewRequest.type, { path: '/local' })), 'no-such-host');
    const mine = await server.connection.sendRequest(ViewRequest.type, { path: `/only/${top}` });
    assert.deepEqual(mine.children.map((c) => c.name), ['a', 'b']);
  });
});
