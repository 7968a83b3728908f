import { type PrivacyRequest, type PrivacyRequestStatus, type PrivacyRequestType } from '../../../shared/api/privacy';
import { storeLabel } from './erase-summary';

export const TYPE_LABELS: Record<PrivacyRequestType, string> = { export: 'Export', rectify: 'Correction', erase: 'Erase' };

export const STATUS_LABELS: Record<PrivacyRequestStatus, string> = {
  received: 'Received',
  searching: 'Searching',
  working: 'Working',
  completed: 'Completed',
  failed: 'Failed',
};

/** The identifiers a request is about while it runs; afterwards only their digests are kept. */
export function subjectText(r: PrivacyRequest): string {
  const s = r.subject;
  if (!s) return `${r.subjectDigests.length} identifier${r.subjectDigests.length === 1 ? '' : 's'} (kept hashed)`;
  const parts = [s.email, s.phone, s.name].filter((v): v is string => Boolean(v));
  if (s.interactionIds) parts.push(`${s.interactionIds.length} interaction${s.interactionIds.length === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** Per store "found → done", the stores that had anything first. */
export function storesText(r: PrivacyRequest): string {
  const touched = r.stores.filter((s) => s.found > 0 || s.done > 0);
  if (touched.length === 0) return r.status === 'completed' ? 'nothing found' : '';
  const verb = r.type === 'export' ? 'exported' : r.type === 'erase' ? 'erased' : 'corrected';
  return touched.map((s) => `${storeLabel(s.store)} ${s.found} found, ${s.done} ${verb}`).join('; ');
}

/** "3 of 12" while working, with a percentage for the bar. */
export function progressOf(r: PrivacyRequest): { text: string; fraction: number } | null {
  if (r.status !== 'working' && r.status !== 'searching') return null;
  const { done, total } = r.progress;
  if (total === 0) return { text: r.status === 'searching' ? 'Searching every store…' : 'Starting…', fraction: 0 };
  return { text: `${done} of ${total}`, fraction: Math.min(1, done / total) };
}
