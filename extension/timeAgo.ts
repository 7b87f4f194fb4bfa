/** "just now", "42 s ago", "2 min ago", "3 h ago", "5 days ago" for an ISO time, relative to `now`. Pure. */
export function timeAgo(iso: string | undefined, now: number): string | undefined {
  if (iso === undefined) return undefined;
  const then = Date.parse(iso);
  // The engine reports "0001-01-01T00:00:00Z" for a time that never happened.
  if (Number.isNaN(then) || then <= 0) return undefined;
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** Whether the engine ever set this time (it reports year 1 for "never"). */
export function happened(iso: string | undefined): iso is string {
  if (iso === undefined) return false;
  const t = Date.parse(iso);
  return !Number.isNaN(t) && t > 0;
}
