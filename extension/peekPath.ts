/** The `circuit-peek:` URIs of Peek documents: `circuit-peek:/local/app/web.json` for `/local/app/web`. Pure. */
export const peekScheme = 'circuit-peek';

/** The URI path of an anchor's Peek document (`.json` so the editor highlights it). */
export function peekUriPath(anchorPath: string): string {
  return `${anchorPath}.json`;
}

/** The anchor path of a Peek document's URI path. */
export function anchorOfPeekUriPath(uriPath: string): string {
  return uriPath.endsWith('.json') ? uriPath.slice(0, -'.json'.length) : uriPath;
}
