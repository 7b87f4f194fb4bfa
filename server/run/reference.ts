/**
 * Docker image references: `[registry-host[:port]/]path[:tag][@digest]`, checked by the grammar the engine
 * uses (distribution/reference), written out here from its documentation.
 */
import { quoted } from './words';

/** A reference split into its parts. */
export interface ImageReference {
  /** Registry host (with port), when the first component is one. */
  domain: string | undefined;
  /** The repository path below the registry, e.g. `library/busybox` or `team/app`. */
  path: string;
  tag: string | undefined;
  digest: string | undefined;
}

const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const hostLabel = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const domainPattern = new RegExp(`^(?:${hostLabel}(?:\\.${hostLabel})*|\\[[a-fA-F0-9:]+\\])(?::([0-9]+))?$`);
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** The reference's parts, or a message saying what is wrong with it (in a user's words). */
export function parseImageReference(ref: string): ImageReference | { error: string } {
  if (ref.length === 0) return { error: 'the reference is empty' };
  if (/\s/.test(ref)) return { error: 'a reference has no spaces' };
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) return { error: `the digest ${quoted(digest)} is not algorithm:hex (e.g. sha256: and 64 hex digits)` };
    if (digest.startsWith('sha256:') && digest.length !== 'sha256:'.length + 64) return { error: 'a sha256 digest has exactly 64 hex digits' };
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag)) {
      return { error: tag.length > 128 ? 'a tag has at most 128 characters' : `the tag ${quoted(tag)} may only hold letters, digits, _, . and - (and not start with . or -)` };
    }
  }
  if (rest.length === 0) return { error: 'the repository name is missing' };
  if (rest.length > 255) return { error: 'the repository name is longer than 255 characters' };
  const components = rest.split('/');
  let domain: string | undefined;
  const first = components[0]!;
  if (components.length > 1 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase())) {
    domain = first;
    components.shift();
    const match = domainPattern.exec(domain);
    if (!match) return { error: `${quoted(domain)} is not a registry host[:port]` };
    if (match[1] !== undefined && Number(match[1]) > 65535) return { error: `the registry port ${match[1]} is above 65535` };
  }
  for (const component of components) {
    if (component.length === 0) return { error: 'the repository path has an empty component (a doubled or trailing /)' };
    if (!pathComponent.test(component)) {
      if (pathComponent.test(component.toLowerCase())) return { error: 'repository names must be lowercase' };
      return { error: `${quoted(component)} is not a valid name component (lowercase letters and digits, separated by ., _, __ or -)` };
    }
  }
  return { domain, path: components.join('/'), tag, digest };
}

/**
 * The reference as the engine lists it in RepoTags: `busybox` → `busybox:latest`,
 * `docker.io/library/busybox` → `busybox:latest`. Digest references are kept as given.
 */
export function normalizeImageReference(ref: string): string {
  const parsed = parseImageReference(ref);
  if ('error' in parsed) return ref;
  let name = parsed.path;
  if (parsed.domain !== undefined && parsed.domain !== 'docker.io' && parsed.domain !== 'index.docker.io') {
    name = `${parsed.domain}/${name}`;
  } else if (name.startsWith('library/') && name.split('/').length === 2) {
    name = name.slice('library/'.length);
  }
  if (parsed.digest !== undefined) return parsed.tag === undefined ? `${name}@${parsed.digest}` : `${name}:${parsed.tag}@${parsed.digest}`;
  return `${name}:${parsed.tag ?? 'latest'}`;
}
