import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { MatchedBy, StoreCount, SubjectIdentifiers, SubjectMatch } from '../../../../shared/api/privacy';
import type { Db } from '../../../db/database';
import type { Database } from '../../../db/schema';
import type { ModuleDataMap } from '../../../kernel/data-map';
import { DATA_MAP } from '../data-map';
import { parseLink } from '../purge/purge-plan';
import { normaliseSubject, subjectDigests } from './identifiers';

/** Ids per IN list: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

export interface SubjectSearchResult {
  matches: SubjectMatch[];
  elsewhere: StoreCount[];
}

/** Free-text columns where a person's identifiers can appear as typed (a chat line, a note, a wrap-up). */
const TEXT_STORES = [
  { table: 'messages', column: 'text', idColumn: 'interaction_id' },
  { table: 'sync_notes', column: 'text', idColumn: 'interaction_id' },
  { table: 'interactions', column: 'notes', idColumn: 'id' },
] as const;

/** `%` and `_` in what an officer typed are literal. */
function likeContains(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A phone number written with separators between its digits: "020 7946-0958", "(020) 79460958". */
function phonePattern(digits: string): RegExp {
  return new RegExp(digits.split('').join('[\\s().\\-/+]*'));
}

/**
 * Finds a person's interactions by what identifies them: the customer fields of interactions
 * (e-mail and name compared case-insensitively through expression indexes), and what was typed in
 * chats, agents' notes and wrap-up notes (an e-mail or a phone number given in a chat). A phone is
 * matched on its digits, whatever the separators. Each match lists per store how much the
 * interaction holds (every table of the data map found through an interaction), and `elsewhere`
 * counts what mentions the person outside single interactions (audit details, earlier requests).
 */
export class SubjectSearch {
  private readonly map: readonly ModuleDataMap[];

  constructor(
    private readonly deps: {
      db: Db;
      /** Whether the interaction is still in progress (the interactions core's live set). */
      isLive: (interactionId: string) => boolean;
      dataDir: string;
      map?: readonly ModuleDataMap[];
    },
  ) {
    this.map = deps.map ?? DATA_MAP;
  }

  private get k(): Kysely<Database> {
    return this.deps.db.kysely;
  }

  /** Case-insensitive "contains" on a column, as each dialect does it fastest. */
  private contains(column: string, value: string): RawBuilder<boolean> {
    return this.deps.db.dialect === 'postgres' ? sql<boolean>`${sql.ref(column)} ilike ${likeContains(value)} escape '\\'` : sql<boolean>`${sql.ref(column)} like ${likeContains(value)} escape '\\'`;
  }

  async find(subject: SubjectIdentifiers, opts: { excludeRequestId?: string } = {}): Promise<SubjectSearchResult> {
    const hits = await this.matchIds(subject);
    const matches = await this.describe(hits);
    return { matches, elsewhere: await this.elsewhere(subject, opts.excludeRequestId) };
  }

  /** Interaction ids with what matched each. */
  async matchIds(subject: SubjectIdentifiers): Promise<Map<string, Set<MatchedBy>>> {
    const n = normaliseSubject(subject);
    const hits = new Map<string, Set<MatchedBy>>();
    const hit = (id: string, by: MatchedBy) => {
      const set = hits.get(id) ?? new Set<MatchedBy>();
      set.add(by);
      hits.set(id, set);
    };
    const k = this.k;
    if (n.email) {
      const rows = await k.selectFrom('interactions').select('id').where(sql<boolean>`lower(customer_email) = ${n.email}`).execute();
      for (const r of rows) hit(r.id, 'email');
      for (const id of await this.textMatches(n.email)) hit(id, 'email');
    }
    if (n.name) {
      const rows = await k.selectFrom('interactions').select('id').where(sql<boolean>`lower(customer_name) = ${n.name}`).execute();
      for (const r of rows) hit(r.id, 'name');
      for (const id of await this.textMatches(n.name)) hit(id, 'name');
    }
    if (n.phoneDigits) for (const id of await this.phoneMatches(n.phoneDigits)) hit(id, 'phone');
    for (let i = 0; i < n.interactionIds.length; i += CHUNK) {
      const rows = await k.selectFrom('interactions').select('id').where('id', 'in', n.interactionIds.slice(i, i + CHUNK)).execute();
      for (const r of rows) hit(r.id, 'interactionId');
    }
    return hits;
  }

  /** Interactions whose chat text, notes or wrap-up notes contain the value (case-insensitive). */
  private async textMatches(value: string): Promise<Set<string>> {
    const out = new Set<string>();
    for (const store of TEXT_STORES) {
      const rows = await sql<{ iid: string }>`select distinct ${sql.ref(store.idColumn)} as iid from ${sql.table(store.table)} where ${this.contains(store.column, value)}`.execute(this.k);
      for (const r of rows.rows) out.add(r.iid);
    }
    return out;
  }

  /** The digits in order with anything between (SQL, coarse), then only separators between (here, exact). */
  private async phoneMatches(digits: string): Promise<Set<string>> {
    const out = new Set<string>();
    const coarse = `%${digits.split('').join('%')}%`;
    const exact = phonePattern(digits);
    for (const store of TEXT_STORES) {
      const rows = await sql<{ iid: string; text: string }>`select ${sql.ref(store.idColumn)} as iid, ${sql.ref(store.column)} as text from ${sql.table(store.table)} where ${sql.ref(store.column)} like ${coarse}`.execute(this.k);
      for (const r of rows.rows) if (exact.test(r.text)) out.add(r.iid);
    }
    return out;
  }

  /** Each matched interaction with its queue, agent, times, liveness and per-store counts; newest first. */
  async describe(hits: ReadonlyMap<string, ReadonlySet<MatchedBy>>): Promise<SubjectMatch[]> {
    const ids = [...hits.keys()];
    const matches: SubjectMatch[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const rows = await this.k
        .selectFrom('interactions as i')
        .leftJoin('queues as q', 'q.id', 'i.queue_id')
        .leftJoin('users as u', 'u.id', 'i.agent_id')
        .select(['i.id', 'i.kind', 'i.customer_name', 'i.customer_email', 'i.created_at', 'i.ended_at', 'i.notes', 'i.wrapup_at', 'q.name as queue_name', 'u.display_name as agent_name'])
        .where('i.id', 'in', chunk)
        .execute();
      const counts = await this.storeCounts(chunk);
      for (const r of rows) {
        const own = counts.get(r.id) ?? new Map<string, number>();
        matches.push({
          interactionId: r.id,
          kind: r.kind === 'call' ? 'call' : 'chat',
          queueName: r.queue_name ?? null,
          agentName: r.agent_name ?? null,
          customerName: r.customer_name,
          customerEmail: r.customer_email,
          createdAt: r.created_at,
          endedAt: r.ended_at,
          live: this.deps.isLive(r.id),
          matchedBy: [...(hits.get(r.id) ?? [])].sort(),
          counts: [
            { store: 'contact', count: r.customer_name !== null || r.customer_email !== null ? 1 : 0 },
            { store: 'wrapup', count: r.wrapup_at !== null || r.notes !== null ? 1 : 0 },
            ...[...own.entries()].map(([store, count]) => ({ store, count })),
          ],
        });
      }
    }
    return matches.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  /** Per interaction, rows in every table the data map finds through an interaction (the interactions row itself aside). */
  private async storeCounts(ids: string[]): Promise<Map<string, Map<string, number>>> {
    const out = new Map<string, Map<string, number>>();
    for (const id of ids) out.set(id, new Map());
    for (const entry of this.map.flatMap((m) => m.tables)) {
      const column = entry.find?.interactionColumn;
      if (!column || entry.table === 'interactions') continue;
      const link = parseLink(column);
      if (!link) continue;
      const list = sql.join(ids);
      const rows =
        link.kind === 'direct'
          ? await sql<{ iid: string; n: number | string }>`select ${sql.ref(link.column)} as iid, count(*) as n from ${sql.table(entry.table)} where ${sql.ref(link.column)} in (${list}) group by ${sql.ref(link.column)}`.execute(this.k)
          : await sql<{ iid: string; n: number | string }>`select p.${sql.ref(link.parentColumn)} as iid, count(*) as n from ${sql.table(entry.table)} c join ${sql.table(link.parent)} p on p.id = c.${sql.ref(link.fk)} where p.${sql.ref(link.parentColumn)} in (${list}) group by p.${sql.ref(link.parentColumn)}`.execute(this.k);
      for (const id of ids) out.get(id)!.set(entry.table, 0);
      for (const r of rows.rows) out.get(r.iid)?.set(entry.table, Number(r.n));
    }
    return out;
  }

  /** Outside single interactions: audit entries whose details mention an identifier, earlier requests and their archives. */
  async elsewhere(subject: SubjectIdentifiers, excludeRequestId?: string): Promise<StoreCount[]> {
    const n = normaliseSubject(subject);
    const typed = [n.email, n.name, subject.phone?.trim(), n.phoneDigits && n.phoneDigits.length >= 6 ? n.phoneDigits : undefined].filter((v): v is string => Boolean(v));
    let audit = 0;
    if (typed.length > 0) {
      const any = sql.join(typed.map((v) => this.contains('details', v)), sql` or `);
      const row = await sql<{ n: number | string }>`select count(*) as n from audit_log where ${any}`.execute(this.k);
      audit = Number(row.rows[0]?.n ?? 0);
    }
    const earlier = await this.earlierRequests(subjectDigests(subject), excludeRequestId);
    const exports = earlier.filter((r) => r.type === 'export' && fs.existsSync(exportArchivePath(this.deps.dataDir, r.id)));
    return [
      { store: 'audit_log', count: audit },
      { store: 'privacy_requests', count: earlier.length },
      { store: 'privacy-exports', count: exports.length },
    ];
  }

  /** Earlier requests that named any of these digests. */
  async earlierRequests(digests: readonly string[], excludeRequestId?: string): Promise<{ id: string; type: string }[]> {
    if (digests.length === 0) return [];
    let q = this.k.selectFrom('privacy_requests').select(['id', 'type']).where((eb) => eb.or(digests.map((d) => eb('subject_digests', 'like', `%${d}%`))));
    if (excludeRequestId) q = q.where('id', '!=', excludeRequestId);
    return q.execute();
  }
}

/** Where an export request's archive is kept. */
export function exportArchivePath(dataDir: string, requestId: string): string {
  return path.join(dataDir, 'privacy-exports', `${requestId}.zip`);
}
