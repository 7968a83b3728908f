import { sql } from 'kysely';
import type { AuditEntry, AuditPage, AuditVerifyResponse } from '../../../shared/api/http';
import type { Db } from '../../db/database';
import { canonicalJson, entryHash, GENESIS_HASH } from './canonical';

export interface AuditActor {
  id: string;
  username: string;
}

export interface AuditRecord {
  actor: AuditActor | null;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Append-only, hash-chained audit log. Each entry stores the previous entry's hash and its own
 * hash over a canonical encoding; `audit_head` remembers the newest entry, so edits, deletions and
 * truncation all break verification. Appends are serialised in-process (and by an advisory lock on
 * PostgreSQL, where several backends may append).
 */
export class AuditLog {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  append(record: AuditRecord): Promise<AuditEntry> {
    const next = this.tail.then(() => this.appendNow(record));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async appendNow(record: AuditRecord): Promise<AuditEntry> {
    return this.db.kysely.transaction().execute(async (trx) => {
      if (this.db.dialect === 'postgres') await sql`select pg_advisory_xact_lock(42424242)`.execute(trx);
      const head = await trx.selectFrom('audit_head').selectAll().where('singleton', '=', 1).executeTakeFirst();
      const entry = {
        id: (head?.last_id ?? 0) + 1,
        at: this.now().toISOString(),
        actorId: record.actor?.id ?? null,
        actorName: record.actor?.username ?? null,
        action: record.action,
        target: record.target ?? null,
        details: JSON.parse(canonicalJson(record.details ?? {})) as Record<string, unknown>,
        prevHash: head?.last_hash ?? GENESIS_HASH,
      };
      const hash = entryHash(entry);
      await trx
        .insertInto('audit_log')
        .values({
          id: entry.id,
          at: entry.at,
          actor_id: entry.actorId,
          actor_name: entry.actorName,
          action: entry.action,
          target: entry.target,
          details: canonicalJson(entry.details),
          prev_hash: entry.prevHash,
          hash,
        })
        .execute();
      if (head) {
        await trx.updateTable('audit_head').set({ last_id: entry.id, last_hash: hash }).where('singleton', '=', 1).execute();
      } else {
        await trx.insertInto('audit_head').values({ singleton: 1, last_id: entry.id, last_hash: hash }).execute();
      }
      return { ...entry, hash };
    });
  }

  async page(opts: { after: number; limit: number; action?: string | undefined }): Promise<AuditPage> {
    let query = this.db.kysely.selectFrom('audit_log').selectAll().where('id', '>', opts.after);
    if (opts.action) query = query.where('action', '=', opts.action);
    const rows = await query.orderBy('id').limit(opts.limit + 1).execute();
    const entries = rows.slice(0, opts.limit).map(toEntry);
    const last = entries.at(-1);
    return { entries, nextAfter: rows.length > opts.limit && last ? last.id : null };
  }

  /** Walks the whole chain in id order (in batches) and names the first entry that does not hold. */
  async verify(batchSize = 1000): Promise<AuditVerifyResponse> {
    let prevHash = GENESIS_HASH;
    let expectedId = 1;
    let count = 0;
    for (;;) {
      const rows = await this.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('id', '>=', expectedId)
        .orderBy('id')
        .limit(batchSize)
        .execute();
      for (const row of rows) {
        // A gap means rows were deleted: the first id after the gap is the first that cannot be trusted.
        if (row.id !== expectedId || row.prev_hash !== prevHash) return { intact: false, entries: count, firstBadId: row.id };
        let details: Record<string, unknown>;
        try {
          details = JSON.parse(row.details) as Record<string, unknown>;
        } catch {
          return { intact: false, entries: count, firstBadId: row.id };
        }
        const recomputed = entryHash({
          id: row.id,
          at: row.at,
          actorId: row.actor_id,
          actorName: row.actor_name,
          action: row.action,
          target: row.target,
          details,
          prevHash: row.prev_hash,
        });
        if (recomputed !== row.hash) return { intact: false, entries: count, firstBadId: row.id };
        prevHash = row.hash;
        expectedId += 1;
        count += 1;
      }
      if (rows.length < batchSize) break;
    }
    const head = await this.db.kysely.selectFrom('audit_head').selectAll().executeTakeFirst();
    const headId = head?.last_id ?? 0;
    const headHash = head?.last_hash ?? GENESIS_HASH;
    // The head names the newest entry: fewer rows means truncation (first missing id is bad), more
    // means rows appended behind the log's back, and a matching id with another hash means the
    // newest entry was rewritten with a recomputed hash.
    if (headId > count) return { intact: false, entries: count, firstBadId: count + 1 };
    if (headId < count) return { intact: false, entries: count, firstBadId: headId + 1 };
    if (headHash !== prevHash) return { intact: false, entries: Math.max(count - 1, 0), firstBadId: Math.max(count, 1) };
    return { intact: true, entries: count };
  }
}

function toEntry(row: {
  id: number;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}): AuditEntry {
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(row.details) as Record<string, unknown>;
  } catch {
    details = { unreadable: row.details };
  }
  return {
    id: row.id,
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    target: row.target,
    details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
