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

// Dates and times in the user's locale. One Intl formatter per shape, built once: toLocaleString
// with options builds a new ICU formatter on every call (~0.1–0.3 ms), which made re-rendering a
// list of 200 history rows, or a chat transcript on every keystroke, a long task.
const sameYearFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const otherYearFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const clockSecondsFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

function dateOf(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Local date and time for a list row; the year only when it is not this year. Unreadable input comes back as it is. */
export function formatDateTime(iso: string, now: Date = new Date()): string {
  const date = dateOf(iso);
  if (!date) return iso;
  return (date.getFullYear() === now.getFullYear() ? sameYearFormat : otherYearFormat).format(date);
}

/** Local time of day (hours and minutes, or with seconds); empty for unreadable input. */
export function formatClockTime(iso: string, o: { seconds?: boolean } = {}): string {
  const date = dateOf(iso);
  return date ? (o.seconds ? clockSecondsFormat : clockFormat).format(date) : '';
}

/** Full local date and time, for tooltips. */
export function formatFullDateTime(iso: string): string {
  const date = dateOf(iso);
  return date ? fullFormat.format(date) : iso;
}
