import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Run } from '../../protocol';
import { RunContainerConfig, dockerRunLine, runToContainerConfig, shellQuote } from '../../server/run/engine';

/** Every config carries these: stdin open for one attachment, no TTY, nothing attached at create. */
const streams = { OpenStdin: true, StdinOnce: true, Tty: false, AttachStdin: false, AttachStdout: false, AttachStderr: false };

const mapping: { rule: string; run: Run; want: Omit<RunContainerConfig, keyof typeof streams> }[] = [
  { rule: 'Image alone: the image default command', run: { Image: 'busybox' }, want: { Image: 'busybox' } },
  { rule: 'Memory → HostConfig.Memory', run: { Image: 'b', Memory: 536870912 }, want: { Image: 'b', HostConfig: { Memory: 536870912 } } },
  { rule: 'Memory 0: no limit', run: { Image: 'b', Memory: 0 }, want: { Image: 'b' } },
  { rule: 'CpuShares → HostConfig.CpuShares', run: { Image: 'b', CpuShares: 512 }, want: { Image: 'b', HostConfig: { CpuShares: 512 } } },
  { rule: 'Dir → WorkingDir', run: { Image: 'b', Dir: '/work' }, want: { Image: 'b', WorkingDir: '/work' } },
  { rule: 'Entry → Entrypoint, one element', run: { Image: 'b', Entry: '/bin/echo hi' }, want: { Image: 'b', Entrypoint: ['/bin/echo hi'] } },
  { rule: 'Env → Env', run: { Image: 'b', Env: ['A=1', 'B=two words'] }, want: { Image: 'b', Env: ['A=1', 'B=two words'] } },
  { rule: 'Cmd = [Path, ...Args]', run: { Image: 'b', Path: '/bin/ls', Args: ['-l', '/'] }, want: { Image: 'b', Cmd: ['/bin/ls', '-l', '/'] } },
  { rule: 'Cmd = [Path] without Args', run: { Image: 'b', Path: 'sh' }, want: { Image: 'b', Cmd: ['sh'] } },
  { rule: 'Cmd = Args without Path', run: { Image: 'b', Args: ['echo', 'hi'] }, want: { Image: 'b', Cmd: ['echo', 'hi'] } },
  { rule: 'empty Path and Args: image default', run: { Image: 'b', Path: '', Args: [] }, want: { Image: 'b' } },
  { rule: 'Volume /ctr → Volumes', run: { Image: 'b', Volume: ['/data', '/cache'] }, want: { Image: 'b', Volumes: { '/data': {}, '/cache': {} } } },
  {
    rule: 'Volume src:/ctr[:opts] → HostConfig.Binds, as written',
    run: { Image: 'b', Volume: ['/src/webapp:/opt/webapp:ro', 'named:/n', '/webapp'] },
    want: { Image: 'b', Volumes: { '/webapp': {} }, HostConfig: { Binds: ['/src/webapp:/opt/webapp:ro', 'named:/n'] } },
  },
  { rule: 'Lxc cpuset.cpus → CpusetCpus', run: { Image: 'b', Lxc: ['lxc.cgroup.cpuset.cpus = 0-1, 3'] }, want: { Image: 'b', HostConfig: { CpusetCpus: '0-1,3' } } },
  { rule: 'Lxc cpuset.mems → CpusetMems', run: { Image: 'b', Lxc: ['lxc.cgroup.cpuset.mems=0'] }, want: { Image: 'b', HostConfig: { CpusetMems: '0' } } },
  { rule: 'Lxc memory.limit_in_bytes → Memory', run: { Image: 'b', Lxc: ['lxc.cgroup.memory.limit_in_bytes = 64M'] }, want: { Image: 'b', HostConfig: { Memory: 67108864 } } },
  { rule: 'Lxc cpu.shares → CpuShares', run: { Image: 'b', Lxc: ['lxc.cgroup.cpu.shares = 256'] }, want: { Image: 'b', HostConfig: { CpuShares: 256 } } },
  {
    rule: 'Memory and CpuShares fields take precedence over Lxc',
    run: { Image: 'b', Memory: 8388608, CpuShares: 100, Lxc: ['lxc.cgroup.memory.limit_in_bytes = 64M', 'lxc.cgroup.cpu.shares = 256'] },
    want: { Image: 'b', HostConfig: { Memory: 8388608, CpuShares: 100 } },
  },
  { rule: 'Scrub is not an engine setting (the server removes the container)', run: { Image: 'b', Scrub: true }, want: { Image: 'b' } },
];

describe('runToContainerConfig', () => {
  for (const { rule, run, want } of mapping) {
    it(rule, () => assert.deepEqual(runToContainerConfig(run), { ...want, ...streams }));
  }

  it("reads keys as Circuit's Go decoder does (case-insensitive, null as absent)", () => {
    const run = JSON.parse('{"image": "busybox", "PATH": "sh", "memory": null}') as Run;
    assert.deepEqual(runToContainerConfig(run), { Image: 'busybox', Cmd: ['sh'], ...streams });
  });

  it('maps the documented example of Circuit', () => {
    const run: Run = { Image: 'ubuntu', Memory: 1000000000, CpuShares: 3, Volume: ['/webapp', '/src/webapp:/opt/webapp:ro'], Dir: '/', Path: '/bin/ls', Args: ['/'], Scrub: true };
    assert.deepEqual(runToContainerConfig(run), {
      Image: 'ubuntu',
      Volumes: { '/webapp': {} },
      WorkingDir: '/',
      Cmd: ['/bin/ls', '/'],
      HostConfig: { Memory: 1000000000, CpuShares: 3, Binds: ['/src/webapp:/opt/webapp:ro'] },
      ...streams,
    });
  });

  it('does not share arrays with the Run', () => {
    const run: Run = { Image: 'b', Env: ['A=1'], Args: ['x'] };
    const config = runToContainerConfig(run);
    config.Env?.push('B=2');
    config.Cmd?.push('y');
    assert.deepEqual(run, { Image: 'b', Env: ['A=1'], Args: ['x'] });
  });
});

describe('dockerRunLine', () => {
  const lines: { run: Run; name?: string; line: string }[] = [
    { run: { Image: 'busybox' }, line: 'docker run -d -i busybox' },
    { run: { Image: 'busybox' }, name: 'circuit-x', line: 'docker run -d -i --name circuit-x busybox' },
    {
      run: { Image: 'ubuntu', Memory: 1000000000, CpuShares: 3, Volume: ['/webapp', '/src/webapp:/opt/webapp:ro'], Dir: '/', Path: '/bin/ls', Args: ['/'], Scrub: true },
      line: 'docker run -d -i --rm --memory 1000000000 --cpu-shares 3 -v /webapp -v /src/webapp:/opt/webapp:ro -w / ubuntu /bin/ls /',
    },
    { run: { Image: 'b', Entry: '/bin/sh', Args: ['-c', 'echo "hi" $HOME; it\'s'] }, line: `docker run -d -i --entrypoint /bin/sh b -c 'echo "hi" $HOME; it'\\''s'` },
    { run: { Image: 'b', Env: ['A=1', 'B=two words', 'C='], Path: '', Args: ['env'] }, line: "docker run -d -i -e A=1 -e 'B=two words' -e C= b env" },
    { run: { Image: 'b', Lxc: ['lxc.cgroup.cpuset.cpus = 0-1', 'lxc.cgroup.cpuset.mems = 0'] }, line: 'docker run -d -i --cpuset-cpus 0-1 --cpuset-mems 0 b' },
    { run: { Image: 'b', Path: 'echo', Args: ['', '*', '~'] }, line: "docker run -d -i b echo '' '*' '~'" },
    { run: { Image: '' }, line: 'docker run -d -i <image>' },
  ];
  for (const { run, name, line } of lines) {
    it(line, () => assert.equal(dockerRunLine(run, name), line));
  }

  it('quotes so that a POSIX shell gives back every argument exactly', async () => {
    const { execFileSync } = await import('node:child_process');
    const words = ['plain', '', ' ', "it's", '"', '$HOME', '`id`', 'a\nb', '\\', '!', '-rf', '*', '\t', 'ü'];
    const script = `for a in ${words.map(shellQuote).join(' ')}; do printf '%s\\0' "$a"; done`;
    const out = execFileSync('sh', ['-c', script]).toString('utf8');
    assert.deepEqual(out.split('\0').slice(0, -1), words);
  });
});
