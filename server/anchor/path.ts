import { createHash } from 'node:crypto';
import { CircuitError } from '../errors';
import { describeValue, quote } from '../params';

/**
 * Anchor paths. `/` is the root; `/<host>` a Docker host; `/<host>/<name>/...` anchors below it.
 * A name matches NAME; at most MAX_DEPTH names below the host.
 */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
export const MAX_DEPTH = 16;
/** Longest well-formed path: a host and MAX_DEPTH names of 63 characters, each after a slash. */
const MAX_PATH_LENGTH = (MAX_DEPTH + 1) * 64;

export interface AnchorPath {
  /** The host's name, or undefined for the root. */
  host: string | undefined;
  /** The names below the host. */
  names: readonly string[];
}

export function isValidName(name: string): boolean {
  return NAME.test(name);
}

/** Parses and validates a path; throws invalid-path with a message that says what is wrong. */
export function parsePath(path: unknown): AnchorPath {
  if (typeof path !== 'string') throw new CircuitError('invalid-params', `path must be a string such as "/local/app", got ${describeValue(path)}`, 'path');
  if (path.length > MAX_PATH_LENGTH) throw new CircuitError('invalid-path', `The path is ${path.length} characters long; an anchor path has at most ${MAX_PATH_LENGTH}.`, 'path');
  if (!path.startsWith('/')) throw new CircuitError('invalid-path', `The path ${quote(path)} must start with "/", as in "/local/app".`, 'path');
  if (path === '/') return { host: undefined, names: [] };
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  const parts = trimmed.slice(1).split('/');
  for (const part of parts) {
    if (part === '') throw new CircuitError('invalid-path', `The path ${quote(path)} has an empty name (two slashes in a row).`, 'path');
    if (!isValidName(part)) throw new CircuitError('invalid-path', `${quote(part)} in ${quote(path)} is not an anchor name: ${nameRule(part)}`, 'path');
  }
  const [host, ...names] = parts;
  if (names.length > MAX_DEPTH) throw new CircuitError('invalid-path', `The path ${quote(path)} is ${names.length} names deep below the host; at most ${MAX_DEPTH} are allowed.`, 'path');
  return { host, names };
}

/** What is wrong with a name, in words (assumes the name is invalid). */
export function nameRule(name: string): string {
  if (name === '.' || name === '..') return 'relative names ("." and "..") are not anchors.';
  if (name.length > 63) return `a name has at most 63 characters (this one has ${name.length}).`;
  if (!/^[A-Za-z0-9]/.test(name)) return 'a name starts with a letter or a digit.';
  return 'a name holds only letters, digits, "_", "." and "-".';
}

export function formatPath(host: string | undefined, names: readonly string[] = []): string {
  return host === undefined ? '/' : '/' + [host, ...names].join('/');
}

export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/**
 * The engine's container name for an anchor (names below the host). Injective: `_` in a name is written
 * `__`, and `_-` separates names, so distinct paths never share a name. Docker keeps names unique, which
 * makes `make` atomic across servers. Paths too long for a readable name get a SHA-256 form.
 */
export function containerName(names: readonly string[]): string {
  const readable = 'circuit_' + names.map((n) => n.replace(/_/g, '__')).join('_-');
  if (readable.length <= 200) return readable;
  return 'circuit-sha256_' + createHash('sha256').update(names.join('/')).digest('hex');
}
