import fs from 'node:fs';
import path from 'node:path';
import { sql, type RawBuilder } from 'kysely';
import type { RetentionPolicy } from '../../../shared/api/retention';
import type { Db } from '../../db/database';
import type { RetentionClass, TableMapEntry } from '../../kernel/data-map';
import { DATA_MAP } from '../privacy/data-map';

/** A setting of the policy that purges interactions' data by age (the audit log is purged on its own). */
export type PolicyClass = 'transcripts' | 'sensitiveTranscripts' | 'recordings' | 'contacts' | 'interactions';

export interface ClassRule {
  name: PolicyClass;
  /** The data-map retention class whose stores it purges. */
  stores: Exclude<RetentionClass, 'audit' | 'sessions' | 'none'>;
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

/**
 * The interactions table holds data of two settings: the contact fields (contacts) and the
 * wrap-up notes (transcripts). Its data-map entry names one class, so its columns are split here.
 */
const INTERACTION_COLUMNS: Partial<Record<RetentionClass, readonly string[]>> = {
  contacts: ['customer_name', 'customer_email'],
  transcripts: ['notes'],
};

/** Replies to pushed changes (they can hold a note's text) are not tied to one interaction: purged by their own age. */
export const MUTATIONS_TABLE = 'sync_mutations';

/** The recordings' audio on disk, counted per recording that still has files. */
export const RECORDING_FILES_STORE = 'recording files';

/** One store of a class: a table (or part of the interactions table) reached through the interaction id. */
interface Store {
  name: string;
  /** Rows of this store belonging to the interactions in `ids` (a subquery). */
  count(ids: RawBuilder<unknown>): RawBuilder<unknown>;
  /** Ids among `ids` that still have rows here. */
  interactionIds(ids: RawBuilder<unknown>): RawBuilder<unknown>;
}

const VIA = /^(\w+)\.(\w+) via (\w+)$/;

function storeOf(entry: TableMapEntry): Store | null {
  const column = entry.find?.interactionColumn;
  if (!column) return null;
  const t = sql.table(entry.table);
  if (entry.table === 'interactions') return null; // split by column below
  const via = VIA.exec(column);
  if (via) {
    // e.g. recording_chunks: its recording_id points at recordings, whose interaction_id is the link.
    const [, parent, parentColumn, fk] = via as unknown as [string, string, string, string];
    const p = sql.table(parent);
    const pc = sql.ref(`${parent}.${parentColumn}`);
    const f = sql.ref(`${entry.table}.${fk}`);
    return {
      name: entry.table,
      count: (ids) => sql`select count(*) from ${t} where ${f} in (select ${sql.ref(`${parent}.id`)} from ${p} where ${pc} in (${ids}))`,
      interactionIds: (ids) => sql`select distinct ${pc} as id from ${p} where ${pc} in (${ids}) and ${sql.ref(`${parent}.id`)} in (select ${f} from ${t})`,
    };
  }
  const c = sql.ref(`${entry.table}.${column}`);
  return {
    name: entry.table,
    count: (ids) => sql`select count(*) from ${t} where ${c} in (${ids})`,
    interactionIds: (ids) => sql`select distinct ${c} as id from ${t} where ${c} in (${ids})`,
  };
}

function interactionColumnsStore(columns: readonly string[]): Store {
  const anySet = sql.join(
    columns.map((c) => sql`${sql.ref(`interactions.${c}`)} is not null`),
    sql` or `,
  );
  return {
    name: `interactions (${columns.join(', ')})`,
    count: (ids) => sql`select count(*) from interactions where interactions.id in (${ids}) and (${anySet})`,
    interactionIds: (ids) => sql`select interactions.id as id from interactions where interactions.id in (${ids}) and (${anySet})`,
  };
}

/** Every store the data map puts in a retention class, reached through interaction ids. */
export function storesOf(cls: RetentionClass): Store[] {
  const stores: Store[] = [];
  for (const module of DATA_MAP) {
    for (const entry of module.tables) {
      if (entry.retention !== cls) continue;
      const store = storeOf(entry);
      if (store) stores.push(store);
    }
  }
  const columns = INTERACTION_COLUMNS[cls];
  if (columns) stores.push(interactionColumnsStore(columns));
  return stores;
}

/**
 * Reads what retention would purge: the closed interactions each setting reaches at a time, and
 * per store how many rows (and recording files) of them are still there.
 */
export class RetentionScope {
  constructor(private readonly deps: { db: Db; dataDir: string }) {}

  /** Closed (or abandoned) interactions that ended before the cutoff, filtered by the sensitive mark. */
  private expired(cutoff: Date, sensitive: boolean | undefined): RawBuilder<unknown> {
    const mark = sensitive === undefined ? sql`` : sensitive ? sql` and sensitive_category is not null` : sql` and sensitive_category is null`;
    return sql`select id from interactions where status in ('closed', 'abandoned') and ended_at is not null and ended_at < ${cutoff.toISOString()}${mark}`;
  }

  /** Per store, what a setting would purge at `now` (an empty list when it keeps everything). */
  async count(rule: ClassRule, policy: RetentionPolicy, now: Date): Promise<{ store: string; count: number }[]> {
    const days = rule.days(policy);
    const stores = storesOf(rule.stores);
    if (days === null) return stores.map((s) => ({ store: s.name, count: 0 }));
    const ids = this.expired(cutoffFor(now, days), rule.sensitive);
    const counts: { store: string; count: number }[] = [];
    for (const store of stores) counts.push({ store: store.name, count: await this.scalar(store.count(ids)) });
    if (rule.stores === 'recordings') counts.push({ store: RECORDING_FILES_STORE, count: await this.recordingsWithFiles(ids) });
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

  private async recordingsWithFiles(ids: RawBuilder<unknown>): Promise<number> {
    const { rows } = await sql<{ id: string }>`select id from recordings where interaction_id in (${ids})`.execute(this.deps.db.kysely);
    const root = path.join(this.deps.dataDir, 'recordings');
    return rows.filter((r) => fs.existsSync(path.join(root, `${r.id}.webm`)) || fs.existsSync(path.join(root, `${r.id}.chunks`))).length;
  }

  private async scalar(query: RawBuilder<unknown>): Promise<number> {
    const { rows } = await sql<{ n: number | string }>`select (${query}) as n`.execute(this.deps.db.kysely);
    return Number(rows[0]?.n ?? 0);
  }
}

export function cutoffFor(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
