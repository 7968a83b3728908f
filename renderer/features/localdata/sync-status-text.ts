import { type SyncFacts } from './use-local';

const count = (n: number) => n.toLocaleString('en-US');
const changes = (n: number) => `${count(n)} ${n === 1 ? 'change' : 'changes'}`;

/** The one line the top bar shows about local data and sync. Plain so it can be unit-tested. */
export function syncStatusText(online: boolean, facts: SyncFacts | undefined): string {
  if (!facts) return online ? 'Opening local data…' : 'Offline';
  const parts: string[] = [];
  if (!online) parts.push(`Offline: ${changes(facts.waiting)} waiting`);
  else if (facts.waiting > 0) parts.push(`Sending ${changes(facts.waiting)}…`);
  const b = facts.backfill;
  if (b && !b.done && b.total > 0) {
    const pct = Math.min(100, Math.floor((b.applied / b.total) * 100));
    parts.push(`Syncing history: ${count(b.applied)} of ${count(b.total)} items (${pct}%)`);
  }
  if (online && facts.lastError && parts.length === 0) parts.push('Sync will retry shortly');
  if (parts.length === 0) parts.push('Up to date');
  return parts.join(' · ');
}
