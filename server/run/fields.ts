import { RunField, runFields } from '../../protocol';

/** The JSON type a Run field takes. */
export type FieldType = 'string' | 'integer' | 'string[]' | 'boolean';

/** What a user needs to know about one Run field: its type, what it does, its `docker run` flag, its unit. */
export interface FieldInfo {
  name: RunField;
  type: FieldType;
  /** One or two sentences: what the field does. */
  doc: string;
  /** The `docker run` flag it stands for, if any. */
  flag: string | undefined;
  /** The unit of a number, if any. */
  unit: string | undefined;
  /** A value snippet for completion (LSP snippet syntax). */
  snippet: string;
}

/** Every Run field, in Circuit's order. */
export const fieldInfo: Record<RunField, FieldInfo> = {
  Image: {
    name: 'Image',
    type: 'string',
    doc: 'The image to run, as a Docker reference: `name[:tag][@digest]`, optionally with a registry host (`registry.example:5000/team/app:1.2`). Required.',
    flag: 'IMAGE (the positional argument)',
    unit: undefined,
    snippet: '"${1}"',
  },
  Memory: {
    name: 'Memory',
    type: 'integer',
    doc: 'Memory limit of the container. 0 or absent: no limit. Docker refuses limits below 6 MiB.',
    flag: '--memory',
    unit: 'bytes (an integer: 536870912 is 512 MiB)',
    snippet: '${1:536870912}',
  },
  CpuShares: {
    name: 'CpuShares',
    type: 'integer',
    doc: 'Relative CPU weight against other containers (the default weight is 1024). 0 or absent: the default. The kernel accepts 2 to 262144.',
    flag: '--cpu-shares',
    unit: 'a relative weight (1024 is the default)',
    snippet: '${1:1024}',
  },
  Lxc: {
    name: 'Lxc',
    type: 'string[]',
    doc: 'LXC options, `key = value` each, from the days of Docker\'s LXC driver (gone since Docker 1.10). The cgroup keys with a Docker equivalent are translated: `lxc.cgroup.cpuset.cpus`, `lxc.cgroup.cpuset.mems`, `lxc.cgroup.memory.limit_in_bytes`, `lxc.cgroup.cpu.shares`; any other entry is refused.',
    flag: '--lxc-conf (obsolete; translated to --cpuset-cpus, --cpuset-mems, --memory, --cpu-shares)',
    unit: undefined,
    snippet: '["${1:lxc.cgroup.cpuset.cpus = 0}"]',
  },
  Volume: {
    name: 'Volume',
    type: 'string[]',
    doc: 'Volumes in `docker run -v` syntax: `/ctr` (an anonymous volume), `src:/ctr` or `src:/ctr:opts`, where src is an absolute host path (a bind) or a volume name, and opts a comma-separated list of ro, rw, z, Z, nocopy, private, rprivate, shared, rshared, slave, rslave.',
    flag: '--volume (-v)',
    unit: undefined,
    snippet: '["${1:/data}"]',
  },
  Dir: {
    name: 'Dir',
    type: 'string',
    doc: 'The working directory inside the container, an absolute path. Absent: the image\'s WorkingDir.',
    flag: '--workdir (-w)',
    unit: undefined,
    snippet: '"${1:/}"',
  },
  Entry: {
    name: 'Entry',
    type: 'string',
    doc: 'The entrypoint: the program the container starts, replacing the image\'s ENTRYPOINT (and its default CMD). One program, no arguments: Path and Args follow it as its arguments.',
    flag: '--entrypoint',
    unit: undefined,
    snippet: '"${1:/bin/sh}"',
  },
  Env: {
    name: 'Env',
    type: 'string[]',
    doc: 'Environment variables, `KEY=value` each, added to (or replacing) the image\'s. When a key appears twice the last one wins.',
    flag: '--env (-e)',
    unit: undefined,
    snippet: '["${1:KEY}=${2:value}"]',
  },
  Path: {
    name: 'Path',
    type: 'string',
    doc: 'The program to run: the first word of the command (CMD), Args follow it. Path, Args and Entry all absent: the image\'s default command.',
    flag: 'COMMAND (the positional argument after the image)',
    unit: undefined,
    snippet: '"${1:/bin/sh}"',
  },
  Args: {
    name: 'Args',
    type: 'string[]',
    doc: 'The arguments of Path (the rest of the command). Without Path they are the whole command.',
    flag: 'ARG... (the positional arguments after the command)',
    unit: undefined,
    snippet: '["${1}"]',
  },
  Scrub: {
    name: 'Scrub',
    type: 'boolean',
    doc: 'true: once the container exits, the element is detached from its anchor and the container removed (a pending wait still gets the final status). false or absent: the element stays so you can come back for its exit status.',
    flag: '--rm (nearest equivalent)',
    unit: undefined,
    snippet: '${1|true,false|}',
  },
};

/** The Run field a key names exactly, or undefined. */
export function exactField(key: string): RunField | undefined {
  return (runFields as readonly string[]).includes(key) ? (key as RunField) : undefined;
}

/** The Run field a key names ignoring case, as Go's JSON decoder matches it, or undefined. */
export function foldedField(key: string): RunField | undefined {
  const lower = key.toLowerCase();
  return runFields.find((f) => f.toLowerCase() === lower);
}

/** What users of docker run, Compose or the Engine API call a Run field (lowercase, without - and _). */
const aliases: Record<string, RunField> = {
  cmd: 'Path',
  command: 'Path',
  entrypoint: 'Entry',
  workdir: 'Dir',
  workingdir: 'Dir',
  cwd: 'Dir',
  environment: 'Env',
  volumes: 'Volume',
  mounts: 'Volume',
  binds: 'Volume',
  mem: 'Memory',
  memorylimit: 'Memory',
  cpu: 'CpuShares',
  cpushare: 'CpuShares',
  rm: 'Scrub',
  autoremove: 'Scrub',
  lxcconf: 'Lxc',
};

/**
 * The Run field nearest to a key, for "did you mean": the field a Docker name stands for (`Cmd` → Path,
 * `WorkingDir` → Dir), a field the key starts with (`Environment` → Env), else the smallest edit
 * distance, ignoring case.
 */
export function nearestField(key: string): RunField {
  const lower = key.toLowerCase();
  const alias = aliases[lower.replace(/[-_\s]/g, '')];
  if (alias !== undefined) return alias;
  const prefixed = runFields.filter((f) => lower.startsWith(f.toLowerCase()) && f.length >= 3).sort((a, b) => b.length - a.length);
  if (prefixed[0] !== undefined) return prefixed[0];
  let best: RunField = runFields[0];
  let bestDistance = Infinity;
  for (const field of runFields) {
    const d = editDistance(lower, field.toLowerCase());
    if (d < bestDistance) {
      best = field;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, with adjacent transpositions counted as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  // Long keys cannot be near any field; cap the work.
  if (a.length > 64 || b.length > 64) return Math.abs(a.length - b.length) + 64;
  const width = b.length + 1;
  let before = new Uint16Array(width);
  let previous = new Uint16Array(width);
  let current = new Uint16Array(width);
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j < width; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}
