/**
 * The fault suite: the real server process against real engines when things go wrong. Bad and hostile
 * input, no listening socket, the server killed in the middle of a make, an engine that restarts, a
 * second engine that goes away and comes back.
 *
 * Engines that are killed here are this suite's own (a SecondEngine in its own network namespace);
 * the main engine is shared with everyone and is never stopped.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  AckNotification,
  AttachRequest,
  CloseStdinRequest,
  DetachRequest,
  DockerRunLineRequest,
  InputRequest,
  errorReasons,
  HostsRequest,
  MakeRequest,
  OutputNotification,
  PeekRequest,
  type Run,
  ScrubRequest,
  SignalRequest,
  ViewRequest,
  WaitRequest,
} from '../../protocol';
import { ANCHOR_LABEL, SCRUB_LABEL } from '../../server/anchor/labels';
import { containerName } from '../../server/anchor/path';
import type Docker from 'dockerode';
import { IMAGE, SecondEngine, docker, removeUnder, uniqueName } from '../support/engine';
import { RawClient, type RawResponse } from '../support/rawClient';
import { type ServerUnderTest, reasonOf, startServer, until, withTimeout } from '../support/server';

const sleeper: Run = { Image: IMAGE, Path: 'sleep', Args: ['600'] };
const TEN_MB = 'a'.repeat(10 * 1024 * 1024);

function rssOf(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
}

describe('bad input', () => {
  const top = uniqueName('bad');
  const at = (...names: string[]) => ['/local', top, ...names].join('/');
  const marker = `/tmp/circuit-pwned-${top}`;
  let client: RawClient;

  before(async () => {
    client = new RawClient();
    await client.initialize();
    const made = await client.request(MakeRequest.method, { path: at('target'), run: sleeper });
    assert.equal(made.error, undefined, made.error?.message);
  });
  after(async () => {
    await client?.kill();
    await removeUnder(top);
    fs.rmSync(marker, { force: true });
  });

  /**
   * Checks an error response: a reason from the protocol's list (one of `reasons`) and a short message.
   * Problems are gathered so that one run shows every request that misbehaves.
   */
  const problems: string[] = [];
  const refused = (response: RawResponse, what: string, reasons: readonly string[] = errorReasons) => {
    if (!response.error) return void problems.push(`${what}: expected an error, got ${JSON.stringify(response.result)?.slice(0, 200)}`);
    const reason = response.error.data?.reason;
    if (reason === undefined || !reasons.includes(reason)) {
      problems.push(`${what}: reason ${reason} (code ${response.error.code}: ${response.error.message.slice(0, 200)}), expected one of ${reasons.join(', ')}`);
    }
    // A 10 MB input is never echoed back whole.
    if (response.bytes >= 4096) problems.push(`${what}: the error response is ${response.bytes} bytes`);
  };
  const noProblems = () => assert.deepEqual(problems.splice(0), []);
  const stillServes = async (what: string) => {
    assert.ok(client.alive, `the server died after ${what}: ${client.stderr.join('')}`);
    const hosts = await withTimeout(client.request(HostsRequest.method, {}), 5000, `circuit/hosts after ${what}`);
    assert.equal(hosts.error, undefined);
    const peek = await withTimeout(client.request(PeekRequest.method, { path: at('target') }), 5000, `circuit/peek after ${what}`);
    assert.equal((peek.result as { State: { Running: boolean } }).State.Running, true, `the target element stopped after ${what}`);
  };

  const pathMethods = [ViewRequest.method, MakeRequest.method, PeekRequest.method, WaitRequest.method, SignalRequest.method, ScrubRequest.method, AttachRequest.method];
  const badPaths: [string, unknown, string[]][] = [
    ['a number', 7, ['invalid-params']],
    ['true', true, ['invalid-params']],
    ['null', null, ['invalid-params']],
    ['an array', ['/local/x'], ['invalid-params']],
    ['an object', { path: '/local/x' }, ['invalid-params']],
    ['10 MB', '/local/' + TEN_MB, ['invalid-path']],
    ['10 MB of slashes', '/'.repeat(10 * 1024 * 1024), ['invalid-path']],
    ['../', '../', ['invalid-path']],
    ['/local/..', '/local/..', ['invalid-path']],
    ['traversal', '/local/a/../../etc/passwd', ['invalid-path']],
    ['a dot name', '/local/./x', ['invalid-path']],
    ['a NUL byte', '/local/a\u0000b', ['invalid-path']],
    ['only NUL', '\u0000', ['invalid-path']],
    ['$(...)', `/local/$(touch ${marker})`, ['invalid-path']],
    ['backticks', `/local/\`touch ${marker}\``, ['invalid-path']],
    ['a semicolon', `/local/x;touch ${marker}`, ['invalid-path']],
    ['a pipe and &&', `/local/x|touch ${marker}&&true`, ['invalid-path']],
    ['a newline', '/local/x\ntouch', ['invalid-path']],
    ['percent-encoded dots', '/local/%2e%2e/x', ['invalid-path']],
    ['a backslash', '/local/..\\..\\x', ['invalid-path']],
    ['a double slash', '//local/x', ['invalid-path']],
    ['no leading slash', 'local/x', ['invalid-path']],
    ['a homoglyph host', '/ｌocal/x', ['invalid-path']],
    ['a 64-character name', '/local/' + 'n'.repeat(64), ['invalid-path']],
    ['17 names deep', '/local' + '/n'.repeat(17), ['invalid-path']],
    ['an unknown host', '/nohost/x', ['no-such-host']],
    ['an unknown host with dots', '/.../x', ['invalid-path']],
  ];

  it('refuses absent, null and non-object params of every request', async () => {
    for (const method of [HostsRequest.method, ...pathMethods]) {
      for (const [what, params] of [['a string', 'x'], ['a number', 5], ['true', true], ['two params by position', [{ path: at('target') }, {}]], ['three params by position', [1, 2, 3]]] as const) {
        refused(await client.request(method, params), `${method} with ${what} params`, ['invalid-params']);
      }
      if (method === HostsRequest.method) {
        // circuit/hosts has no params to miss.
        for (const response of [await client.request(method), await client.request(method, null)]) assert.equal(response.error, undefined);
      } else {
        refused(await client.request(method), `${method} without params`, ['invalid-params']);
        refused(await client.request(method, null), `${method} with null params`, ['invalid-params']);
        refused(await client.request(method, {}), `${method} with {}`, ['invalid-params']);
      }
    }
    // circuit/dockerRunLine too: a spec URI given by position is not taken for { uri }.
    for (const params of [[{ uri: 'file:///etc/passwd' }, {}], 'file:///etc/passwd', 5]) {
      refused(await client.request(DockerRunLineRequest.method, params), `circuit/dockerRunLine with ${JSON.stringify(params)}`, ['invalid-params']);
    }
    noProblems();
    await stillServes('params of the wrong shape');
  });

  it('refuses wrong-typed, oversized and hostile paths in every request', async () => {
    for (const method of pathMethods) {
      for (const [what, path, reasons] of badPaths) {
        const params = method === MakeRequest.method ? { path, run: sleeper } : method === SignalRequest.method ? { path, signal: 'KILL' } : { path };
        refused(await client.request(method, params), `${method} at ${what}`, reasons);
      }
    }
    noProblems();
    await stillServes('bad paths');
  });

  it('refuses wrong-typed, oversized and hostile signals; the element never gets one', async () => {
    const signals: [string, unknown, string[]][] = [
      ['absent', undefined, ['invalid-params']],
      ['a number', 9, ['invalid-params']],
      ['null', null, ['invalid-params']],
      ['an array', ['KILL'], ['invalid-params']],
      ['10 MB', TEN_MB, ['invalid-signal']],
      ['empty', '', ['invalid-signal']],
      ['SIG alone', 'SIG', ['invalid-signal']],
      ['a number as text', '9', ['invalid-signal']],
      ['a NUL byte', 'KI\u0000LL', ['invalid-signal']],
      ['KILL and a command', `KILL; touch ${marker}`, ['invalid-signal']],
      ['$(...)', `$(touch ${marker})`, ['invalid-signal']],
      ['../KILL', '../KILL', ['invalid-signal']],
    ];
    for (const [what, signal, reasons] of signals) {
      refused(await client.request(SignalRequest.method, { path: at('target'), signal }), `signal ${what}`, reasons);
    }
    noProblems();
    await stillServes('bad signals');
  });

  it('refuses wrong-typed, oversized and hostile Run fields before anything is created', async () => {
    const runs: [string, unknown][] = [
      ['an absent run', undefined],
      ['a null run', null],
      ['a string run', JSON.stringify(sleeper)],
      ['an array run', [sleeper]],
      ['no Image', { Path: 'true' }],
      ['a number Image', { Image: 7 }],
      ['a 10 MB Image', { Image: TEN_MB }],
      ['a 10 MB field name', { Image: IMAGE, [TEN_MB]: 1 }],
      ['a 10 MB Env entry', { Image: IMAGE, Env: ['A=' + TEN_MB] }],
      ['a 10 MB Env name', { Image: IMAGE, Env: [TEN_MB + '=1'] }],
      ['a 10 MB argument', { Image: IMAGE, Path: 'echo', Args: [TEN_MB] }],
      ['a 10 MB Path', { Image: IMAGE, Path: TEN_MB }],
      ['a 10 MB Entry', { Image: IMAGE, Entry: TEN_MB }],
      ['a 10 MB Dir', { Image: IMAGE, Dir: '/' + TEN_MB }],
      ['a 10 MB Volume', { Image: IMAGE, Volume: ['/' + TEN_MB] }],
      ['a 10 MB Lxc entry', { Image: IMAGE, Lxc: [TEN_MB] }],
      ['an Image with a command', { Image: `${IMAGE};touch ${marker}` }],
      ['an Image with $(...)', { Image: `$(touch ${marker})` }],
      ['an Image that traverses', { Image: '../../etc/passwd' }],
      ['an Image with a NUL byte', { Image: IMAGE + '\u0000' }],
      ['an Env name with a NUL byte', { Image: IMAGE, Env: ['A\u0000B=1'] }],
      ['an Env value with a NUL byte', { Image: IMAGE, Env: ['A=1\u0000'] }],
      ['a Path with a NUL byte', { Image: IMAGE, Path: 'ec\u0000ho' }],
      ['an argument with a NUL byte', { Image: IMAGE, Path: 'echo', Args: ['a\u0000b'] }],
      ['a Dir with a NUL byte', { Image: IMAGE, Dir: '/tmp\u0000' }],
      ['a relative Dir', { Image: IMAGE, Dir: '../etc' }],
      ['a relative bind', { Image: IMAGE, Volume: ['../..:/x'] }],
      ['an LXC option without an equivalent', { Image: IMAGE, Lxc: ['lxc.aa_profile=unconfined'] }],
      ['Memory as text', { Image: IMAGE, Memory: '1g' }],
      ['negative Memory', { Image: IMAGE, Memory: -1 }],
      ['huge Memory', { Image: IMAGE, Memory: 1e308 }],
      ['fractional CpuShares', { Image: IMAGE, CpuShares: 0.5 }],
      ['Scrub as text', { Image: IMAGE, Scrub: 'yes' }],
      ['an unknown field', { Image: IMAGE, Privileged: true }],
    ];
    const before = await docker.listContainers({ all: true, filters: { label: [`${ANCHOR_LABEL}=/${top}/run`] } });
    for (const [what, run] of runs) {
      const params = run === undefined ? { path: at('run') } : { path: at('run'), run };
      refused(await client.request(MakeRequest.method, params), `make with ${what}`, ['invalid-params', 'invalid-run']);
    }
    noProblems();
    // Nested deeper than any recursive JSON walk goes (sent as text: the client's JSON.stringify cannot).
    const depth = 200_000;
    const deep = `{"jsonrpc":"2.0","id":"deep","method":"${MakeRequest.method}","params":{"path":"${at('run')}","run":{"Image":"${IMAGE}","Env":${'['.repeat(depth)}"X=1"${']'.repeat(depth)}}}}`;
    refused(await client.send('deep', deep), 'make with Env nested 200,000 deep', ['invalid-params', 'invalid-run']);
    // Too large for the kernel to exec (at most 128 KiB per string, about 2 MB in all): the engine refuses
    // at start, and the container it created is removed again.
    const huge = { Image: IMAGE, Path: 'true', Env: Array.from({ length: 160 }, (_, i) => `K${i}=${'v'.repeat(64 * 1024)}`) };
    refused(await client.request(MakeRequest.method, { path: at('run'), run: huge }), 'make with 10 MB of Env in 64 KiB entries', ['invalid-run', 'docker-error']);
    noProblems();
    const afterwards = await docker.listContainers({ all: true, filters: { label: [`${ANCHOR_LABEL}=/${top}/run`] } });
    assert.deepEqual(afterwards, before, 'a refused make created a container');
    await stillServes('bad Run specs');
  });

  it('refuses missing, wrong-typed, oversized and hostile URIs of circuit/dockerRunLine, reading no device', async () => {
    const method = DockerRunLineRequest.method;
    refused(await client.request(method), `${method} without params`, ['invalid-params']);
    for (const [what, uri] of [['absent', undefined], ['a number', 7], ['null', null], ['an array', ['file:///x']], ['empty', '']] as const) {
      refused(await client.request(method, uri === undefined ? {} : { uri }), `${method} with ${what} uri`, ['invalid-params']);
    }
    for (const [what, uri] of [
      ['10 MB', 'file:///' + TEN_MB],
      ['a NUL byte', 'file:///tmp/a%00b'],
      ['traversal', 'file:///../../../nonexistent/../x.circuit.json'],
      ['a directory', 'file:///tmp'],
      ['not a file: URI', 'untitled:spec.circuit.json'],
      ['a shell command', `file:///tmp/$(touch ${marker})`],
    ] as const) {
      refused(await client.request(method, { uri }), `${method} of ${what}`, ['invalid-params', 'invalid-run']);
    }
    const rssBefore = rssOf(client.child.pid!);
    for (const [what, uri] of [['an endless device', 'file:///dev/zero'], ['a device', 'file:///dev/null']] as const) {
      refused(await client.request(method, { uri }), `${method} of ${what}`, ['invalid-params', 'invalid-run']);
    }
    assert.ok(rssOf(client.child.pid!) - rssBefore < 64 * 2 ** 20, 'the server read something large');
    noProblems();
    await stillServes('bad dockerRunLine URIs');
  });

  it('keeps the good hosts when the configuration holds malformed and hostile ones', async () => {
    const hostile = [
      { name: 'spaced', docker: 'tcp://a b' },
      { name: 'bracket', docker: 'tcp://[::1' },
      { name: '../up', docker: 'unix:///var/run/docker.sock' },
      { name: 'nul\u0000', docker: 'unix:///var/run/docker.sock' },
      { name: TEN_MB, docker: 'unix:///var/run/docker.sock' },
      { name: 'shell', docker: `unix:///tmp/$(touch ${marker})` },
      { name: 'number', docker: 7 },
      'nonsense',
      { name: 'local', docker: 'unix:///var/run/docker.sock' },
    ];
    const configured = new RawClient();
    try {
      const init = await configured.request('initialize', { processId: null, rootUri: null, capabilities: {}, initializationOptions: { hosts: hostile } });
      assert.equal(init.error, undefined, init.error?.message);
      configured.notify('initialized', {});
      const names = async () => ((await configured.request(HostsRequest.method, {})).result as { hosts: { name: string; connected: boolean }[] }).hosts.map((h) => [h.name, h.connected]);
      assert.deepEqual(await names(), [['shell', false], ['local', true]]);
      for (const settings of [{ hosts: hostile.slice(0, -1) }, { hosts: 'str' }, { hosts: [null] }, null, 7]) {
        configured.notify('workspace/didChangeConfiguration', { settings: { circuit: settings } });
        assert.ok((await configured.request(HostsRequest.method, {})).result, 'circuit/hosts after a bad configuration');
      }
      configured.notify('workspace/didChangeConfiguration', { settings: { circuit: { hosts: hostile } } });
      assert.deepEqual(await names(), [['shell', false], ['local', true]]);
      assert.equal(fs.existsSync(marker), false);
    } finally {
      await configured.kill();
    }
  });

  it('refuses bad sessions and data in the stdio requests, and ignores bad acks', async () => {
    const attached = await client.request(AttachRequest.method, { path: at('target') });
    const session = (attached.result as { session: string }).session;
    assert.ok(session, attached.error?.message);
    refused(await client.request(AttachRequest.method, { path: at('target'), replay: 'yes' }), 'attach with replay "yes"', ['invalid-params']);
    for (const method of [InputRequest.method, CloseStdinRequest.method, DetachRequest.method]) {
      refused(await client.request(method), `${method} without params`, ['invalid-params']);
      for (const [what, id] of [['absent', undefined], ['a number', 7], ['null', null], ['an array', [session]], ['10 MB', TEN_MB], ['../', '../'], ['a NUL byte', session + '\u0000'], ['unknown', 'nope']] as const) {
        refused(await client.request(method, { session: id, data: 'aGk=' }), `${method} with ${what} session`, ['invalid-params', 'no-session']);
      }
    }
    for (const [what, data] of [['absent', undefined], ['a number', 7], ['null', null], ['not base64', '!!!!'], ['cut base64', 'aGk'], ['a NUL byte', 'aG\u0000k'], ['over 16 MiB', 'A'.repeat(17 * 1024 * 1024)]] as const) {
      refused(await client.request(InputRequest.method, { session, data }), `input with ${what} data`, ['invalid-params']);
    }
    for (const params of [null, 'x', [1], {}, { session: 7, bytes: 1 }, { session, bytes: -1 }, { session, bytes: 'many' }, { session, bytes: 1e308 }, { session: TEN_MB, bytes: 1 }]) {
      client.notify(AckNotification.method, params);
    }
    noProblems();
    await stillServes('bad stdio requests');
    assert.equal((await client.request(DetachRequest.method, { session })).error, undefined);
  });

  it('passes shell metacharacters in Run fields to the program as they are: nothing reaches a shell', async () => {
    const hostile = [`$(touch ${marker})`, `\`touch ${marker}\``, `; touch ${marker}`, `| touch ${marker}`, `&& touch ${marker}`, `' "; touch ${marker}`];
    const made = await client.request(MakeRequest.method, {
      path: at('meta'),
      run: { Image: IMAGE, Path: 'echo', Args: hostile, Env: hostile.map((h, i) => `H${i}=${h}`), Dir: '/tmp', Scrub: false },
    });
    assert.equal(made.error, undefined, made.error?.message);
    const final = (await client.request(WaitRequest.method, { path: at('meta') })).result as { State: { ExitCode: number }; Config: { Cmd: string[]; Env: string[] }; Path: string; Args: string[] };
    assert.equal(final.State.ExitCode, 0);
    assert.deepEqual(final.Config.Cmd, ['echo', ...hostile]);
    for (const [i, h] of hostile.entries()) assert.ok(final.Config.Env.includes(`H${i}=${h}`));
    assert.equal(fs.existsSync(marker), false, 'a shell ran a command from a Run field');
  });

  it('keeps serving after malformed frames and messages', async () => {
    const garbage: [string, () => void][] = [
      ['a body that is not JSON', () => client.frame('{"jsonrpc":"2.0","id":')],
      ['a JSON array', () => client.frame('[1,2,3]')],
      ['a JSON string', () => client.frame('"circuit/view"')],
      ['JSON null', () => client.frame('null')],
      ['a message whose method is a number', () => client.frame('{"jsonrpc":"2.0","id":"m","method":5}')],
      ['a notification with bad params', () => client.frame('{"jsonrpc":"2.0","method":"circuit/ack","params":{"session":7,"bytes":"x"}}')],
      ['invalid UTF-8', () => client.frame(Buffer.from([0x7b, 0x22, 0x6a, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]))],
      ['a response to nothing', () => client.frame('{"jsonrpc":"2.0","id":424242,"result":null}')],
      ['a cancel of nothing', () => client.frame('{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"nope"}}')],
    ];
    for (const [what, send] of garbage) {
      send();
      await stillServes(what);
    }
    const unknown = await client.request('circuit/nope', {});
    assert.equal(unknown.error?.code, -32601);
    await stillServes('an unknown method');
  });
});

describe('security', () => {
  /** Socket inodes a process holds open, from /proc/PID/fd. */
  const socketsOf = (pid: number) =>
    new Set(
      fs.readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
        try {
          return [/^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1]].filter((i): i is string => i !== undefined);
        } catch {
          return [];
        }
      }),
    );
  /** Inodes of every listening socket in this network namespace: TCP in LISTEN, any UDP, unix with SO_ACCEPTCON. */
  const listeningSockets = () => {
    const rows = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
    const inodes = new Map<string, string>();
    for (const f of ['tcp', 'tcp6']) for (const r of rows(`/proc/net/${f}`)) if (r[3] === '0A') inodes.set(r[9], `${f} ${r[1]}`);
    for (const f of ['udp', 'udp6']) for (const r of rows(`/proc/net/${f}`)) inodes.set(r[9], `${f} ${r[1]}`);
    for (const r of rows('/proc/net/unix')) if ((parseInt(r[3], 16) & 0x10000) !== 0) inodes.set(r[6], `unix ${r[7] ?? '(unnamed)'}`);
    return inodes;
  };

  it('the server opens no listening socket', async () => {
    const top = uniqueName('sock');
    const server = await startServer({ hosts: [{ name: 'local', docker: 'unix:///var/run/docker.sock' }, { name: 'plain', docker: 'tcp://127.0.0.1:1' }] });
    const own = net.createServer();
    try {
      // Working: a make, a wait, the event stream.
      await server.connection.sendRequest(MakeRequest.type, { path: `/local/${top}/x`, run: { Image: IMAGE, Path: 'true' } });
      await server.connection.sendRequest(WaitRequest.type, { path: `/local/${top}/x` });
      const sockets = socketsOf(server.process.pid!);
      assert.ok(sockets.size > 0, 'the server holds no socket at all: it cannot be talking to the engine');
      const listening = listeningSockets();
      assert.deepEqual([...sockets].filter((i) => listening.has(i)).map((i) => listening.get(i)), []);
      // The check sees a listening socket where there is one: this process's own.
      await new Promise<void>((resolve) => own.listen(`/tmp/circuit-${top}.sock`, resolve));
      const ours = [...socketsOf(process.pid)].filter((i) => listeningSockets().has(i));
      assert.equal(ours.length, 1);
    } finally {
      own.close();
      await server.stop();
      await removeUnder(top);
    }
  });

  it('marks a tcp:// host without TLS insecure, and one with TLS or a unix socket not', async () => {
    const server = await startServer({
      hosts: [
        { name: 'local', docker: 'unix:///var/run/docker.sock' },
        { name: 'plain', docker: 'tcp://127.0.0.1:1' },
        { name: 'tls', docker: 'tcp://127.0.0.1:2', tlsVerify: true, certPath: '/nonexistent-circuit-certs' },
      ],
    });
    try {
      const { hosts } = await server.connection.sendRequest(HostsRequest.type, {});
      assert.deepEqual(hosts.map((h) => [h.name, h.insecure]), [['local', false], ['plain', true], ['tls', false]]);
      assert.equal(hosts[1].connected, false);
      assert.match(hosts[2].error ?? '', /certificates/);
    } finally {
      await server.stop();
    }
    // DOCKER_HOST without TLS, as the default host.
    const fromEnv = await startServer({ env: { DOCKER_HOST: 'tcp://127.0.0.1:1', DOCKER_TLS_VERIFY: '', DOCKER_CERT_PATH: '' } });
    try {
      const { hosts } = await fromEnv.connection.sendRequest(HostsRequest.type, {});
      assert.deepEqual(hosts.map((h) => [h.name, h.docker, h.insecure]), [['local', 'tcp://127.0.0.1:1', true]]);
    } finally {
      await fromEnv.stop();
    }
  });
});

describe('the server killed during a make', () => {
  const top = uniqueName('killmake');
  const at = (...names: string[]) => ['/local', top, ...names].join('/');
  after(() => removeUnder(top));

  it('leaves the element whole under its anchor or not at all, and a restarted server shows it', async (t) => {
    // How long a make takes here, so that the kills spread over all of it.
    const probe = await startServer();
    const started = performance.now();
    await probe.connection.sendRequest(MakeRequest.type, { path: at('probe'), run: sleeper });
    const makeMs = performance.now() - started;
    await probe.stop();

    const trials: { names: string[]; kill: string }[] = [];
    const attempt = async (name: string, kill: (server: ServerUnderTest) => Promise<void>, how: string) => {
      const server = await startServer();
      trials.push({ names: [top, name], kill: how });
      server.connection.sendRequest(MakeRequest.type, { path: at(name), run: sleeper }).catch(() => undefined);
      await kill(server);
    };
    for (let i = 0; i < 8; i++) {
      const delayMs = Math.round((i * makeMs * 1.2) / 7);
      await attempt(`m${i}`, (s) => new Promise<void>((resolve) => setTimeout(() => void s.kill().then(resolve), delayMs)), `after ${delayMs} ms`);
    }
    // Right when the engine has created the container, before it starts.
    const events = (await docker.getEvents({ filters: { type: ['container'], event: ['create'], label: [`${ANCHOR_LABEL}=/${top}/created`] } })) as NodeJS.ReadableStream & { destroy(): void };
    try {
      await attempt('created', (s) => new Promise<void>((resolve) => events.once('data', () => void s.kill().then(resolve))), 'on the create event');
    } finally {
      events.destroy();
    }

    // In the engine: each container there carries its anchor's labels and name; none is half-made.
    const outcomes: string[] = [];
    const engineView = new Map<string, { id: string; state: string }>();
    for (const { names, kill } of trials) {
      const inspect = await docker.getContainer(containerName(names)).inspect().catch((e: { statusCode?: number }) => (e.statusCode === 404 ? undefined : Promise.reject(e)));
      outcomes.push(`${kill}: ${inspect ? inspect.State.Status : 'absent'}`);
      if (!inspect) continue;
      assert.equal(inspect.Config.Labels[ANCHOR_LABEL], '/' + names.join('/'));
      assert.equal(inspect.Config.Labels[SCRUB_LABEL], 'false');
      engineView.set(names[names.length - 1], { id: inspect.Id, state: inspect.State.Status });
    }
    t.diagnostic(`make takes ${Math.round(makeMs)} ms; killed ${outcomes.join(', ')}`);
    const unlabelled = (await docker.listContainers({ all: true, filters: { name: [containerName([top])] } })).filter((c) => !c.Labels[ANCHOR_LABEL]?.startsWith(`/${top}/`));
    assert.deepEqual(unlabelled, []);

    // A restarted server shows exactly those elements.
    const server = await startServer();
    try {
      const { children } = await server.connection.sendRequest(ViewRequest.type, { path: at() });
      const shown = new Map(children.filter((c) => c.name !== 'probe').map((c) => [c.name, { id: c.element!.id, state: c.element!.state }]));
      assert.deepEqual(shown, engineView);
      // Whatever a kill left, a user can scrub it and make again.
      for (const name of engineView.keys()) {
        assert.equal(await reasonOf(server.connection.sendRequest(MakeRequest.type, { path: at(name), run: sleeper })), 'anchor-busy');
        await server.connection.sendRequest(ScrubRequest.type, { path: at(name) });
        assert.equal((await server.connection.sendRequest(MakeRequest.type, { path: at(name), run: sleeper })).state, 'running');
      }
    } finally {
      await server.stop();
    }
  });
});

/** Sorted rows of every anchor under a path: [path, element id or null, state, number of children]. */
async function treeUnder(server: ServerUnderTest, path: string): Promise<[string, string | null, string | null, number][]> {
  const rows: [string, string | null, string | null, number][] = [];
  const walk = async (p: string): Promise<void> => {
    for (const c of (await server.connection.sendRequest(ViewRequest.type, { path: p })).children) {
      rows.push([c.path, c.element?.id ?? null, c.element?.state ?? null, c.children]);
      if (c.children > 0) await walk(c.path);
    }
  };
  await walk(path);
  return rows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** When a didChange naming the host arrived and circuit/hosts then said it is connected. */
async function connectedAgain(server: ServerUnderTest, host: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await server.nextChange('/' + host, Math.max(1, deadline - Date.now()));
    const at = Date.now();
    const { hosts } = await server.connection.sendRequest(HostsRequest.type, {});
    if (hosts.find((h) => h.name === host)?.connected) return at;
  }
}

/** When an engine first answers a ping (one ping in flight at a time, so one the engine holds counts when it answers). */
async function firstAnswer(engine: Docker, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      // ping takes an abortSignal at run time; @types/dockerode does not say so.
      const ping = engine.ping as unknown as (options: { abortSignal: AbortSignal }) => Promise<unknown>;
      await ping.call(engine, { abortSignal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
      return Date.now();
    } catch {
      if (Date.now() > deadline) throw new Error(`the engine did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/**
 * Starts a killed engine again. Its containerd died with it but may linger as a zombie until this
 * machine's init reaps it; dockerd would take that for a live containerd and wait for it in vain.
 */
async function restart(engine: SecondEngine): Promise<void> {
  const pidFile = `${engine.dir}/exec/containerd/containerd.pid`;
  const pid = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').trim() : '';
  const state = pid && fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0] : undefined;
  if (state === undefined || state === 'Z') fs.rmSync(pidFile, { force: true });
  await engine.start();
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

describe('engines that go away', () => {
  // This suite's own engine: killed and restarted here. The main engine is never touched.
  const engine = new SecondEngine('circuit-fault');
  /** A sleeper that ends on TERM (busybox sleep as PID 1 ignores it), so an engine restart stops it at once. */
  const termSleeper: Run = { Image: IMAGE, Path: 'sh', Args: ['-c', 'trap "exit 143" TERM; sleep 600 & wait'] };

  before(() => restart(engine));
  after(async () => {
    const all = await engine.docker.listContainers({ all: true }).catch(() => []);
    await Promise.all(all.map((c) => engine.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    await engine.destroy();
  });

  it('survives an engine restart: disconnected, connected again within 2 s of the engine answering, same tree, pending waits resolved', async (t) => {
    const top = uniqueName('enginerestart');
    const at = (...names: string[]) => ['/fault', top, ...names].join('/');
    const server = await startServer({ hosts: [{ name: 'fault', docker: engine.endpoint }] });
    try {
      const c = server.connection;
      const long = await c.sendRequest(MakeRequest.type, { path: at('long'), run: termSleeper });
      const short = await c.sendRequest(MakeRequest.type, { path: at('b', 'short'), run: { Image: IMAGE, Path: 'sleep', Args: ['1'] } });
      await c.sendRequest(MakeRequest.type, { path: at('b', 'done'), run: { Image: IMAGE, Path: 'sh', Args: ['-c', 'exit 7'] } });
      assert.equal((await c.sendRequest(WaitRequest.type, { path: at('b', 'done') })).State.ExitCode, 7);
      const waits = [c.sendRequest(WaitRequest.type, { path: at('long') }), c.sendRequest(WaitRequest.type, { path: at('b', 'short') })];
      // A Scrub element that exits while the engine is away: removed once it is back, after its wait got the final inspect.
      const once = await c.sendRequest(MakeRequest.type, { path: at('once'), run: { Image: IMAGE, Path: 'sh', Args: ['-c', 'sleep 1; exit 5'], Scrub: true } });
      waits.push(c.sendRequest(WaitRequest.type, { path: at('once') }));
      waits.forEach((w) => w.catch(() => undefined));
      const before = await treeUnder(server, at());
      assert.equal(before.length, 5);

      // The engine dies.
      const lost = server.nextChange('/fault', 10_000);
      const rootLost = server.nextChange('/', 10_000);
      await engine.stop('SIGKILL');
      await Promise.all([lost, rootLost]);
      const down = (await c.sendRequest(HostsRequest.type, {})).hosts[0];
      assert.equal(down.connected, false);
      assert.ok(down.error, 'a disconnected host says why');
      // Meanwhile the last known tree is shown and operations say the host is unreachable, at once.
      assert.deepEqual((await treeUnder(server, at())).map((r) => [r[0], r[1]]), before.map((r) => [r[0], r[1]]));
      const refusedAt = performance.now();
      assert.equal(await reasonOf(c.sendRequest(MakeRequest.type, { path: at('new'), run: sleeper })), 'host-unreachable');
      assert.ok(performance.now() - refusedAt < 1000);

      // The engine comes back.
      const connected = connectedAgain(server, 'fault', 60_000);
      const answered = firstAnswer(engine.docker, 60_000);
      await restart(engine);
      const lag = (await connected) - (await answered);
      t.diagnostic(`connected again ${lag} ms after the engine first answered`);
      assert.ok(lag <= 2000, `connected again ${lag} ms after the engine answered`);

      // Both waits resolve with their container's final state (exited meanwhile, or stopped by the restart).
      const [longFinal, shortFinal, onceFinal] = await withTimeout(Promise.all(waits), 20_000, 'the waits pending across the restart');
      assert.equal(onceFinal.Id, once.id);
      assert.equal(onceFinal.State.Status, 'exited');
      assert.equal(longFinal.Id, long.id);
      assert.equal(shortFinal.Id, short.id);
      for (const final of [longFinal, shortFinal]) {
        assert.equal(final.State.Running, false);
        assert.deepEqual(final.State, (await engine.docker.getContainer(final.Id).inspect()).State as unknown);
      }
      t.diagnostic(`after the restart: long exited ${longFinal.State.ExitCode}, short exited ${shortFinal.State.ExitCode}`);

      // The same anchors with the same elements, in the states the engine now reports. No anchor is lost.
      const afterwards = await until(async () => {
        const rows = await treeUnder(server, at());
        return rows.every((r) => r[2] !== 'running') && !rows.some((r) => r[0] === at('once')) && rows;
      }, 10_000, 'the tree after the restart settling (the Scrub element removed)');
      await assert.rejects(engine.docker.getContainer(once.id).inspect(), (e: { statusCode?: number }) => e.statusCode === 404);
      assert.deepEqual(afterwards.map((r) => [r[0], r[1], r[3]]), before.filter((r) => r[0] !== at('once')).map((r) => [r[0], r[1], r[3]]));
      for (const [path, id, state] of afterwards) {
        if (id) assert.equal(state, (await engine.docker.getContainer(id).inspect()).State.Status, path);
      }
      // And it works as before.
      assert.equal((await c.sendRequest(MakeRequest.type, { path: at('new'), run: termSleeper })).state, 'running');
    } finally {
      await server.stop();
    }
  });

  it('a second engine goes away and comes back while the first keeps answering at normal speed', async (t) => {
    const top = uniqueName('away');
    const local = (...names: string[]) => ['/local', top, ...names].join('/');
    const away = (...names: string[]) => ['/fault', top, ...names].join('/');
    const server = await startServer({ hosts: [{ name: 'local', docker: 'unix:///var/run/docker.sock' }, { name: 'fault', docker: engine.endpoint }] });
    try {
      const c = server.connection;
      await c.sendRequest(MakeRequest.type, { path: local('steady'), run: sleeper });
      const kept = await c.sendRequest(MakeRequest.type, { path: away('kept'), run: { Image: IMAGE, Path: 'true' } });
      await c.sendRequest(WaitRequest.type, { path: away('kept') });
      const timed = async (request: () => Promise<unknown>) => {
        const start = performance.now();
        await request();
        return performance.now() - start;
      };
      const peekLocal = () => c.sendRequest(PeekRequest.type, { path: local('steady') });
      const viewLocal = () => c.sendRequest(ViewRequest.type, { path: local() });
      const normal: number[] = [];
      for (let i = 0; i < 60; i++) normal.push(await timed(i % 2 ? peekLocal : viewLocal));

      // Requests to the first engine go on, back to back, while the second is away and comes back.
      let loading = true;
      const during: number[] = [];
      const load = (async () => {
        while (loading) during.push(await timed(during.length % 2 ? peekLocal : viewLocal));
      })();
      const lost = server.nextChange('/fault', 10_000);
      await engine.stop('SIGKILL');
      await lost;
      const { hosts } = await c.sendRequest(HostsRequest.type, {});
      assert.deepEqual(hosts.map((h) => [h.name, h.connected]), [['local', true], ['fault', false]]);
      assert.equal(await reasonOf(c.sendRequest(PeekRequest.type, { path: away('kept') })), 'host-unreachable');
      const connected = connectedAgain(server, 'fault', 60_000);
      await restart(engine);
      await connected;
      loading = false;
      await load;

      const [normalMedian, normalP95] = [percentile(normal, 50), percentile(normal, 95)];
      const [duringMedian, duringP95] = [percentile(during, 50), percentile(during, 95)];
      t.diagnostic(`first engine, ms: normally median ${normalMedian.toFixed(2)} p95 ${normalP95.toFixed(2)}; while the second was away and back (${during.length} requests): median ${duringMedian.toFixed(2)} p95 ${duringP95.toFixed(2)}`);
      assert.ok(during.length > 50);
      // Generous bounds (other tests share this machine): what they catch is the first host waiting on the second.
      assert.ok(duringMedian < Math.max(3 * normalMedian, 10), 'the first engine slowed down while the second was away');
      assert.ok(duringP95 < Math.max(3 * normalP95, 100), 'the first engine slowed down while the second was away');
      // The second engine's tree is back as it was.
      assert.deepEqual((await c.sendRequest(ViewRequest.type, { path: away() })).children.map((x) => [x.name, x.element?.id]), [['kept', kept.id]]);
    } finally {
      await server.stop();
      await removeUnder(top);
    }
  });
});

describe('a flood', () => {
  const top = uniqueName('flood');
  const at = (...names: string[]) => ['/local', top, ...names].join('/');
  after(() => removeUnder(top));

  it('a container writing as fast as it can, attached by a client that acks slowly, for 20 s: other requests answer within 50 ms (p95), memory stays bounded', async (t) => {
    const server = await startServer();
    const c = server.connection;
    try {
      await c.sendRequest(MakeRequest.type, { path: at('calm'), run: sleeper });
      await c.sendRequest(MakeRequest.type, { path: at('flood'), run: { Image: IMAGE, Path: 'yes', Args: ['a line of a container that writes as fast as it can'] } });
      let received = 0;
      let acked = 0;
      let session = '';
      c.onNotification(OutputNotification.type, (p) => {
        if (p.session === session) received += Buffer.from(p.data, 'base64').length;
      });
      const attached = await c.sendRequest(AttachRequest.type, { path: at('flood') }).catch((err: { code?: number }) => err);
      if ('code' in attached && attached.code === -32601) return t.skip('circuit/attach is not served yet');
      session = (attached as AttachRequest.Result).session;

      const rssStart = server.rss();
      const rss: number[] = [];
      const latencies: number[] = [];
      let unackedMax = 0;
      const until = Date.now() + 20_000;
      // The slow client: acknowledges what it got four times a second.
      const acking = (async () => {
        while (Date.now() < until) {
          await new Promise((r) => setTimeout(r, 250));
          unackedMax = Math.max(unackedMax, received - acked);
          void c.sendNotification(AckNotification.type, { session, bytes: received - acked });
          acked = received;
          rss.push(server.rss());
        }
      })();
      // Meanwhile, another client's work: peek, view, hosts, back to back.
      const requests = [() => c.sendRequest(PeekRequest.type, { path: at('calm') }), () => c.sendRequest(ViewRequest.type, { path: at() }), () => c.sendRequest(HostsRequest.type, {})];
      while (Date.now() < until) {
        const start = performance.now();
        await requests[latencies.length % requests.length]();
        latencies.push(performance.now() - start);
      }
      await acking;
      await c.sendRequest(DetachRequest.type, { session });

      const p95 = percentile(latencies, 95);
      const half = Math.floor(rss.length / 2);
      const [firstHalf, secondHalf] = [Math.max(...rss.slice(0, half)), Math.max(...rss.slice(half))];
      t.diagnostic(`${latencies.length} requests, p95 ${p95.toFixed(1)} ms, median ${percentile(latencies, 50).toFixed(1)} ms; ${(received / 2 ** 20).toFixed(1)} MiB received, at most ${(unackedMax / 2 ** 20).toFixed(2)} MiB unacknowledged; RSS ${(rssStart / 2 ** 20).toFixed(0)} MB at the start, at most ${(firstHalf / 2 ** 20).toFixed(0)} then ${(secondHalf / 2 ** 20).toFixed(0)} MB`);
      assert.ok(p95 < 50, `other requests took ${p95.toFixed(1)} ms (p95) during the flood`);
      assert.ok(received > 2 ** 20, 'the attached client got less than 1 MiB in 20 s');
      // The server stops reading at 1 MiB unacknowledged (one engine chunk may be under way).
      assert.ok(unackedMax <= 2 ** 20 + 256 * 1024, `${unackedMax} bytes were sent unacknowledged`);
      // Bounded: the heap settles within the first seconds (base64 garbage included) and stops growing.
      assert.ok(Math.max(firstHalf, secondHalf) - rssStart < 150 * 2 ** 20, 'the server grew by 150 MB or more');
      assert.ok(secondHalf - firstHalf < 40 * 2 ** 20, 'the server kept growing through the flood');
    } finally {
      await server.stop();
    }
  });
});
