/**
 * Run → engine: the container-create options a Run stands for, and the equivalent `docker run` line.
 * Pure. Expects a Run that passed the validator (validate.ts); anything it refuses is skipped here.
 */
import type { ContainerCreateOptions } from 'dockerode';
import { Run } from '../../protocol';
import { canonicalRun } from './canonical';
import { translateLxc } from './lxc';
import { parseVolume } from './volume';

/** Docker's container-create options for a Run; the server adds the name and the labels. */
export type RunContainerConfig = Omit<ContainerCreateOptions, 'name' | 'Labels' | 'abortSignal'>;

/**
 * The container-create options of a Run:
 * Memory → HostConfig.Memory, CpuShares → HostConfig.CpuShares, Dir → WorkingDir, Entry → Entrypoint,
 * Env → Env, Cmd = [Path, ...Args] (Args alone without Path; the image's default when both are empty),
 * Volume `/ctr` → Volumes, `src:/ctr[:opts]` → HostConfig.Binds, Lxc cgroup keys → their HostConfig
 * settings (an explicit Memory or CpuShares field takes precedence). Stdin is open for one attachment,
 * without a TTY, and the engine keeps stdout and stderr from the first byte.
 */
export function runToContainerConfig(given: Run): RunContainerConfig {
  const run = canonicalRun(given);
  const hostConfig: NonNullable<RunContainerConfig['HostConfig']> = {};
  const config: RunContainerConfig = {
    Image: run.Image,
    OpenStdin: true,
    StdinOnce: true,
    Tty: false,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
  };
  for (const entry of run.Lxc ?? []) {
    const t = translateLxc(entry);
    if ('error' in t) continue;
    if (t.setting === 'CpusetCpus') hostConfig.CpusetCpus = t.value;
    else if (t.setting === 'CpusetMems') hostConfig.CpusetMems = t.value;
    else if (t.setting === 'Memory') hostConfig.Memory = t.value;
    else hostConfig.CpuShares = t.value;
  }
  if (run.Memory !== undefined && run.Memory > 0) hostConfig.Memory = run.Memory;
  if (run.CpuShares !== undefined && run.CpuShares > 0) hostConfig.CpuShares = run.CpuShares;
  for (const entry of run.Volume ?? []) {
    const spec = parseVolume(entry);
    if ('code' in spec) continue;
    if (spec.kind === 'anonymous') config.Volumes = { ...config.Volumes, [spec.target]: {} };
    else (hostConfig.Binds ??= []).push(entry);
  }
  if (run.Dir) config.WorkingDir = run.Dir;
  if (run.Entry) config.Entrypoint = [run.Entry];
  if (run.Env && run.Env.length > 0) config.Env = [...run.Env];
  const cmd = command(run);
  if (cmd !== undefined) config.Cmd = cmd;
  if (Object.keys(hostConfig).length > 0) config.HostConfig = hostConfig;
  return config;
}

/** The command of a Run: [Path, ...Args], Args alone without Path, undefined (the image's) when both are empty. */
function command(run: Run): string[] | undefined {
  const args = run.Args ?? [];
  if (run.Path) return [run.Path, ...args];
  return args.length > 0 ? [...args] : undefined;
}

/**
 * The `docker run` command line equivalent to a Run (detached, stdin open), each argument quoted for a
 * POSIX shell. Scrub shows as `--rm`, its nearest equivalent.
 */
export function dockerRunLine(given: Run, name?: string): string {
  const run = canonicalRun(given);
  const config = runToContainerConfig(run);
  const host = config.HostConfig ?? {};
  const words = ['docker', 'run', '-d', '-i'];
  if (name !== undefined && name !== '') words.push('--name', name);
  if (run.Scrub === true) words.push('--rm');
  if (host.Memory !== undefined) words.push('--memory', String(host.Memory));
  if (host.CpuShares !== undefined) words.push('--cpu-shares', String(host.CpuShares));
  if (host.CpusetCpus !== undefined) words.push('--cpuset-cpus', host.CpusetCpus);
  if (host.CpusetMems !== undefined) words.push('--cpuset-mems', host.CpusetMems);
  for (const entry of run.Volume ?? []) {
    if (!('code' in parseVolume(entry))) words.push('-v', entry);
  }
  if (config.WorkingDir !== undefined) words.push('-w', config.WorkingDir);
  if (run.Entry) words.push('--entrypoint', run.Entry);
  for (const entry of config.Env ?? []) words.push('-e', entry);
  // Without an Image the line still shows its shape, with a placeholder the shell would not take as a name.
  const image = run.Image === '' ? '<image>' : shellQuote(run.Image);
  return [...words.map(shellQuote), image, ...(config.Cmd ?? []).map(shellQuote)].join(' ');
}

/** A word quoted for a POSIX shell: as is when it holds only safe characters, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
