/** A notice's effective date as people read it in any locale: 2026-12-01 (UTC, as the admin set it). */
export function noticeDate(iso: string): string {
  return iso.slice(0, 10);
}
