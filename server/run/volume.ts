import { posix } from 'node:path';
import { quoted } from './words';

/** One Volume entry, in `docker run -v` syntax, split into its parts. */
export type VolumeSpec =
  | { kind: 'anonymous'; target: string }
  | { kind: 'bind'; source: string; target: string; options: string[] }
  | { kind: 'named'; source: string; target: string; options: string[] };

export interface VolumeError {
  code: 'volume-syntax' | 'volume-relative';
  message: string;
}

const propagation = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'];
/** The options Docker's `-v` knows. */
export const volumeOptions = ['ro', 'rw', 'z', 'Z', 'nocopy', ...propagation];

/** Docker's rule for a named volume: at least two characters, [a-zA-Z0-9][a-zA-Z0-9_.-]+. */
const volumeName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Parses `/ctr`, `src:/ctr` or `src:/ctr:opts`, or says what is wrong with it. */
export function parseVolume(spec: string): VolumeSpec | VolumeError {
  const syntax = (message: string): VolumeError => ({ code: 'volume-syntax', message: `Volume ${quoted(spec)}: ${message}` });
  if (spec.length === 0) return syntax('empty; write /ctr, src:/ctr or src:/ctr:opts');
  const parts = spec.split(':');
  if (parts.length > 3) return syntax('too many ":"; write /ctr, src:/ctr or src:/ctr:opts');
  if (parts.length === 1) {
    const target = parts[0]!;
    const wrong = targetProblem(target);
    return wrong === undefined ? { kind: 'anonymous', target } : syntax(wrong);
  }
  const [source, target, optionText] = parts as [string, string, string | undefined];
  if (parts.length === 2 && source.startsWith('/') && optionsProblem(target.split(',')) === undefined) {
    return syntax(`an anonymous volume takes no options; to mount a host path write ${source}:/ctr:${target}`);
  }
  if (source.length === 0) return syntax('the source before ":" is empty');
  const wrongTarget = targetProblem(target);
  if (wrongTarget !== undefined) return syntax(wrongTarget);
  const options = optionText === undefined ? [] : optionText.split(',');
  const wrongOptions = optionsProblem(options);
  if (wrongOptions !== undefined) return syntax(wrongOptions);
  if (source.startsWith('/')) return { kind: 'bind', source, target, options };
  if (volumeName.test(source)) return { kind: 'named', source, target, options };
  if (/^[.~]/.test(source) || source.includes('/')) {
    return {
      code: 'volume-relative',
      message: `Volume ${quoted(spec)}: the host path ${quoted(source)} is relative; Docker needs an absolute host path (a bare name is a named volume)`,
    };
  }
  if (source.length === 1) return syntax(`a volume name has at least two characters; got ${quoted(source)}`);
  return syntax(`${quoted(source)} is neither an absolute host path nor a volume name (letters, digits, _, . and -, starting with a letter or digit)`);
}

function targetProblem(target: string): string | undefined {
  if (target.length === 0) return 'the container path is empty';
  if (!target.startsWith('/')) return `the container path ${quoted(target)} is not absolute`;
  if (posix.normalize(target) === '/') return 'the container path cannot be /';
  return undefined;
}

function optionsProblem(options: string[]): string | undefined {
  for (const option of options) {
    if (option.length === 0) return 'an empty option (a stray ",")';
    if (!volumeOptions.includes(option)) return `unknown option ${quoted(option)} (known: ${volumeOptions.join(', ')})`;
  }
  const seen = new Set<string>();
  for (const option of options) {
    if (seen.has(option)) return `the option ${quoted(option)} is given twice`;
    seen.add(option);
  }
  if (seen.has('ro') && seen.has('rw')) return 'both ro and rw';
  if (seen.has('z') && seen.has('Z')) return 'both z and Z';
  if (options.filter((o) => propagation.includes(o)).length > 1) return 'more than one propagation mode';
  return undefined;
}

/** The container path of a Volume entry, normalized for comparison (`/data/` and `/data` are one path). */
export function volumeTarget(spec: VolumeSpec): string {
  return posix.normalize(spec.target).replace(/(.)\/+$/, '$1');
}

const sensitiveDirectories = ['/', '/etc', '/proc', '/sys', '/dev', '/boot', '/root'];
const dockerSockets = ['/var/run/docker.sock', '/run/docker.sock'];

/**
 * Why a bind is dangerous, or undefined. `readOnlyFix` is the entry with `:ro` added when making it
 * read-only helps (not for the Docker socket: read-only does not stop API calls through it).
 */
export function sensitiveBind(spec: VolumeSpec): { why: string; readOnlyFix: string | undefined } | undefined {
  if (spec.kind !== 'bind') return undefined;
  const source = posix.normalize(spec.source).replace(/(.)\/+$/, '$1');
  if (dockerSockets.includes(source)) {
    return {
      why: `binds the Docker socket ${source}: the container can then drive the engine, which is root on the host (":ro" does not change that)`,
      readOnlyFix: undefined,
    };
  }
  if (sensitiveDirectories.includes(source) && !spec.options.includes('ro')) {
    const options = spec.options.filter((o) => o !== 'rw');
    return {
      why: `binds the host's ${source} writable: a process in the container can change the host as root; add ":ro" unless it must write`,
      readOnlyFix: `${spec.source}:${spec.target}:${[...options, 'ro'].join(',')}`,
    };
  }
  return undefined;
}
