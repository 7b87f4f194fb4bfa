/**
 * Anchor paths as the Make input box sees them: the server's rules (a name matches
 * `^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$`, the first name is a configured host, an element lives at least one
 * name below its host and at most 16), checked as the user types, plus what the client knows: whether the
 * host is connected and whether the anchor already holds an element. Pure.
 */
import type { AnchorInfo, HostStatus } from '../protocol';
import { elementDescription } from './describe';

export const anchorNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
export const maxDepthBelowHost = 16;

/** The parent of an anchor path; `/` for a host and for `/` itself. */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** The last name of a path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** What the client knows when checking a path typed for Make. */
export interface MakeTarget {
  hosts: readonly HostStatus[];
  anchor(path: string): AnchorInfo | undefined;
}

/**
 * Why `path` cannot take a new element, in a user's words, or undefined when it can (as far as the client
 * knows; the server has the last word).
 */
export function makePathProblem(path: string, target: MakeTarget, now: number): string | undefined {
  if (path.length === 0) return 'Type an anchor path, e.g. /local/app/web.';
  if (!path.startsWith('/')) return 'An anchor path starts with /, then the host, e.g. /local/app/web.';
  const names = path.slice(1).split('/');
  if (names[names.length - 1] === '') {
    return names.length === 1 ? 'Type a host name after /.' : 'Type a name after the last /.';
  }
  for (const name of names) {
    if (name === '') return 'Empty name: two slashes in a row.';
    if (!anchorNamePattern.test(name)) {
      if (name.length > 63) return `"${name.slice(0, 20)}…" is longer than 63 characters.`;
      return `"${name}" is not a valid anchor name: letters, digits, _ . - only, starting with a letter or digit.`;
    }
  }
  const hostName = names[0] ?? '';
  const host = target.hosts.find((h) => h.name === hostName);
  if (host === undefined) {
    const known = target.hosts.map((h) => `/${h.name}`).join(', ');
    return `No host named "${hostName}". Hosts: ${known === '' ? 'none configured' : known}.`;
  }
  if (names.length === 1) return `/${hostName} is a host: an element goes below it, e.g. /${hostName}/app.`;
  if (names.length - 1 > maxDepthBelowHost) return `At most ${maxDepthBelowHost} names below the host.`;
  if (!host.connected) return `/${hostName} is not connected${host.error === undefined ? '' : `: ${host.error}`}.`;
  const existing = target.anchor(path);
  if (existing?.element) {
    return `${path} already holds an element (${elementDescription(existing.element, now)}). Scrub it first, or choose another path.`;
  }
  return undefined;
}

/** A default anchor name from a spec's file name: `web.circuit.json` → `web`. */
export function nameFromSpecFile(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const stem = base.replace(/\.circuit\.json$/i, '').replace(/\.json$/i, '');
  const cleaned = stem.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 63);
  return cleaned === '' ? 'element' : cleaned;
}

/**
 * The existing anchors to offer while typing: those below the typed path's parent, closest first.
 * Anchors that hold an element are offered as parents (a new element goes below them).
 */
export function anchorSuggestions(typed: string, paths: readonly string[], limit = 20): string[] {
  const dir = typed.endsWith('/') ? typed.slice(0, -1) : parentPath(typed);
  const prefix = dir === '/' ? '/' : `${dir}/`;
  const below = paths.filter((p) => p.startsWith(prefix) && p !== typed);
  below.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  return below.slice(0, limit);
}
