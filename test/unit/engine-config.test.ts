import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signalNames } from '../../protocol';
import { readHosts } from '../../server/engine/hostConfig';
import { parseSignal } from '../../server/engine/signals';
import { EventLines, type EngineEvent } from '../../server/engine/eventLines';
import { CircuitError } from '../../server/errors';

describe('signal names', () => {
  it('takes every Circuit name, any case, with or without SIG', () => {
    for (const name of signalNames) {
      assert.equal(parseSignal(name), name);
      assert.equal(parseSignal('sig' + name.toLowerCase()), name);
      assert.equal(parseSignal('Sig' + name), name);
    }
  });
  it('refuses others as invalid-signal', () => {
    for (const bad of ['', 'SIG', 'KILLL', '9', 'RTMIN', 'KILL; rm -rf /']) {
      assert.throws(() => parseSignal(bad), (e: unknown) => e instanceof CircuitError && e.reason === 'invalid-signal');
    }
  });
});

describe('host configuration', () => {
  it('defaults to one host named local from DOCKER_HOST or the default socket', () => {
    assert.deepEqual(readHosts(undefined, {}).hosts.map((h) => [h.name, h.docker]), [['local', 'unix:///var/run/docker.sock']]);
    assert.deepEqual(readHosts([], { DOCKER_HOST: 'tcp://10.0.0.1:2375' }).hosts.map((h) => [h.name, h.docker, h.insecure]), [['local', 'tcp://10.0.0.1:2375', true]]);
  });

  it('reads unix and tcp endpoints and drops bad entries with a reason, keeping the good ones', () => {
    const { hosts, problems } = readHosts(
      [
        { name: 'a', docker: 'unix:///run/a.sock' },
        { name: 'b', docker: 'tcp://127.0.0.1:2375' },
        { name: 'bad name', docker: 'unix:///x' },
        { name: 'c', docker: 'http://x' },
        { name: 'a', docker: 'unix:///again' },
        'nonsense',
      ],
      {},
    );
    assert.deepEqual(hosts.map((h) => h.name), ['a', 'b']);
    assert.deepEqual(hosts[0].options, { socketPath: '/run/a.sock' });
    assert.deepEqual(hosts[1].options, { host: '127.0.0.1', port: 2375, protocol: 'http' });
    assert.equal(hosts[1].insecure, true);
    assert.equal(problems.length, 4);
    assert.match(problems[0], /not a host name/);
    assert.match(problems[1], /not an endpoint/);
    assert.match(problems[2], /used twice/);
  });

  it('drops a tcp:// endpoint that is no host:port (it used to fail the whole configuration), and shows a malformed DOCKER_HOST as an error', () => {
    const { hosts, problems } = readHosts(
      [
        { name: 'space', docker: 'tcp://a b' },
        { name: 'bracket', docker: 'tcp://[::1' },
        { name: 'port', docker: 'tcp://h:99999999' },
        { name: 'zero', docker: 'tcp://h:0' },
        { name: 'user', docker: 'tcp://u@h:2375' },
        { name: 'query', docker: 'tcp://h:2375?x' },
        { name: 'ok', docker: 'tcp://[::1]:2375' },
      ],
      {},
    );
    assert.deepEqual(hosts.map((h) => h.name), ['ok']);
    assert.equal(problems.length, 6);
    for (const p of problems) assert.match(p, /not an endpoint/);
    for (const docker of ['tcp://a b', 'ssh://me@box']) {
      const [h] = readHosts(undefined, { DOCKER_HOST: docker }).hosts;
      assert.ok('error' in h.options && /not an endpoint/.test(h.options.error), docker);
    }
  });

  it('uses TLS when asked, and says when the certificates cannot be read', () => {
    const [h] = readHosts([{ name: 'tls', docker: 'tcp://127.0.0.1:2376', tlsVerify: true, certPath: '/nonexistent' }], {}).hosts;
    assert.equal(h.insecure, false);
    assert.ok('error' in h.options && /cannot read the TLS certificates/.test(h.options.error));
  });
});

describe('event lines', () => {
  it('splits events across chunks, including a split multi-byte character, and skips bad lines', () => {
    const seen: EngineEvent[] = [];
    const lines = new EventLines((e) => seen.push(e));
    const text = Buffer.from('{"Type":"container","Action":"start","id":"é1"}\nnot json\n{"Type":"image","Action":"tag"}\n');
    for (let i = 0; i < text.length; i += 7) lines.push(text.subarray(i, i + 7));
    assert.deepEqual(seen.map((e) => [e.Type, e.Action, e.id]), [['container', 'start', 'é1'], ['image', 'tag', undefined]]);
  });
});
