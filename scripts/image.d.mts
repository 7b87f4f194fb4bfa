import type Docker from 'dockerode';
export const IMAGE: string;
/** Imports the local busybox image into an engine unless present; true when it imported it. */
export function ensureImage(docker?: Docker, name?: string): Promise<boolean>;
