import { MAX_DEPTH, isValidName } from './path';

/**
 * The labels that carry an element's state in the engine, so that any server on the same engine
 * recovers the same tree. The anchor path is kept below the host: one engine may be named differently
 * by different servers' configurations.
 */
export const ANCHOR_LABEL = 'io.circuit.anchor';
export const SCRUB_LABEL = 'io.circuit.scrub';

export interface ElementLabels {
  /** The names below the host. */
  names: readonly string[];
  scrub: boolean;
}

export function toLabels(e: ElementLabels): Record<string, string> {
  return { [ANCHOR_LABEL]: '/' + e.names.join('/'), [SCRUB_LABEL]: String(e.scrub) };
}

/** The element's labels, or undefined when the container is not a (well-formed) Circuit element. */
export function fromLabels(labels: Record<string, string> | null | undefined): ElementLabels | undefined {
  const anchor = labels?.[ANCHOR_LABEL];
  if (typeof anchor !== 'string' || !anchor.startsWith('/')) return undefined;
  const names = anchor.slice(1).split('/');
  if (names.length === 0 || names.length > MAX_DEPTH || !names.every(isValidName)) return undefined;
  return { names, scrub: labels?.[SCRUB_LABEL] === 'true' };
}
