import type { StoreResult } from '../../../../shared/api/privacy';
import type { Db } from '../../../db/database';
import type { RecordingStorage } from '../../recordings/storage/recording-storage';
import type { ExecutorContext } from '../requests/executor';
import type { ExportArchives } from './export-archives';
import { eventPages, jsonDocument, messagePages, notePages, readableTime, transcriptText, type PassStats } from './interaction-content';
import { emptyCounts, EXPORT_STORES, LEFT_OUT, type ExportCounts, type ExportItem, type ExportManifest, type ExportStore, type MissingItem } from './manifest';
import { ZipSink } from './zip-sink';

export interface PrivacyExporterDeps {
  db: Db;
  archives: ExportArchives;
  /** The recordings' files: the recordings module's storage. */
  audio: Pick<RecordingStorage, 'openAudio'>;
  /**
   * Makes the file of a closed recording that was never assembled, in the recordings module's
   * queue for it (RecordingService). Without it such a recording is listed as missing.
   */
  assemble?: (recordingId: string) => Promise<void>;
}

/** The columns an export reads of an interaction: never the customer token's hash or staff ids. */
async function loadInteraction(db: Db, id: string) {
  return db.kysely
    .selectFrom('interactions as i')
    .leftJoin('queues as q', 'q.id', 'i.queue_id')
    .leftJoin('users as u', 'u.id', 'i.agent_id')
    .select([
      'i.id',
      'i.kind',
      'i.status',
      'q.name as queue_name',
      'u.display_name as agent_name',
      'i.customer_name',
      'i.customer_email',
      'i.created_at',
      'i.answered_at',
      'i.ended_at',
      'i.disposition',
      'i.notes',
      'i.wrapup_at',
      'i.wrapup_by',
      'i.wrapup_timed_out',
      'i.sensitive_category',
      'i.child_protected',
    ])
    .where('i.id', '=', id)
    .executeTakeFirst();
}
type InteractionExportRow = NonNullable<Awaited<ReturnType<typeof loadInteraction>>>;

const emptyStats = (): PassStats => ({ count: 0, first: null, last: null });

/**
 * A person's access request: writes every interaction the request found into one zip at
 * `<dataDir>/privacy-exports/<requestId>.zip`: per interaction its summary and contact fields,
 * the transcript (JSON and readable text), agents' notes, the wrap-up, the timeline and the
 * recordings' audio, plus manifest.json (every file with its kind, ids, dates, size and SHA-256,
 * and per-store counts). Everything streams: messages, notes and events are read a page at a time
 * and recordings are piped from disk, so memory stays flat whatever the size.
 */
export class PrivacyExporter {
  constructor(private readonly deps: PrivacyExporterDeps) {}

  async run(ctx: ExecutorContext): Promise<StoreResult[]> {
    const ids = [...new Set(ctx.interactionIds)];
    const generatedAt = ctx.now;
    const file = await this.deps.archives.create(ctx.requestId);
    const zip = new ZipSink(file.stream, generatedAt);
    const counts = emptyCounts();
    const found = emptyCounts();
    const items: ExportItem[] = [];
    const missing: MissingItem[] = [];
    try {
      await ctx.progress(0, ids.length);
      for (const [index, id] of ids.entries()) {
        await this.exportInteraction(zip, id, { counts, found, items, missing });
        await ctx.progress(index + 1, ids.length);
      }
      const manifest: ExportManifest = {
        format: 'veildesk-privacy-export',
        version: 1,
        requestId: ctx.requestId,
        generatedAt: generatedAt.toISOString(),
        interactionIds: ids,
        counts,
        items,
        missing,
        leftOut: LEFT_OUT,
      };
      await zip.addBuffer('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
      await zip.finish();
      await file.commit();
    } catch (err) {
      zip.abort();
      await file.discard();
      throw err;
    }
    return EXPORT_STORES.map((store) => storeResult(store, found[store], counts[store], missing));
  }

  private async exportInteraction(zip: ZipSink, id: string, out: { counts: ExportCounts; found: ExportCounts; items: ExportItem[]; missing: MissingItem[] }): Promise<void> {
    const { db } = this.deps;
    const row = await loadInteraction(db, id);
    if (!row) {
      out.missing.push({ kind: 'interaction', id, interactionId: id, reason: 'no such interaction (erased or never existed)' });
      return;
    }
    const dir = `interactions/${id}`;
    const span = { createdAt: row.created_at, endedAt: row.ended_at };
    const recordings = await db.kysely
      .selectFrom('recordings')
      .select(['id', 'started_at', 'ended_at', 'mime_type', 'status', 'assembled_bytes'])
      .where('interaction_id', '=', id)
      .orderBy('started_at')
      .orderBy('id')
      .execute();
    const pauses = await db.kysely.selectFrom('recording_pauses').select(['started_at', 'ended_at']).where('interaction_id', '=', id).orderBy('id').execute();
    const add = (entry: { path: string; bytes: number; sha256: string }, kind: ExportItem['kind'], extra: Partial<ExportItem> = {}) =>
      out.items.push({ path: entry.path, kind, id, interactionId: id, ...span, ...extra, bytes: entry.bytes, sha256: entry.sha256 });
    const count = (store: ExportStore, n: number) => {
      out.found[store] += n;
      out.counts[store] += n;
    };

    add(await zip.add(`${dir}/interaction.json`, [Buffer.from(`${JSON.stringify(summaryOf(row, recordings, pauses), null, 2)}\n`)]), 'interaction');
    count('interactions', 1);
    count('recording_pauses', pauses.length);

    const messages = emptyStats();
    const head = { interactionId: id, kind: row.kind, queue: row.queue_name, createdAt: row.created_at, endedAt: row.ended_at };
    const transcript = await zip.add(
      `${dir}/transcript.json`,
      jsonDocument(head, 'messages', messagePages(db.kysely, id), (m) => ({ seq: Number(m.seq), at: m.at, from: m.author, name: m.author_name, text: m.text }), messages, (m) => m.at),
    );
    add(transcript, 'transcript', { createdAt: messages.first, endedAt: messages.last, records: messages.count });
    count('messages', messages.count);
    const header = [`Conversation ${id} (${row.kind}${row.queue_name ? `, ${row.queue_name}` : ''})`, `Started ${readableTime(row.created_at)}${row.ended_at ? `, ended ${readableTime(row.ended_at)}` : ''}`];
    add(await zip.add(`${dir}/transcript.txt`, transcriptText(header, messagePages(db.kysely, id))), 'transcript-text', { createdAt: messages.first, endedAt: messages.last, records: messages.count });

    const notes = emptyStats();
    const notesFile = await zip.add(
      `${dir}/notes.json`,
      jsonDocument(
        { interactionId: id },
        'notes',
        notePages(db.kysely, id),
        (n) => ({ id: n.id, by: n.author_name, text: n.text, createdAt: n.created_at, updatedAt: n.updated_at, ...(n.conflict_reason ? { conflictCopy: { reason: n.conflict_reason, of: n.conflict_of } } : {}) }),
        notes,
        (n) => n.created_at,
      ),
    );
    add(notesFile, 'notes', { createdAt: notes.first, endedAt: notes.last, records: notes.count });
    count('sync_notes', notes.count);

    if (row.wrapup_at || row.notes) {
      const wrapup = { interactionId: id, disposition: row.disposition, notes: row.notes ?? '', submittedAt: row.wrapup_at, by: row.wrapup_by ?? 'system', timedOut: Number(row.wrapup_timed_out) === 1 };
      add(await zip.add(`${dir}/wrapup.json`, [Buffer.from(`${JSON.stringify(wrapup, null, 2)}\n`)]), 'wrapup', { createdAt: row.wrapup_at, endedAt: row.wrapup_at });
      count('wrapups', 1);
    }

    const events = emptyStats();
    const timeline = await zip.add(
      `${dir}/timeline.json`,
      jsonDocument({ interactionId: id }, 'events', eventPages(db.kysely, id), (e) => ({ type: e.type, at: e.at, by: e.actor, details: parseDetails(e.details) }), events, (e) => e.at),
    );
    add(timeline, 'timeline', { createdAt: events.first, endedAt: events.last, records: events.count });
    count('timeline', events.count);

    // Each offer to an agent and how it ended (staff ids left out, like the timeline's).
    const offers = await db.kysely.selectFrom('offers').select(['offered_at', 'ended_at', 'outcome']).where('interaction_id', '=', id).orderBy('offered_at').orderBy('id').execute();
    const offersDoc = { interactionId: id, offers: offers.map((o) => ({ offeredAt: o.offered_at, endedAt: o.ended_at, outcome: o.outcome })) };
    add(await zip.add(`${dir}/offers.json`, [Buffer.from(`${JSON.stringify(offersDoc, null, 2)}\n`)]), 'offers', { createdAt: offers[0]?.offered_at ?? null, endedAt: offers.at(-1)?.ended_at ?? null, records: offers.length });
    count('offers', offers.length);

    // Each consult (warm transfer) about the call: when, in which state it was, how it ended (staff ids left out, as above).
    const consults = await db.kysely.selectFrom('consults').select(['started_at', 'ended_at', 'state', 'outcome']).where('interaction_id', '=', id).orderBy('started_at').orderBy('id').execute();
    if (consults.length > 0) {
      const consultsDoc = { interactionId: id, consults: consults.map((c) => ({ startedAt: c.started_at, endedAt: c.ended_at, state: c.state, outcome: c.outcome })) };
      add(await zip.add(`${dir}/consults.json`, [Buffer.from(`${JSON.stringify(consultsDoc, null, 2)}\n`)]), 'consults', { createdAt: consults[0]!.started_at, endedAt: consults.at(-1)?.ended_at ?? null, records: consults.length });
    }
    count('consults', consults.length);

    for (const rec of recordings) {
      count('recordings', 1);
      out.found['recordings/files'] += 1;
      const audio = await this.openAudio(rec);
      if (!audio.ok) {
        out.missing.push({ kind: 'recording', id: rec.id, interactionId: id, reason: audio.reason });
        continue;
      }
      const entry = await zip.add(`${dir}/recordings/${rec.id}.webm`, audio.stream, { compress: false });
      out.items.push({ path: entry.path, kind: 'recording', id: rec.id, interactionId: id, createdAt: rec.started_at, endedAt: rec.ended_at, bytes: entry.bytes, sha256: entry.sha256 });
      out.counts['recordings/files'] += 1;
    }
  }

  /** The recording's one file; a closed one never assembled is assembled first (when that is wired). */
  private async openAudio(rec: { id: string; status: string; assembled_bytes: number | null }) {
    let audio = await this.deps.audio.openAudio(rec.id);
    if (!audio && rec.status === 'closed' && this.deps.assemble) {
      await this.deps.assemble(rec.id);
      audio = await this.deps.audio.openAudio(rec.id);
    }
    if (audio) {
      // A sealed file is checked whole before any of it goes into the archive: a damaged one is listed with the reason.
      const checked = await audio.verify(0, audio.size - 1).then(
        () => null,
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      );
      return checked === null ? { ok: true as const, stream: audio.stream() } : { ok: false as const, reason: checked };
    }
    if (rec.status === 'recording') return { ok: false as const, reason: 'the call is still being recorded: export again once it has ended' };
    const chunks = await this.deps.db.kysely.selectFrom('recording_chunks').select('seq').where('recording_id', '=', rec.id).limit(1).execute();
    const reason = chunks.length > 0 ? 'its audio was never assembled into one file: export again after the server assembled it' : 'no audio was received for this recording';
    return { ok: false as const, reason };
  }
}

function summaryOf(row: InteractionExportRow, recordings: { id: string; started_at: string; ended_at: string | null; mime_type: string; status: string }[], pauses: { started_at: string; ended_at: string | null }[]) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    queue: row.queue_name,
    agent: row.agent_name,
    createdAt: row.created_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    customer: { name: row.customer_name, email: row.customer_email },
    disposition: row.disposition,
    sensitiveCategory: row.sensitive_category,
    childProtected: Number(row.child_protected) === 1,
    recordings: recordings.map((r) => ({ id: r.id, startedAt: r.started_at, endedAt: r.ended_at, mimeType: r.mime_type, status: r.status, file: `recordings/${r.id}.webm` })),
    /** Secure pauses: nothing was recorded in these spans. */
    recordingPauses: pauses.map((p) => ({ startedAt: p.started_at, endedAt: p.ended_at })),
  };
}

function parseDetails(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return {};
  }
}

function storeResult(store: ExportStore, found: number, done: number, missing: readonly MissingItem[]): StoreResult {
  if (store === 'recordings/files' && found > done) {
    const why = [...new Set(missing.filter((m) => m.kind === 'recording').map((m) => m.reason))].join('; ');
    return { store, found, done, note: `${found - done} recording(s) without audio: ${why}` };
  }
  return { store, found, done };
}
