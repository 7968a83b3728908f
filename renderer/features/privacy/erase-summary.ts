import { type StoreCount, type SubjectMatch } from '../../../shared/api/privacy';

/** A data-map store name as people read it: `chat_messages` → "chat messages". */
export function storeLabel(store: string): string {
  return store.replace(/[_-]+/g, ' ').trim();
}

/** Counts of the same store added up across interactions, largest first, zeros left out. */
export function sumCounts(lists: readonly (readonly StoreCount[])[]): StoreCount[] {
  const totals = new Map<string, number>();
  for (const list of lists) for (const { store, count } of list) totals.set(store, (totals.get(store) ?? 0) + count);
  return [...totals]
    .filter(([, count]) => count > 0)
    .map(([store, count]) => ({ store, count }))
    .sort((a, b) => b.count - a.count || a.store.localeCompare(b.store));
}

export function countsText(counts: readonly StoreCount[]): string {
  return counts.length === 0 ? 'nothing stored' : counts.map((c) => `${c.count} ${storeLabel(c.store)}`).join(', ');
}

export interface EraseSummary {
  interactions: { id: string; label: string }[];
  totals: StoreCount[];
  /** Ticked interactions still in progress: the server refuses to erase them until they end. */
  live: number;
  /** The sentence the confirmation leads with. */
  headline: string;
}

/** One line naming an interaction so the officer recognises it: kind, date, queue, customer, agent. */
export function matchLabel(m: SubjectMatch, formatDate: (iso: string) => string): string {
  const who = m.customerName ?? m.customerEmail ?? 'no name';
  return `${m.kind === 'call' ? 'Call' : 'Chat'} ${formatDate(m.createdAt)}, ${m.queueName ?? 'no queue'}, ${who}${m.agentName ? ` with ${m.agentName}` : ''} (${m.interactionId})`;
}

/** What an erase of the ticked matches deletes, for the confirmation that must name it. */
export function eraseSummary(matches: readonly SubjectMatch[], selected: ReadonlySet<string>, formatDate: (iso: string) => string): EraseSummary {
  const chosen = matches.filter((m) => selected.has(m.interactionId));
  const totals = sumCounts(chosen.map((m) => m.counts));
  const n = chosen.length;
  return {
    interactions: chosen.map((m) => ({ id: m.interactionId, label: matchLabel(m, formatDate) })),
    totals,
    live: chosen.filter((m) => m.live).length,
    headline: `Erase for good ${countsText(totals)} from ${n} interaction${n === 1 ? '' : 's'}, here and on every agent's computer. This cannot be undone.`,
  };
}
