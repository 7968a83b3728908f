import { sql, type Transaction } from 'kysely';
import type { AuditEntry, AuditPage, AuditVerifyResponse } from '../../../shared/api/http';
import type { Db } from '../../db/database';
import type { Database } from '../../db/schema';
import { AuditAction } from './actions';
import { AuditScheme, canonicalJson, entryHash, entryMac, GENESIS_HASH, type HashedFields } from './canonical';

/** A transaction an entry is written in, together with the change it records. */
export type AuditTransaction = Transaction<Database>;

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
 * HMAC-SHA256 (keyed with the install's audit key, audit-key.ts) over a canonical encoding;
 * `audit_head` remembers the newest entry, so edits, deletions and truncation all break
 * verification, and without the key a changed entry cannot be re-signed. Entries written before
 * the chain was keyed (scheme 1, plain SHA-256) stay verifiable up to `audit_head.unkeyed_through`.
 * Appends are serialised in-process (and by an advisory lock on PostgreSQL, where several backends
 * may append). appendIn() writes an entry inside the caller's transaction, so the entry and the
 * change it records are stored together or not at all.
 *
 * Retention purges entries older than the org keeps them (purgeBefore): the last purged entry's id
 * and hash become the anchor (`audit_anchor`) where verification starts, and an `audit.purged`
 * entry appended first names the same id and hash, so the anchor itself is part of the chain.
 */
/** At most this many appends in one transaction. */
const MAX_GROUP = 500;
/** Rows per insert statement. */
const INSERT_SLICE = 200;

export class AuditLog {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly key: Buffer,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Appends that arrive while an earlier one is being written are written together after it: one
   * transaction (one lock, one read of the head, one commit) for the whole group, each entry chained
   * to the one before in call order. 500 agents signing back in at once after a node died each
   * append a presence change; one transaction each made the last wait ~10 s for its hello.ok.
   */
  append(record: AuditRecord): Promise<AuditEntry> {
    return new Promise<AuditEntry>((resolve, reject) => {
      this.waiting.push({ record, resolve, reject });
      // The first of a new group schedules its write; the others join it until it starts.
      if (this.waiting.length === 1) this.scheduleGroup();
    });
  }

  private readonly waiting: { record: AuditRecord; resolve: (entry: AuditEntry) => void; reject: (err: unknown) => void }[] = [];

  private scheduleGroup(): void {
    const next = this.tail.then(() => this.writeGroup());
    this.tail = next.catch(() => undefined);
  }

  private async writeGroup(): Promise<void> {
    const group = this.waiting.splice(0, MAX_GROUP);
    // Over the cap: the rest form the next group, written after this one.
    if (this.waiting.length > 0) this.scheduleGroup();
    try {
      const entries = await this.db.kysely.transaction().execute((trx) => this.appendManyIn(trx, group.map((g) => g.record)));
      group.forEach((g, i) => g.resolve(entries[i]!));
    } catch (err) {
      for (const g of group) g.reject(err);
    }
  }

  /**
   * Deletes the entries older than `cutoff` (retention). Serialised with appends. First appends an
   * `audit.purged` entry naming the last entry it removes (id and hash), then, in one transaction,
   * deletes through that id and moves the anchor there. Verification then starts at the anchor and
   * checks the `audit.purged` entry vouches for it. Nothing older than the cutoff: nothing happens.
   */
  purgeBefore(cutoff: Date): Promise<{ purged: number; throughId: number | null }> {
    const next = this.tail.then(async () => {
      const last = await this.db.kysely.selectFrom('audit_log').select(['id', 'hash']).where('at', '<', cutoff.toISOString()).orderBy('id', 'desc').limit(1).executeTakeFirst();
      if (!last) return { purged: 0, throughId: null };
      const anchor = await this.anchor();
      const purged = last.id - (anchor?.through_id ?? 0);
      await this.appendNow({ actor: null, action: AuditAction.auditPurged, target: 'audit-log', details: { throughId: last.id, throughHash: last.hash, entries: purged, before: cutoff.toISOString() } });
      await this.db.kysely.transaction().execute(async (trx) => {
        await trx.deleteFrom('audit_log').where('id', '<=', last.id).execute();
        const values = { through_id: last.id, through_hash: last.hash, purged_at: this.now().toISOString() };
        await trx
          .insertInto('audit_anchor')
          .values({ singleton: 1, ...values })
          .onConflict((oc) => oc.column('singleton').doUpdateSet(values))
          .execute();
      });
      return { purged, throughId: last.id };
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** How many entries are older than `cutoff` (what purgeBefore would remove). */
  async countBefore(cutoff: Date): Promise<number> {
    const row = await this.db.kysely.selectFrom('audit_log').select((eb) => eb.fn.countAll<number | string>().as('n')).where('at', '<', cutoff.toISOString()).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  private anchor(): Promise<{ through_id: number; through_hash: string } | undefined> {
    return this.db.kysely.selectFrom('audit_anchor').select(['through_id', 'through_hash']).where('singleton', '=', 1).executeTakeFirst();
  }

  /**
   * Writes the entry in `trx`, the transaction that makes the change it records: both commit or
   * neither does. On SQLite the transaction holds the only connection; on PostgreSQL the advisory
   * lock (held to the commit) orders it with every other append.
   */
  async appendIn(trx: AuditTransaction, record: AuditRecord): Promise<AuditEntry> {
    return (await this.appendManyIn(trx, [record]))[0]!;
  }

  /** Writes the entries in `trx`, in order, each chained to the one before: one head read and one head update for all. */
  private async appendManyIn(trx: AuditTransaction, records: readonly AuditRecord[]): Promise<AuditEntry[]> {
    if (this.db.dialect === 'postgres') await sql`select pg_advisory_xact_lock(42424242)`.execute(trx);
    const head = await trx.selectFrom('audit_head').selectAll().where('singleton', '=', 1).executeTakeFirst();
    let lastId = head?.last_id ?? 0;
    let prevHash = head?.last_hash ?? GENESIS_HASH;
    const at = this.now().toISOString();
    const entries: AuditEntry[] = records.map((record) => {
      const entry = {
        id: ++lastId,
        at,
        actorId: record.actor?.id ?? null,
        actorName: record.actor?.username ?? null,
        action: record.action,
        target: record.target ?? null,
        details: JSON.parse(canonicalJson(record.details ?? {})) as Record<string, unknown>,
        prevHash,
      };
      const hash = entryMac(this.key, entry);
      prevHash = hash;
      return { ...entry, hash };
    });
    // In slices: a multi-row insert has a bound-parameter limit (SQLite's is 32,766; 10 per row).
    for (let i = 0; i < entries.length; i += INSERT_SLICE) {
      await trx
        .insertInto('audit_log')
        .values(
          entries.slice(i, i + INSERT_SLICE).map((e) => ({
            id: e.id,
            at: e.at,
            actor_id: e.actorId,
            actor_name: e.actorName,
            action: e.action,
            target: e.target,
            details: canonicalJson(e.details),
            prev_hash: e.prevHash,
            hash: e.hash,
            scheme: AuditScheme.hmacSha256,
          })),
        )
        .execute();
    }
    const last = entries[entries.length - 1]!;
    if (head) {
      await trx.updateTable('audit_head').set({ last_id: last.id, last_hash: last.hash }).where('singleton', '=', 1).execute();
    } else {
      await trx.insertInto('audit_head').values({ singleton: 1, last_id: last.id, last_hash: last.hash, unkeyed_through: 0 }).execute();
    }
    return entries;
  }

  private appendNow(record: AuditRecord): Promise<AuditEntry> {
    return this.db.kysely.transaction().execute((trx) => this.appendIn(trx, record));
  }

  async page(opts: { after: number; limit: number; action?: string | undefined }): Promise<AuditPage> {
    let query = this.db.kysely.selectFrom('audit_log').selectAll().where('id', '>', opts.after);
    if (opts.action) query = query.where('action', '=', opts.action);
    const rows = await query.orderBy('id').limit(opts.limit + 1).execute();
    const entries = rows.slice(0, opts.limit).map(toEntry);
    const last = entries.at(-1);
    return { entries, nextAfter: rows.length > opts.limit && last ? last.id : null };
  }

  /**
   * Walks the whole chain in id order (in batches) and names the first entry that does not hold.
   * After a retention purge it starts at the anchor, which an `audit.purged` entry must vouch for.
   */
  async verify(batchSize = 1000): Promise<AuditVerifyResponse> {
    const anchor = await this.anchor();
    const unkeyedThrough = (await this.db.kysely.selectFrom('audit_head').select('unkeyed_through').where('singleton', '=', 1).executeTakeFirst())?.unkeyed_through ?? 0;
    const firstId = (anchor?.through_id ?? 0) + 1;
    let prevHash = anchor?.through_hash ?? GENESIS_HASH;
    let expectedId = firstId;
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
        const fields: HashedFields = {
          id: row.id,
          at: row.at,
          actorId: row.actor_id,
          actorName: row.actor_name,
          action: row.action,
          target: row.target,
          details,
          prevHash: row.prev_hash,
        };
        // An unkeyed entry after the chain was keyed would be one someone wrote without the key.
        const recomputed =
          row.scheme === AuditScheme.hmacSha256 ? entryMac(this.key, fields) : row.scheme === AuditScheme.sha256 && row.id <= unkeyedThrough ? entryHash(fields) : null;
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
    const lastId = expectedId - 1;
    // The head names the newest entry: fewer rows means truncation (first missing id is bad), more
    // means rows appended behind the log's back, and a matching id with another hash means the
    // newest entry was rewritten with a recomputed hash.
    if (headId > lastId) return { intact: false, entries: count, firstBadId: lastId + 1 };
    if (headId < lastId) return { intact: false, entries: count, firstBadId: headId + 1 };
    if (headHash !== prevHash) return { intact: false, entries: Math.max(count - 1, 0), firstBadId: Math.max(lastId, 1) };
    // An anchor nobody vouches for (rows deleted and the anchor set behind the log's back): the first entry after it is not trusted.
    if (anchor && !(await this.vouched(anchor))) return { intact: false, entries: 0, firstBadId: firstId };
    return { intact: true, entries: count };
  }

  /** Whether an `audit.purged` entry still in the chain names the anchor's id and hash. */
  private async vouched(anchor: { through_id: number; through_hash: string }): Promise<boolean> {
    const rows = await this.db.kysely.selectFrom('audit_log').select('details').where('action', '=', AuditAction.auditPurged).where('id', '>', anchor.through_id).execute();
    return rows.some((row) => {
      try {
        const d = JSON.parse(row.details) as { throughId?: unknown; throughHash?: unknown };
        return d.throughId === anchor.through_id && d.throughHash === anchor.through_hash;
      } catch {
        return false;
      }
    });
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
