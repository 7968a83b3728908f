/** Seconds left to submit a wrap-up, never negative; null when the deadline is unreadable. */
export function wrapupRemainingMs(deadline: string, now: number): number | null {
  const at = Date.parse(deadline);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** A local check before sending: the server validates again and its message wins. */
export function validateWrapup(disposition: string, dispositions: readonly string[], notes: string): string | null {
  if (!disposition) return 'Choose a disposition.';
  if (dispositions.length > 0 && !dispositions.includes(disposition)) return 'Choose one of the listed dispositions.';
  if (notes.length > 4000) return `Notes are too long (${notes.length} of 4000 characters).`;
  return null;
}
