import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnchorInfo, ElementInfo, HostStatus, ViewRequest } from '../../protocol';
import { AnchorMirror, type MirrorChange, type NamespaceSource } from '../../extension/anchorMirror';

/** An in-memory namespace standing in for the server: paths with elements; anchors exist while used. */
class FakeNamespace implements NamespaceSource {
  hostList: HostStatus[] = [{ name: 'local', docker: 'unix:///var/run/docker.sock', connected: true, insecure: false }];
  elements = new Map<string, ElementInfo>();
  views: string[] = [];

  put(path: string, state: ElementInfo['state'] = 'running', exitCode: number | null = null): void {
    this.elements.set(path, { kind: 'docker', id: path, name: path, image: 'circuit-busybox:latest', state, exitCode, scrub: false });
  }

  async hosts() {
    await Promise.resolve();
    return { hosts: this.hostList.map((h) => ({ ...h })) };
  }

  async view(path: string): Promise<ViewRequest.Result> {
    this.views.push(path);
    await Promise.resolve();
    if (path === '/') return { path, children: this.hostList.map((h) => this.info(`/${h.name}`)) };
    const host = this.hostList.find((h) => h.name === path.split('/')[1]);
    if (host === undefined || !host.connected) throw Object.assign(new Error('host unreachable'), { data: { reason: 'host-unreachable' } });
    const names = new Set<string>();
    for (const p of this.elements.keys()) if (p.startsWith(`${path}/`)) names.add(p.slice(path.length + 1).split('/')[0] ?? '');
    return { path, children: [...names].sort().map((n) => this.info(`${path}/${n}`)) };
  }

  private info(path: string): AnchorInfo {
    const names = new Set<string>();
    for (const p of this.elements.keys()) if (p.startsWith(`${path}/`)) names.add(p.slice(path.length + 1).split('/')[0] ?? '');
    return { name: path.slice(path.lastIndexOf('/') + 1), path, element: this.elements.get(path) ?? null, children: names.size };
  }
}

function setup() {
  const ns = new FakeNamespace();
  const mirror = new AnchorMirror(ns);
  const changes: MirrorChange[] = [];
  mirror.onDidChange((c) => changes.push(c));
  return { ns, mirror, changes };
}

describe('the anchor mirror', () => {
  it('loads the whole namespace once', async () => {
    const { ns, mirror, changes } = setup();
    ns.put('/local/app/web');
    ns.put('/local/app/db/primary', 'exited', 0);
    ns.put('/local/job');
    await mirror.reload();
    assert.deepEqual(mirror.allPaths(), ['/local', '/local/app', '/local/app/db', '/local/app/db/primary', '/local/app/web', '/local/job']);
    assert.equal(mirror.runningCount(), 2);
    assert.equal(mirror.anchor('/local/app')?.element, null);
    assert.equal(mirror.anchor('/local/app/db/primary')?.element?.state, 'exited');
    assert.deepEqual(changes, [{ all: true, paths: [] }]);
    await mirror.loaded();
  });

  it('updates one element with two views and names only that anchor', async () => {
    const { ns, mirror, changes } = setup();
    ns.put('/local/app/web');
    ns.put('/local/app/db');
    await mirror.reload();
    ns.views = [];
    changes.length = 0;
    ns.put('/local/app/web', 'exited', 137);
    await mirror.changed(['/local/app/web']);
    assert.deepEqual(ns.views, ['/local/app', '/local/app/web']);
    assert.deepEqual(changes, [{ all: false, paths: ['/local/app/web'] }]);
    assert.equal(mirror.anchor('/local/app/web')?.element?.exitCode, 137);
    assert.equal(mirror.runningCount(), 1);
  });

  it('loads a new deep anchor even when only the deepest path is named', async () => {
    const { ns, mirror, changes } = setup();
    ns.put('/local/app/web');
    await mirror.reload();
    changes.length = 0;
    ns.put('/local/x/y/z');
    await mirror.changed(['/local/x/y/z']);
    assert.ok(mirror.allPaths().includes('/local/x/y/z'));
    assert.deepEqual(mirror.children('/local/x/y'), ['/local/x/y/z']);
    assert.deepEqual(changes.flatMap((c) => c.paths), ['/local']);
  });

  it('drops removed anchors and their empty parents', async () => {
    const { ns, mirror, changes } = setup();
    ns.put('/local/app/web');
    ns.put('/local/job');
    await mirror.reload();
    changes.length = 0;
    ns.elements.delete('/local/app/web');
    await mirror.changed(['/local/app/web', '/local/app', '/local']);
    assert.deepEqual(mirror.allPaths(), ['/local', '/local/job']);
    assert.equal(mirror.anchor('/local/app'), undefined);
    assert.ok(changes.flatMap((c) => c.paths).includes('/local'));
  });

  it('reloads a host whose connection changed, and empties a lost one', async () => {
    const { ns, mirror, changes } = setup();
    ns.put('/local/app/web');
    await mirror.reload();
    changes.length = 0;
    ns.hostList[0] = { ...ns.hostList[0]!, connected: false, error: 'connect ENOENT' };
    await mirror.changed(['/', '/local']);
    assert.equal(mirror.host('local')?.connected, false);
    assert.deepEqual(mirror.allPaths(), ['/local']);
    assert.equal(mirror.runningCount(), 0);
    // Back, with a container that appeared meanwhile.
    ns.put('/local/other');
    ns.hostList[0] = { ...ns.hostList[0]!, connected: true, error: undefined };
    await mirror.changed(['/', '/local']);
    assert.deepEqual(mirror.allPaths(), ['/local', '/local/app', '/local/app/web', '/local/other']);
  });

  it('serializes overlapping notifications and ends in the server\'s state', async () => {
    const { ns, mirror } = setup();
    await mirror.reload();
    const pending: Array<Promise<void>> = [];
    for (let i = 0; i < 30; i++) {
      ns.put(`/local/n${i % 7}/e${i}`);
      if (i % 3 === 0) ns.elements.delete(`/local/n${(i + 1) % 7}/e${i - 2}`);
      pending.push(mirror.changed([`/local/n${i % 7}/e${i}`, `/local/n${(i + 1) % 7}`]));
    }
    await Promise.all(pending);
    await mirror.changed(['/local']);
    const expected = new Set<string>(['/local']);
    for (const p of ns.elements.keys()) {
      const parts = p.split('/');
      for (let k = 3; k <= parts.length; k++) expected.add(parts.slice(0, k).join('/'));
    }
    assert.deepEqual(new Set(mirror.allPaths()), expected);
  });
});
