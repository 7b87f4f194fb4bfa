/**
 * The `circuit` command end to end: the built dist/cli.js as a process, its own server child, the real
 * engine. Every verb, its output and its exit status, the error exits, Ctrl-C. Works under its own
 * anchor name and removes what it made.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ElementInfo, HostStatus, Inspect } from '../../protocol';
import { IMAGE, docker, removeUnder, uniqueName } from '../support/engine';
import { ROOT, until, withTimeout } from '../support/server';

const CLI = path.join(ROOT, 'dist/cli.js');
const top = uniqueName('cli');
const at = (...names: string[]) => ['/local', top, ...names].join('/');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface Running {
  pid: number;
  /** Output so far. */
  stdout(): string;
  done: Promise<Run>;
  interrupt(): void;
}

function start(args: string[], input?: string): Running {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.on('error', () => undefined);
  if (input !== undefined) child.stdin.end(input);
  const done = new Promise<Run>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  return { pid: child.pid!, stdout: () => stdout, done, interrupt: () => child.kill('SIGINT') };
}

function circuit(args: string[], input = ''): Promise<Run> {
  return withTimeout(start(args, input).done, 60_000, `circuit ${args.join(' ')}`);
}

/** The CLI's server child (found through /proc), to check that it ends with the CLI. */
function childPids(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`) && !/State:\s+Z/.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));

function spec(run: Record<string, unknown>): string {
  return JSON.stringify(run);
}

describe('the circuit command', () => {
  let bindSource: string;

  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (node scripts/build.mjs)');
    bindSource = fs.mkdtempSync(path.join(os.tmpdir(), 'circuit-cli-webapp-'));
  });
  after(async () => {
    await removeUnder(top);
    fs.rmSync(bindSource, { recursive: true, force: true });
  });

  it('hosts: a table, or JSON', async () => {
    const table = await circuit(['hosts']);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^NAME\s+ENDPOINT\s+STATE\s+VERSION/);
    assert.match(table.stdout, /\nlocal\s+unix:\/\/\/var\/run\/docker\.sock\s+connected\s+\d+\./);
    const asJson = await circuit(['--json', 'hosts']);
    const hosts = JSON.parse(asJson.stdout) as HostStatus[];
    assert.deepEqual(hosts.map((h) => [h.name, h.connected]), [['local', true]]);
  });

  it('--host NAME=ENDPOINT configures the hosts, repeatably', async () => {
    const r = await circuit(['--host', 'here=unix:///var/run/docker.sock', '--host=gone=unix:///nonexistent/docker.sock', '--json', 'hosts']);
    assert.equal(r.status, 0, r.stderr);
    const hosts = JSON.parse(r.stdout) as HostStatus[];
    assert.deepEqual(hosts.map((h) => [h.name, h.connected]), [['here', true], ['gone', false]]);
    const unreachable = await circuit(['--host', 'gone=unix:///nonexistent/docker.sock', 'peek', '/gone/x']);
    assert.equal(unreachable.status, 1);
    assert.match(unreachable.stderr, /^circuit: host-unreachable: Host gone/);
  });

  it("mkdkr makes the seed's example (trailing comma and all), Scrub removing it once it exited", async () => {
    // The seed's example, on the local image, with a bind source that exists here.
    const example = `{
      "Image": "${IMAGE}",
      "Memory": 1000000000,
      "CpuShares": 3,
      "Volume": ["/webapp", "${bindSource}:/opt/webapp:ro"],
      "Dir": "/",
      "Path": "/bin/ls",
      "Args": ["/"],
      "Scrub": true,
    }`;
    const r = await circuit(['mkdkr', at('seed')], example);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const id = r.stdout.trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    // Scrub: once `ls /` exited, the element is removed and the anchor freed. The removal is a server's
    // work: mkdkr's own server if it saw the exit before it ended, else the next server to start (its
    // resync finds the exited Scrub element), here the one `circuit wait` starts.
    await until(async () => (await docker.getContainer(id).inspect().then((c) => !c.State.Running, () => true)), 20_000, '`ls /` exited');
    await circuit(['wait', at('seed')]);
    await until(async () => !(await docker.listContainers({ all: true, filters: { id: [id] } })).length, 20_000, 'the Scrub element removed');
    const ls = await circuit(['ls', at()]);
    assert.equal(ls.stdout, '');
  });

  it('mkdkr reads -f FILE; the example without Scrub keeps its output and settings', async () => {
    const file = path.join(bindSource, 'example.circuit.json');
    fs.writeFileSync(file, `// Circuit's example\n{ "Image": "${IMAGE}", "Memory": 1000000000, "CpuShares": 3, "Volume": ["/webapp", "${bindSource}:/opt/webapp:ro"], "Dir": "/", "Path": "/bin/ls", "Args": ["/"] }\n`);
    const r = await circuit(['--json', 'mkdkr', at('kept'), '-f', file]);
    assert.equal(r.status, 0, r.stderr);
    const element = JSON.parse(r.stdout) as ElementInfo;
    assert.equal(element.kind, 'docker');
    assert.equal(element.scrub, false);
    const out = await circuit(['stdout', at('kept')]);
    assert.equal(out.status, 0, out.stderr);
    assert.ok(out.stdout.split('\n').includes('webapp'), out.stdout);
    assert.ok(out.stdout.split('\n').includes('opt'), out.stdout);
    const peek = JSON.parse((await circuit(['peek', at('kept')])).stdout) as Inspect & { HostConfig: { Memory: number; CpuShares: number; Binds: string[] } };
    assert.equal(peek.HostConfig.Memory, 1000000000);
    assert.equal(peek.HostConfig.CpuShares, 3);
    assert.deepEqual(peek.HostConfig.Binds, [`${bindSource}:/opt/webapp:ro`]);
  });

  it('mkdkr --scrub sets Scrub', async () => {
    const r = await circuit(['--json', 'mkdkr', '--scrub', at('flag')], spec({ Image: IMAGE, Path: 'sleep', Args: ['600'] }));
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as ElementInfo).scrub, true);
  });

  it('mkdkr prints every spec problem with line and column, and makes nothing', async () => {
    const file = path.join(bindSource, 'bad.circuit.json');
    fs.writeFileSync(file, '{\n  "Image": "",\n  "Memory": "512m",\n  "Dirr": "/x"\n}\n');
    const r = await circuit(['mkdkr', at('bad'), '-f', file]);
    assert.equal(r.status, 1);
    const lines = r.stderr.trimEnd().split('\n');
    assert.deepEqual(
      lines.slice(0, 3).map((l) => l.replace(/: error: .* \[/, ': error: … [')),
      [`${file}:2:12: error: … [image-required]`, `${file}:3:13: error: … [memory-units]`, `${file}:4:3: error: … [unknown-field]`],
    );
    assert.equal(lines[3], `circuit: invalid-run: ${file}: 3 errors in the Run spec; nothing was made`);
    assert.equal(lines.length, 4);
    assert.equal((await circuit(['peek', at('bad')])).status, 1);
    const fromStdin = await circuit(['mkdkr', at('bad')], '{"Image": "x", }}');
    assert.equal(fromStdin.status, 1);
    assert.match(fromStdin.stderr, /^<stdin>:1:17: error: .* \[syntax\]$/m);
  });

  it('mkdkr fails with the reason: a missing file, a busy anchor', async () => {
    const missing = await circuit(['mkdkr', at('x'), '-f', '/nonexistent/spec.json']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^circuit: no-file: cannot read the Run spec \/nonexistent\/spec\.json: ENOENT\n$/);
    const sleeper = spec({ Image: IMAGE, Path: 'sleep', Args: ['600'] });
    assert.equal((await circuit(['mkdkr', at('busy')], sleeper)).status, 0);
    const busy = await circuit(['mkdkr', at('busy')], sleeper);
    assert.equal(busy.status, 1);
    assert.match(busy.stderr, /^circuit: anchor-busy: The anchor .* already holds an element/);
    assert.equal(busy.stderr.split('\n').length, 2, 'one line');
  });

  it('ls lists paths, -l a table, PATH/... the whole subtree, --json the anchors', async () => {
    const sleeper = spec({ Image: IMAGE, Path: 'sleep', Args: ['600'] });
    assert.equal((await circuit(['mkdkr', at('tree', 'a', 'b')], sleeper)).status, 0);
    assert.equal((await circuit(['mkdkr', at('tree', 'c')], sleeper)).status, 0);
    const plain = await circuit(['ls', at('tree')]);
    assert.equal(plain.stdout, `${at('tree', 'a')}\n${at('tree', 'c')}\n`);
    const deep = await circuit(['ls', at('tree') + '/...']);
    assert.equal(deep.stdout, [at('tree', 'a'), at('tree', 'a', 'b'), at('tree', 'c')].map((p) => p + '\n').join(''));
    const long = await circuit(['ls', '-l', at('tree')]);
    assert.match(long.stdout, /^PATH\s+ELEMENT\s+STATE\s+EXIT\s+IMAGE\s+ID\s+CHILDREN\n/);
    assert.match(long.stdout, new RegExp(`\\n${at('tree', 'a')}\\s+-\\s+-\\s+-\\s+-\\s+-\\s+1\\n`));
    assert.match(long.stdout, new RegExp(`\\n${at('tree', 'c')}\\s+docker\\s+running\\s+-\\s+circuit-busybox:latest\\s+[0-9a-f]{12}\\s+0\\n`));
    const asJson = JSON.parse((await circuit(['--json', 'ls', at('tree') + '/...'])).stdout) as { path: string }[];
    assert.deepEqual(asJson.map((a) => a.path), [at('tree', 'a'), at('tree', 'a', 'b'), at('tree', 'c')]);
    const root = await circuit(['ls', '/']);
    assert.equal(root.stdout, '/local\n');
    const bad = await circuit(['ls', '/local/no such']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^circuit: invalid-path: /);
  });

  it('peek prints the inspect JSON; wait prints it once the container exited', async () => {
    assert.equal((await circuit(['mkdkr', at('exit3')], spec({ Image: IMAGE, Path: 'sh', Args: ['-c', 'sleep 0.3; exit 3'] }))).status, 0);
    const peek = await circuit(['peek', at('exit3')]);
    assert.equal(peek.status, 0);
    assert.match((JSON.parse(peek.stdout) as Inspect).Id, /^[0-9a-f]{64}$/);
    const wait = await circuit(['wait', at('exit3')]);
    assert.equal(wait.status, 0, wait.stderr);
    const inspect = JSON.parse(wait.stdout) as Inspect;
    assert.equal(inspect.State.Status, 'exited');
    assert.equal(inspect.State.ExitCode, 3);
    const none = await circuit(['peek', at('none')]);
    assert.equal(none.status, 1);
    assert.equal(none.stderr, `circuit: no-element: There is no element at ${at('none')}.\n`);
    const noHost = await circuit(['wait', '/ghost/x']);
    assert.equal(noHost.status, 1);
    assert.match(noHost.stderr, /^circuit: no-such-host: /);
  });

  it('Ctrl-C during wait cancels it, ends the server and exits 130; the container runs on', async () => {
    assert.equal((await circuit(['mkdkr', at('waited')], spec({ Image: IMAGE, Path: 'sleep', Args: ['600'] }))).status, 0);
    const waiting = start(['wait', at('waited')]);
    const [server] = await until(() => childPids(waiting.pid).length > 0 && childPids(waiting.pid), 20_000, 'the server child');
    waiting.interrupt();
    const r = await withTimeout(waiting.done, 15_000, 'the interrupted wait');
    assert.equal(r.status, 130, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, '');
    await until(() => !alive(server!), 10_000, 'the server process ended');
    const peek = JSON.parse((await circuit(['peek', at('waited')])).stdout) as Inspect;
    assert.equal(peek.State.Status, 'running');
  });

  it('signal delivers a signal; a bad name is refused with its reason', async () => {
    assert.equal((await circuit(['mkdkr', at('sig')], spec({ Image: IMAGE, Path: 'sleep', Args: ['600'] }))).status, 0);
    const bad = await circuit(['signal', 'NOPE', at('sig')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^circuit: invalid-signal: /);
    const kill = await circuit(['signal', 'kill', at('sig')]);
    assert.equal(kill.status, 0, kill.stderr);
    assert.equal(kill.stdout, '');
    const inspect = JSON.parse((await circuit(['wait', at('sig')])).stdout) as Inspect;
    assert.equal(inspect.State.ExitCode, 137);
    const again = await circuit(['signal', 'KILL', at('sig')]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /^circuit: not-running: /);
  });

  it('scrub removes the element and frees the anchor', async () => {
    assert.equal((await circuit(['mkdkr', at('gone')], spec({ Image: IMAGE, Path: 'sleep', Args: ['600'] }))).status, 0);
    const r = await circuit(['scrub', at('gone')]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await circuit(['peek', at('gone')])).status, 1);
    assert.equal((await circuit(['scrub', at('gone')])).status, 1);
  });

  it("stdin copies to the container's stdin and closes it; stdout and stderr copy their stream from the start", async () => {
    assert.equal((await circuit(['mkdkr', at('cat')], spec({ Image: IMAGE, Path: 'sh', Args: ['-c', 'echo start; cat; echo bye >&2'] }))).status, 0);
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const wrote = await circuit(['stdin', at('cat')], lines);
    assert.equal(wrote.status, 0, wrote.stderr);
    const out = await circuit(['stdout', at('cat')]);
    assert.equal(out.status, 0, out.stderr);
    assert.equal(out.stdout, 'start\n' + lines);
    const err = await circuit(['stderr', at('cat')]);
    assert.equal(err.status, 0, err.stderr);
    assert.equal(err.stdout, 'bye\n');
    const closed = await circuit(['stdin', at('cat')], 'more\n');
    assert.equal(closed.status, 1);
    assert.match(closed.stderr, /^circuit: not-running: /);
  });

  it('stdout ends quietly when its reader goes away', async () => {
    assert.equal((await circuit(['mkdkr', at('yes')], spec({ Image: IMAGE, Path: 'yes' }))).status, 0);
    const reading = start(['stdout', at('yes')]);
    const child = spawn(process.execPath, [CLI, 'stdout', at('yes')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read a little, then close our end of its stdout: it gets EPIPE and detaches.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const status = await withTimeout(new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code))), 15_000, 'stdout after EPIPE');
    assert.equal(status, 0, stderr);
    assert.equal(stderr, '');
    reading.interrupt();
    assert.equal((await withTimeout(reading.done, 15_000, 'interrupted stdout')).status, 130);
  });

  it('attach: output both ways until the container exits; Ctrl-C detaches with the container running on', async () => {
    assert.equal((await circuit(['mkdkr', at('talk')], spec({ Image: IMAGE, Path: 'sh', Args: ['-c', 'echo ready; read x; echo got $x; echo oops >&2'] }))).status, 0);
    const talk = await circuit(['attach', at('talk')], 'hi\n');
    assert.equal(talk.status, 0, talk.stderr);
    assert.equal(talk.stdout, 'ready\ngot hi\n');
    assert.equal(talk.stderr, 'oops\n');

    assert.equal((await circuit(['mkdkr', at('held')], spec({ Image: IMAGE, Path: 'sh', Args: ['-c', 'echo ready; cat'] }))).status, 0);
    const child = spawn(process.execPath, [CLI, 'attach', at('held')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await until(() => stdout === 'ready\n', 15_000, 'the output through attach');
    child.kill('SIGINT');
    assert.equal(await withTimeout(closed, 15_000, 'the interrupted attach'), 130);
    // Detached, not closed: the container runs, and its stdin still takes input.
    assert.equal((JSON.parse((await circuit(['peek', at('held')])).stdout) as Inspect).State.Status, 'running');
    assert.equal((await circuit(['stdin', at('held')], 'two\n')).status, 0);
    const out = await circuit(['stdout', at('held')]);
    assert.equal(out.stdout, 'ready\ntwo\n');
  });

  it("attach that wrote to stdin closes it when it ends: Docker's StdinOnce ends stdin with its first writer", async () => {
    assert.equal((await circuit(['mkdkr', at('typed')], spec({ Image: IMAGE, Path: 'sh', Args: ['-c', 'cat; echo eof'] }))).status, 0);
    const child = spawn(process.execPath, [CLI, 'attach', at('typed')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.stdin.write('one\n');
    await until(() => stdout === 'one\n', 15_000, 'the echo through attach');
    child.kill('SIGINT');
    assert.equal(await withTimeout(closed, 15_000, 'the interrupted attach'), 130);
    const wait = JSON.parse((await circuit(['wait', at('typed')])).stdout) as Inspect;
    assert.equal(wait.State.ExitCode, 0);
    assert.equal((await circuit(['stdout', at('typed')])).stdout, 'one\neof\n');
  });

  it('usage errors exit 2 with one line', async () => {
    for (const args of [['frobnicate'], ['peek'], ['signal', 'KILL'], ['ls', '-x', '/'], ['--host', 'nohost', 'hosts'], ['mkdkr', '/local/x', '-f']]) {
      const r = await circuit(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /^circuit: usage: .*\(circuit --help\)\n$/, args.join(' '));
    }
    const help = await circuit(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: circuit /);
    for (const verb of ['hosts', 'ls', 'mkdkr', 'peek', 'wait', 'signal', 'scrub', 'stdin', 'stdout', 'stderr', 'attach']) assert.match(help.stdout, new RegExp(`\\n  ${verb} `));
  });
});
