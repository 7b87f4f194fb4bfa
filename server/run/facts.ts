/**
 * What the Run validator may know about the target host: a plain, synchronous snapshot, so validation stays
 * pure. The language service extends it (server/spec/facts.ts); `circuit/make` may pass one too.
 */

/** An image as the target host has it (from the engine's image inspect). */
export interface ImageFacts {
  /** The image id, `sha256:...`. */
  id: string;
  /** Its repo:tag names on the host. */
  tags: string[];
  /** Size in bytes. */
  size: number;
  /** When it was created, as the engine reports it (ISO 8601), if known. */
  created: string | undefined;
  /** Config.Cmd, null when the image has none. */
  cmd: string[] | null;
  /** Config.Entrypoint, null when the image has none. */
  entrypoint: string[] | null;
  /** Config.Env, `KEY=value` each. */
  env: string[];
  /** Config.WorkingDir ('' when unset). */
  workingDir: string;
  /** Config.ExposedPorts' keys, e.g. `80/tcp`. */
  exposedPorts: string[];
}

/** The host facts the Run validator reads. All optional knowledge: undefined means unknown, never absent. */
export interface HostFacts {
  /** The target host's name (where make would run), or undefined when there is none. */
  host: string | undefined;
  /** The image by reference: its facts; null when the host is known not to have it; undefined when unknown. */
  image(ref: string): ImageFacts | null | undefined;
  /** The host's total memory in bytes (engine info MemTotal), when known. */
  memTotal: number | undefined;
}
