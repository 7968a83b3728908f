import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { CreatePrivacyRequest, CreatePrivacyRequestResponse, PrivacyRequest, PrivacyRequestStatus, StoreResult } from '../../../../shared/api/privacy';
import type { Db } from '../../../db/database';
import { DomainError } from '../../../kernel/errors';
import { AuditAction } from '../../audit/actions';
import type { AuditActor, AuditLog, AuditTransaction } from '../../audit/audit-log';
import { normaliseSubject, subjectDigests } from '../subjects/identifiers';
import { exportArchivePath, type SubjectSearch } from '../subjects/subject-search';
import { PartialFailure, type RequestExecutors } from './executor';
import { type PrivacyRequestsRepo, storedSubject, toPrivacyRequest, type PrivacyRequestRow } from './requests-repo';

const NOT_BUILT: Record<string, string> = {
  export: 'Export requests are not available on this server yet (the export executor is not installed); search the subject and use an erase, or update the server.',
  rectify: 'Rectify requests are not available on this server yet (the rectify executor is not installed); update the server.',
  erase: 'Erase requests are not available on this server.',
};

/**
 * Privacy requests: each is a record that moves received → searching → working → completed |
 * failed in the background, with per-store counts found and done, progress and the time taken.
 * Every state change is audited with the request id, type, status and counts only. While it runs
 * the record holds the identifiers typed; when it ends they are dropped and only their digests
 * stay, and the database files are scrubbed (the identifiers' bytes leave the WAL too).
 *
 * A live interaction among an erase's or a rectification's matches fails the request with a
 * message naming it ("… erase it once it ends"): nothing is changed, the officer runs it again
 * after the conversation ends. Exports include live interactions as they are.
 */
export class PrivacyRequests {
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly deps: {
      db: Db;
      repo: PrivacyRequestsRepo;
      search: SubjectSearch;
      audit: AuditLog;
      executors: RequestExecutors;
      dataDir: string;
      now?: () => Date;
      log?: { error(obj: object, msg: string): void };
    },
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Records the request and starts it in the background; 501 for a type this server cannot run yet. */
  async create(input: CreatePrivacyRequest, actor: AuditActor): Promise<CreatePrivacyRequestResponse> {
    if (!this.deps.executors[input.type]) throw new DomainError('not_implemented', NOT_BUILT[input.type] ?? `Unknown request type ${input.type}.`);
    if (input.subject.phone !== undefined && !normaliseSubject(input.subject).phoneDigits) throw new DomainError('bad_request', 'Invalid privacy request: subject.phone: give the phone number with its digits.');
    if (this.stopped) throw new DomainError('conflict', 'The server is stopping; send the request again once it is back.');
    const id = randomUUID();
    const at = this.now().toISOString();
    const row: PrivacyRequestRow = {
      id,
      type: input.type,
      status: 'received',
      requested_by_id: actor.id,
      requested_by_name: actor.username,
      created_at: at,
      updated_at: at,
      completed_at: null,
      subject: JSON.stringify({ subject: input.subject, ...(input.replacements ? { replacements: input.replacements } : {}) }),
      subject_digests: JSON.stringify(subjectDigests(input.subject)),
      interaction_ids: '[]',
      stores: '[]',
      progress_done: 0,
      progress_total: 0,
      took_ms: null,
      error: null,
    };
    // The request and its audit entry commit together.
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await this.deps.repo.insert(row, trx);
      await this.audit(actor, id, input.type, 'received', {}, trx);
    });
    const run = this.run(id, actor).finally(() => this.running.delete(run));
    this.running.add(run);
    return { id, status: 'received' };
  }

  async list(): Promise<PrivacyRequest[]> {
    return (await this.deps.repo.list()).map((r) => this.view(r));
  }

  async get(id: string): Promise<PrivacyRequest> {
    return this.view(await this.row(id));
  }

  async row(id: string): Promise<PrivacyRequestRow> {
    const row = id.length <= 64 ? await this.deps.repo.get(id) : undefined;
    if (!row) throw new DomainError('not_found', `No privacy request ${id.slice(0, 64)}.`);
    return row;
  }

  private view(row: PrivacyRequestRow): PrivacyRequest {
    return toPrivacyRequest(row, row.type === 'export' && row.status === 'completed' && fs.existsSync(exportArchivePath(this.deps.dataDir, row.id)));
  }

  /** Waits for the requests running now (tests, and the server stop). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** At start: a request a stopped server left running failed (nothing half-done is hidden: its counts stay). */
  async recover(): Promise<void> {
    for (const row of await this.deps.repo.unfinished()) {
      await this.finish(row.id, row.type, { status: 'failed', error: 'The server stopped while this request ran; what it did is counted here. Send the request again to finish it.' }, null, Date.parse(row.created_at));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  private async run(id: string, actor: AuditActor): Promise<void> {
    const row = await this.deps.repo.get(id);
    const stored = row ? storedSubject(row) : null;
    if (!row || !stored) return;
    const started = Date.parse(row.created_at);
    try {
      await this.setStatusAudited(id, 'searching', () => ({ actor, type: row.type, details: {} }));
      const { matches } = await this.deps.search.find(stored.subject, { excludeRequestId: id });
      const interactionIds = matches.map((m) => m.interactionId);
      const found = new Map<string, number>();
      for (const m of matches) for (const c of m.counts) found.set(c.store, (found.get(c.store) ?? 0) + c.count);
      const stores: StoreResult[] = [...found.entries()].map(([store, n]) => ({ store, found: n, done: 0 }));
      await this.deps.repo.update(id, { interaction_ids: JSON.stringify(interactionIds), stores: JSON.stringify(stores), updated_at: this.now().toISOString() });
      if (row.type !== 'export') {
        const live = matches.find((m) => m.live);
        if (live) throw new DomainError('conflict', `Interaction ${live.interactionId} is still in progress; ${row.type} it once it ends.`);
      }
      await this.setStatusAudited(id, 'working', () => ({ actor, type: row.type, details: { interactions: interactionIds.length } }));
      const executor = this.deps.executors[row.type]!;
      const results = await executor({
        requestId: id,
        interactionIds,
        subject: stored.subject,
        replacements: stored.replacements ?? [],
        now: this.now(),
        progress: async (done, total) => {
          await this.deps.repo.update(id, { progress_done: done, progress_total: total, updated_at: this.now().toISOString() });
        },
      });
      await this.finish(id, row.type, { status: 'completed', stores: results }, actor, started);
    } catch (thrown) {
      // Part-way: keep what was done next to what was found.
      if (thrown instanceof PartialFailure) await this.mergeDone(id, thrown.partial);
      const err = thrown instanceof PartialFailure ? thrown.cause : thrown;
      const message = err instanceof DomainError ? err.message : `The request failed: ${err instanceof Error ? err.message : String(err)}. Check the server log, then send it again.`;
      if (!(err instanceof DomainError)) this.deps.log?.error({ err, requestId: id }, 'privacy: request failed');
      await this.finish(id, row.type, { status: 'failed', error: message }, actor, started).catch((e: unknown) => this.deps.log?.error({ err: e, requestId: id }, 'privacy: could not record the failure'));
    }
  }

  /**
   * Ends the request: drops the identifiers typed (digests stay), audits, scrubs the database files
   * so their old copies leave the WAL, and only then shows the end status (a client that sees
   * `completed` finds nothing of them on disk).
   */
  private async finish(id: string, type: PrivacyRequestRow['type'], end: { status: 'completed'; stores: StoreResult[] } | { status: 'failed'; error: string }, actor: AuditActor | null, started: number): Promise<void> {
    const now = this.now();
    const tookMs = Math.max(0, now.getTime() - started);
    const patch: Partial<PrivacyRequestRow> = { subject: null, completed_at: now.toISOString(), updated_at: now.toISOString(), took_ms: tookMs };
    if (end.status === 'completed') patch.stores = JSON.stringify(end.stores);
    else patch.error = end.error;
    // The request's end and its audit entry commit together.
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await this.deps.repo.update(id, patch, trx);
      const row = await trx.selectFrom('privacy_requests').select('stores').where('id', '=', id).executeTakeFirst();
      const stores = row ? (JSON.parse(row.stores) as StoreResult[]) : [];
      await this.audit(actor, id, type, end.status, { tookMs, stores: stores.map((s) => ({ store: s.store, found: s.found, done: s.done })) }, trx);
    });
    const scrubbed = await this.deps.db.scrub().catch((err: unknown) => {
      this.deps.log?.error({ err, requestId: id }, 'privacy: scrubbing the database files failed');
      return false;
    });
    if (!scrubbed) this.deps.log?.error({ requestId: id }, 'privacy: the WAL could not be truncated now (a reader held it); the next purge or the server stop does it');
    await this.setStatus(id, end.status);
  }

  /** Puts an executor's partial results over the search's counts (found from the search where it has none). */
  private async mergeDone(id: string, partial: readonly StoreResult[]): Promise<void> {
    const row = await this.deps.repo.get(id);
    if (!row) return;
    const stores = new Map((JSON.parse(row.stores) as StoreResult[]).map((s) => [s.store, s]));
    for (const p of partial) stores.set(p.store, { ...p, found: Math.max(p.found, stores.get(p.store)?.found ?? 0) });
    await this.deps.repo.update(id, { stores: JSON.stringify([...stores.values()]) });
  }

  private async setStatus(id: string, status: PrivacyRequestStatus): Promise<void> {
    await this.deps.repo.update(id, { status, updated_at: this.now().toISOString() });
  }

  /** A new status and its audit entry in one transaction. */
  private async setStatusAudited(id: string, status: PrivacyRequestStatus, entry: () => { actor: AuditActor | null; type: string; details: Record<string, unknown> }): Promise<void> {
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await this.deps.repo.update(id, { status, updated_at: this.now().toISOString() }, trx);
      const { actor, type, details } = entry();
      await this.audit(actor, id, type, status, details, trx);
    });
  }

  /** Ids, type, status and counts: never the identifiers or any personal data. Written in `trx`, with the change it records. */
  private async audit(actor: AuditActor | null, id: string, type: string, status: PrivacyRequestStatus, details: Record<string, unknown>, trx: AuditTransaction): Promise<void> {
    await this.deps.audit.appendIn(trx, { actor, action: AuditAction.privacyRequestChanged, target: id, details: { requestId: id, type, status, ...details } });
  }
}
