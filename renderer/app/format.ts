/** Compact elapsed time for rosters: 45s, 3m 05s, 1h 02m, 2d 3h. */
export function formatDuration(ms: number): string {
  // Clock skew between server and client can make "since" look like the future.
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(seconds)}s`;
  return `${seconds}s`;
}

/** Time since an ISO timestamp, or null when the timestamp is missing or unreadable. */
export function elapsedSince(iso: string | null, now: number): string | null {
  if (!iso) return null;
  const start = Date.parse(iso);
  return Number.isNaN(start) ? null : formatDuration(now - start);
}
