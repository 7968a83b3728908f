/** What the archive's manifest.json says (version 1); docs/privacy-model.md describes it for the person. */

export type ExportItemKind = 'interaction' | 'transcript' | 'transcript-text' | 'notes' | 'wrapup' | 'timeline' | 'offers' | 'consults' | 'recording';

export interface ExportItem {
  /** Where it is in the zip. */
  path: string;
  kind: ExportItemKind;
  /** The interaction's id, or the recording's for a recording. */
  id: string;
  interactionId: string;
  /** When what it holds starts and ends (the interaction's span, the first and last message, the recording's span). */
  createdAt: string | null;
  endedAt: string | null;
  /** Rows it holds (messages, notes, events), for the files that gather several. */
  records?: number;
  bytes: number;
  sha256: string;
}

/** Something the person is owed that could not be put in the archive, and why. */
export interface MissingItem {
  kind: 'recording' | 'interaction';
  id: string;
  interactionId: string;
  reason: string;
}

/** The per-store counts: table names of the data map, plus `recordings/files` (the audio) and `wrapups`. */
export type ExportCounts = Record<ExportStore, number>;

export const EXPORT_STORES = ['interactions', 'messages', 'sync_notes', 'wrapups', 'timeline', 'offers', 'consults', 'recordings', 'recording_pauses', 'recordings/files'] as const;
export type ExportStore = (typeof EXPORT_STORES)[number];

export interface ExportManifest {
  format: 'veildesk-privacy-export';
  version: 1;
  requestId: string;
  generatedAt: string;
  interactionIds: string[];
  counts: ExportCounts;
  items: ExportItem[];
  missing: MissingItem[];
  /** What is deliberately not in the archive. */
  leftOut: string[];
}

export const LEFT_OUT = [
  'Staff credentials and internal ids (password hashes, sessions, user ids) and the customer token (only its hash is stored).',
  "Other people's conversations: only the interactions listed in interactionIds.",
  'The sync change log and access lists: they hold ids only, no data about you.',
];

export function emptyCounts(): ExportCounts {
  return Object.fromEntries(EXPORT_STORES.map((s) => [s, 0])) as ExportCounts;
}
