import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnchorInfo, ElementInfo, HostStatus } from '../../protocol';
import {
  anchorTooltip,
  contextValue,
  elementDescription,
  elementIcon,
  hostDescription,
  hostIcon,
  hostTooltip,
  connectionProblem,
  shortImage,
  statusSummary,
} from '../../extension/describe';
import { happened, timeAgo } from '../../extension/timeAgo';

const now = Date.parse('2026-12-04T12:00:00Z');
const never = '0001-01-01T00:00:00Z';

function element(over: Partial<ElementInfo>): ElementInfo {
  return {
    kind: 'docker',
    id: 'a'.repeat(64),
    name: 'circuit_app_-web',
    image: 'circuit-busybox:latest',
    state: 'running',
    exitCode: null,
    scrub: false,
    startedAt: '2026-12-04T11:58:00Z',
    finishedAt: never,
    ...over,
  };
}

const host: HostStatus = { name: 'local', docker: 'unix:///var/run/docker.sock', connected: true, serverVersion: '20.10.24', insecure: false };

describe('time ago', () => {
  it('reads seconds, minutes, hours and days', () => {
    assert.equal(timeAgo('2026-12-04T11:59:58Z', now), 'just now');
    assert.equal(timeAgo('2026-12-04T11:59:18Z', now), '42 s ago');
    assert.equal(timeAgo('2026-12-04T11:58:00Z', now), '2 min ago');
    assert.equal(timeAgo('2026-12-04T09:00:00Z', now), '3 h ago');
    assert.equal(timeAgo('2026-12-03T11:00:00Z', now), '1 day ago');
    assert.equal(timeAgo('2026-11-29T12:00:00Z', now), '5 days ago');
  });

  it('knows the engine\'s "never" and bad input', () => {
    assert.equal(timeAgo(never, now), undefined);
    assert.equal(timeAgo(undefined, now), undefined);
    assert.equal(timeAgo('yesterday', now), undefined);
    assert.equal(happened(never), false);
    assert.equal(happened('2026-12-04T11:58:00Z'), true);
    // A clock slightly behind the engine's never shows a negative age.
    assert.equal(timeAgo('2026-12-04T12:00:03Z', now), 'just now');
  });
});

describe('element descriptions and icons', () => {
  it('describes each state as the issue shows it', () => {
    assert.equal(elementDescription(element({}), now), 'running · circuit-busybox');
    assert.equal(elementDescription(element({ image: 'busybox:1.36' }), now), 'running · busybox:1.36');
    assert.equal(elementDescription(element({ state: 'exited', exitCode: 137, finishedAt: '2026-12-04T11:58:00Z' }), now), 'exited (137) 2 min ago');
    assert.equal(elementDescription(element({ state: 'exited', exitCode: 0, finishedAt: never }), now), 'exited (0)');
    assert.equal(elementDescription(element({ state: 'created' }), now), 'created · circuit-busybox');
    assert.equal(elementDescription(element({ state: 'paused' }), now), 'paused · circuit-busybox');
    assert.equal(elementDescription(element({ state: 'dead', exitCode: 1 }), now), 'dead (1)');
    assert.equal(shortImage('registry:5000/app:latest'), 'registry:5000/app');
  });

  it('gives each state its own icon', () => {
    const icons = new Map<string, string>([
      ['running', elementIcon(element({})).id],
      ['exited 0', elementIcon(element({ state: 'exited', exitCode: 0 })).id],
      ['exited 137', elementIcon(element({ state: 'exited', exitCode: 137 })).id],
      ['created', elementIcon(element({ state: 'created' })).id],
      ['paused', elementIcon(element({ state: 'paused' })).id],
      ['dead', elementIcon(element({ state: 'dead' })).id],
    ]);
    assert.equal(new Set(icons.values()).size, icons.size, `icons must differ: ${JSON.stringify([...icons])}`);
    assert.equal(icons.get('exited 137'), 'error');
    assert.equal(elementIcon(element({ state: 'exited', exitCode: 137 })).color, 'errorForeground');
  });

  it('sets the contextValue the menus match', () => {
    const anchor = (e: ElementInfo | null): AnchorInfo => ({ name: 'web', path: '/local/web', element: e, children: 0 });
    assert.equal(contextValue({ kind: 'anchor', anchor: anchor(element({})) }), 'element.running.live');
    assert.equal(contextValue({ kind: 'anchor', anchor: anchor(element({ state: 'created' })) }), 'element.created.live');
    assert.equal(contextValue({ kind: 'anchor', anchor: anchor(element({ state: 'exited', exitCode: 1 })) }), 'element.exited');
    assert.equal(contextValue({ kind: 'anchor', anchor: anchor(null) }), 'anchor');
    assert.equal(contextValue({ kind: 'host', host }), 'host.connected');
    assert.equal(contextValue({ kind: 'host', host: { ...host, connected: false } }), 'host.disconnected');
  });

  it('puts image, id and times in the tooltip', () => {
    const a: AnchorInfo = { name: 'web', path: '/local/web', element: element({ state: 'exited', exitCode: 2, finishedAt: '2026-12-04T11:59:00Z' }), children: 0 };
    const tip = anchorTooltip(a, now);
    assert.match(tip, /\*\*\/local\/web\*\*/);
    assert.match(tip, /Image: `circuit-busybox:latest`/);
    assert.match(tip, /aaaaaaaaaaaa/);
    assert.match(tip, /Started: 2026-12-04T11:58:00Z \(2 min ago\)/);
    assert.match(tip, /Finished: 2026-12-04T11:59:00Z \(1 min ago\)/);
    const running = anchorTooltip({ ...a, element: element({}) }, now);
    assert.doesNotMatch(running, /Finished/);
    assert.match(anchorTooltip({ ...a, element: null, children: 2 }, now), /2 anchors below, no element/);
  });
});

describe('hosts and the status bar', () => {
  it('describes hosts, with the error of a disconnected one', () => {
    assert.equal(hostDescription(host), 'connected · Docker 20.10.24');
    const down: HostStatus = { ...host, connected: false, error: 'connect ENOENT /var/run/docker.sock' };
    assert.equal(hostDescription(down), 'disconnected');
    assert.match(hostTooltip(down), /Not connected: connect ENOENT/);
    assert.equal(hostIcon(down).id, 'debug-disconnect');
    assert.match(hostTooltip({ ...host, docker: 'tcp://10.0.0.2:2375', insecure: true }), /without TLS/);
  });

  it('summarizes hosts connected and containers running', () => {
    assert.deepEqual(statusSummary([host], 3).text, '$(server-process) 1 host · 3 running');
    const two = statusSummary([host, { ...host, name: 'build', connected: false }], 1);
    assert.equal(two.text, '$(warning) 1/2 hosts · 1 running');
    assert.equal(two.warning, true);
    assert.match(two.tooltip, /\/build: disconnected/);
  });

  it('classifies why no host is connected, for the welcome view', () => {
    const down = (error: string): HostStatus => ({ ...host, connected: false, error });
    assert.equal(connectionProblem([host, down('no engine answers (ENOENT)')]), undefined);
    assert.equal(connectionProblem([]), 'no-hosts');
    assert.equal(connectionProblem([down('no engine answers (ECONNREFUSED)')]), 'not-running');
    assert.equal(connectionProblem([down('connect EACCES /var/run/docker.sock')]), 'permission');
    assert.equal(connectionProblem([down('unable to verify the first certificate')]), 'tls');
    assert.equal(connectionProblem([down('the engine closed the event stream')]), 'other');
  });
});
