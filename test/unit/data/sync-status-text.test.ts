import { describe, expect, it } from 'vitest';
import { syncStatusText } from '../../../renderer/features/localdata/sync-status-text';

const facts = (over: Partial<Parameters<typeof syncStatusText>[1] & object> = {}) => ({ waiting: 0, problems: 0, backfill: null, lastError: null, ...over });

describe('sync status line', () => {
  it('says offline with the number of changes waiting', () => {
    expect(syncStatusText(false, facts({ waiting: 0 }))).toBe('Offline: 0 changes waiting');
    expect(syncStatusText(false, facts({ waiting: 1 }))).toBe('Offline: 1 change waiting');
    expect(syncStatusText(false, facts({ waiting: 1234 }))).toBe('Offline: 1,234 changes waiting');
  });

  it('shows backfill progress in items and percent, and what is being sent', () => {
    expect(syncStatusText(true, facts({ backfill: { applied: 12_345, total: 120_000, done: false } }))).toBe('Syncing history: 12,345 of 120,000 items (10%)');
    expect(syncStatusText(true, facts({ waiting: 2, backfill: { applied: 5, total: 10, done: false } }))).toBe('Sending 2 changes… · Syncing history: 5 of 10 items (50%)');
  });

  it('up to date once everything is in and sent; a failure says it will retry', () => {
    expect(syncStatusText(true, facts({ backfill: { applied: 10, total: 10, done: true } }))).toBe('Up to date');
    expect(syncStatusText(true, facts({ lastError: { message: 'x', retryInMs: 1000 } }))).toBe('Sync will retry shortly');
  });
});
