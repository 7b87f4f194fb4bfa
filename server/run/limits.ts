/**
 * What the kernel can take from a Run, checked before it reaches the engine. Pure.
 *
 * A container's command and environment become execve(2)'s argv and envp: C strings, so a NUL byte
 * ends them early (the engine then runs a different command than the one given, or fails at start),
 * and Linux refuses any one string longer than MAX_ARG_STRLEN (32 pages: 128 KiB with its NUL). Paths
 * (Dir, Volume) and LXC options are C strings too. So: no NUL bytes, and no string over that length.
 */
import { fieldInfo, foldedField } from './fields';

/** Linux's MAX_ARG_STRLEN, counting the terminating NUL. */
export const MAX_STRING_BYTES = 128 * 1024;

/** The first string of a Run that the kernel cannot take, as a field and a message; null when all fit. */
export function execLimitProblem(run: unknown): { field: string; message: string } | null {
  if (typeof run !== 'object' || run === null || Array.isArray(run)) return null;
  for (const [key, value] of Object.entries(run)) {
    const field = foldedField(key);
    if (field === undefined) continue;
    const type = fieldInfo[field].type;
    const strings = type === 'string' && typeof value === 'string' ? [value] : type === 'string[]' && Array.isArray(value) ? value : [];
    for (const [i, s] of strings.entries()) {
      if (typeof s !== 'string') continue;
      const where = type === 'string' ? field : `${field}[${i}]`;
      if (s.includes('\u0000')) {
        return { field, message: `${where} holds a NUL byte (\\u0000): the kernel takes it as the end of the string, so it cannot reach the container` };
      }
      const bytes = Buffer.byteLength(s, 'utf8') + 1;
      if (bytes > MAX_STRING_BYTES) {
        return { field, message: `${where} is ${bytes - 1} bytes long; the kernel takes at most ${MAX_STRING_BYTES - 1} bytes in one argument, environment entry or path` };
      }
    }
  }
  return null;
}
