import { sql, type RawBuilder } from 'kysely';
import type { RetentionPolicy } from '../../../shared/api/retention';
import type { Db } from '../../db/database';
import { DATA_MAP } from '../privacy/data-map';
import { planPurge, type PurgeClass, type PurgeTarget } from '../privacy/purge/purge-plan';
import type { PurgeFileStore } from '../privacy/purge/purger';

/** A setting of the policy that purges interactions' data by age (the audit log is purged on its own). */
export type PolicyClass = 'transcripts' | 'sensitiveTranscripts' | 'recordings' | 'contacts' | 'interactions';

export interface ClassRule {
  name: PolicyClass;
  /** The data-map retention class whose stores it purges. */
  stores: PurgeClass;
  /** Days kept after the interaction ended (null: kept). */
  days(policy: RetentionPolicy): number | null;
  /** Only interactions marked sensitive (true), only unmarked ones (false), or all (undefined). */
  sensitive?: boolean;
}

/** The shorter of two settings that both apply (null is "forever"). */
export function shorter(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/**
 * Which interactions each setting reaches. A sensitive interaction's transcript follows
 * sensitiveTranscriptsDays, or transcriptsDays when that is shorter (issue 15: never kept longer).
 */
export const CLASS_RULES: readonly ClassRule[] = [
  { name: 'transcripts', stores: 'transcripts', days: (p) => p.transcriptsDays, sensitive: false },
  { name: 'sensitiveTranscripts', stores: 'transcripts', days: (p) => shorter(p.sensitiveTranscriptsDays, p.transcriptsDays), sensitive: true },
  { name: 'recordings', stores: 'recordings', days: (p) => p.recordingsDays },
  { name: 'contacts', stores: 'contacts', days: (p) => p.contactsDays },
  { name: 'interactions', stores: 'interactions', days: (p) => p.interactionsDays },
];

/** Replies to pushed changes (they can hold a note's text) are not tied to one interaction: purged by their own age. */
export const MUTATIONS_TABLE = 'sync_mutations';

/** One store of a class: a table reached through the interaction id, as the purge plan reaches it. */
interface Store {
  name: string;
  /** Rows of this store the purge would delete or clear for the interactions in `ids` (a subquery). */
  count(ids: RawBuilder<unknown>): RawBuilder<unknown>;
  /** Ids among `ids` that still have something here to purge. */
  interactionIds(ids: RawBuilder<unknown>): RawBuilder<unknown>;
}

function storeOf(target: PurgeTarget): Store {
  const t = sql.table(target.table);
  const filled =
    target.action.kind === 'clear'
      ? sql` and (${sql.join(
          target.action.columns.map((c) => sql`${sql.ref(`${target.table}.${c}`)} is not null`),
          sql` or `,
        )})`
      : sql``;
  const { link } = target;
  if (link.kind === 'via') {
    // e.g. recording_chunks: its recording_id points at recordings, whose interaction_id is the link.
    const parent = sql.table(link.parent);
    const pc = sql.ref(`${link.parent}.${link.parentColumn}`);
    const pid = sql.ref(`${link.parent}.id`);
    const fk = sql.ref(`${target.table}.${link.fk}`);
    return {
      name: target.table,
      count: (ids) => sql`select count(*) from ${t} where ${fk} in (select ${pid} from ${parent} where ${pc} in (${ids}))${filled}`,
      interactionIds: (ids) => sql`select distinct ${pc} as id from ${parent} where ${pc} in (${ids}) and ${pid} in (select ${fk} from ${t} where 1 = 1${filled})`,
    };
  }
  const c = sql.ref(`${target.table}.${link.column}`);
  return {
    name: target.table,
    count: (ids) => sql`select count(*) from ${t} where ${c} in (${ids})${filled}`,
    interactionIds: (ids) => sql`select distinct ${c} as id from ${t} where ${c} in (${ids})${filled}`,
  };
}

/** Every store the purge reaches for a retention class (the same plan: what the preview counts is what a run removes). */
export function storesOf(cls: PurgeClass): Store[] {
  return planPurge(DATA_MAP, [cls]).map(storeOf);
}

/**
 * Reads what retention would purge: the closed interactions each setting reaches at a time, and
 * per store how many rows (and recording files) of them are still there.
 */
export class RetentionScope {
  constructor(private readonly deps: { db: Db; files?: readonly PurgeFileStore[] }) {}

  /** Closed (or abandoned) interactions that ended before the cutoff, filtered by the sensitive mark. */
  private expired(cutoff: Date, sensitive: boolean | undefined): RawBuilder<unknown> {
    const mark = sensitive === undefined ? sql`` : sensitive ? sql` and sensitive_category is not null` : sql` and sensitive_category is null`;
    return sql`select id from interactions where status in ('closed', 'abandoned') and ended_at is not null and ended_at < ${cutoff.toISOString()}${mark}`;
  }

  /** Per store, what a setting would purge at `now` (an empty list when it keeps everything). */
  async count(rule: ClassRule, policy: RetentionPolicy, now: Date): Promise<{ store: string; count: number }[]> {
    const days = rule.days(policy);
    const stores = storesOf(rule.stores);
    if (days === null) return [...stores.map((s) => s.name), ...(this.deps.files ?? []).filter((f) => f.retention === rule.stores).map((f) => f.store)].map((store) => ({ store, count: 0 }));
    const ids = this.expired(cutoffFor(now, days), rule.sensitive);
    const counts: { store: string; count: number }[] = [];
    for (const store of stores) counts.push({ store: store.name, count: await this.scalar(store.count(ids)) });
    const files = (this.deps.files ?? []).filter((f) => f.retention === rule.stores);
    if (files.length > 0) {
      const list = (await sql<{ id: string }>`${ids}`.execute(this.deps.db.kysely)).rows.map((r) => r.id);
      for (const f of files) {
        let n = 0;
        for (let i = 0; i < list.length; i += 500) n += (await f.keysFor(this.deps.db.kysely, list.slice(i, i + 500))).length;
        counts.push({ store: f.store, count: n });
      }
    }
    return counts;
  }

  /** Up to `limit` interactions the setting reaches that still hold data in its stores. */
  async pending(rule: ClassRule, policy: RetentionPolicy, now: Date, limit: number): Promise<string[]> {
    const days = rule.days(policy);
    if (days === null) return [];
    const ids = this.expired(cutoffFor(now, days), rule.sensitive);
    const union = sql.join(
      storesOf(rule.stores).map((s) => s.interactionIds(ids)),
      sql` union `,
    );
    const { rows } = await sql<{ id: string }>`select id from (${union}) pending order by id limit ${limit}`.execute(this.deps.db.kysely);
    return rows.map((r) => r.id);
  }

  /** Replies to pushed changes older than the cutoff. */
  async mutationsBefore(cutoff: Date): Promise<number> {
    return this.scalar(sql`select count(*) from ${sql.table(MUTATIONS_TABLE)} where at < ${cutoff.toISOString()}`);
  }

  private async scalar(query: RawBuilder<unknown>): Promise<number> {
    const { rows } = await sql<{ n: number | string }>`select (${query}) as n`.execute(this.deps.db.kysely);
    return Number(rows[0]?.n ?? 0);
  }
}

export function cutoffFor(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
