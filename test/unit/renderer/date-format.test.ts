import { describe, expect, it } from 'vitest';
import { formatClockTime, formatDateTime, formatFullDateTime } from '../../../renderer/app/format';

// The formatters are built once; these check they say what toLocaleString with the same options says.
describe('formatDateTime', () => {
  const now = new Date('2026-06-15T12:00:00Z');
  it('shows the year only for another year, like toLocaleString with the same options', () => {
    const thisYear = '2026-03-04T09:05:00Z';
    const lastYear = '2025-03-04T09:05:00Z';
    const opts = { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' } as const;
    expect(formatDateTime(thisYear, now)).toBe(new Date(thisYear).toLocaleString(undefined, opts));
    expect(formatDateTime(lastYear, now)).toBe(new Date(lastYear).toLocaleString(undefined, { year: 'numeric', ...opts }));
    expect(formatDateTime(lastYear, now)).toContain('2025');
    expect(formatDateTime(thisYear, now)).not.toContain('2026');
  });
  it('returns text that is not a date as it is', () => {
    expect(formatDateTime('not a date', now)).toBe('not a date');
  });
});

describe('formatClockTime and formatFullDateTime', () => {
  const at = '2026-03-04T09:05:07Z';
  it('match the locale formats they replace, and handle unreadable input', () => {
    expect(formatClockTime(at)).toBe(new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }));
    expect(formatClockTime(at, { seconds: true })).toBe(new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' }));
    expect(formatClockTime('nope')).toBe('');
    expect(formatFullDateTime(at)).toContain(new Date(at).toLocaleTimeString(undefined, { timeStyle: 'medium' }));
    expect(formatFullDateTime('nope')).toBe('nope');
  });
});
