/**
 * The engine facts the Run-spec language service reads: a plain, synchronous snapshot of the target host
 * (the host whose anchor the user last made an element on, else the first connected host). The service
 * stays pure: TextDocument + SpecFacts in, LSP types out. engineFacts.ts builds these from live engines.
 */
import type { HostFacts, ImageFacts } from '../run/facts';

export type { HostFacts, ImageFacts };

/** An image as the host lists it, for completion. */
export interface ImageSummary {
  /** The image id, `sha256:...`. */
  id: string;
  /** Its repo:tag names (none for a dangling image). */
  tags: string[];
  /** Size in bytes. */
  size: number;
  /** Creation time, seconds since the epoch. */
  created: number;
}

export interface SpecFacts extends HostFacts {
  /** Whether the target host's engine answers. */
  connected: boolean;
  /** The target host's images (empty when unknown). */
  images: ImageSummary[];
  /** The target host's named volumes (empty when unknown). */
  volumes: string[];
}

/** Facts when nothing is known: no target host. Host-dependent checks are skipped. */
export const noFacts: SpecFacts = {
  host: undefined,
  connected: false,
  images: [],
  volumes: [],
  memTotal: undefined,
  image: () => undefined,
};
