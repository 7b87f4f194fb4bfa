/** Docker's smallest memory limit: 6 MiB (the engine refuses anything lower). */
export const minimumMemory = 6 * 1024 * 1024;

const units: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/**
 * The byte count of a size written with units, as `docker run --memory` reads it: `512m`, `1g`, `1.5GiB`,
 * `1048576`. k, m, g and t are powers of 1024 (Docker's reading, also for kb/mb/gb). Undefined when the text
 * is not a size or the count is not a safe integer. Fractions of a byte are dropped.
 */
export function parseMemorySize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!match) return undefined;
  const factor = units[match[2]!.toLowerCase()];
  if (factor === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * factor);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** A byte count in the largest binary unit that divides it, for messages: 536870912 → "512 MiB". */
export function formatBytes(bytes: number): string {
  const names = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let i = 0;
  while (i < names.length - 1 && value >= 1024 && value % 1024 === 0) {
    value /= 1024;
    i++;
  }
  if (i === 0 && bytes >= 1024) {
    // Not a whole number of KiB: give a rounded figure too.
    let v = bytes;
    let j = 0;
    while (j < names.length - 1 && v >= 1024) {
      v /= 1024;
      j++;
    }
    return `${bytes} bytes (about ${v.toFixed(1)} ${names[j]})`;
  }
  return `${value} ${names[i]}`;
}
