import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema';

/**
 * One group (a queue or an agent) in one UTC hour, flagged (sensitive or child-protected
 * interactions) or not: the figures reports add up. Wait and handle times are kept as every
 * measured value, ascending, so percentiles over any set of hours are exact (no histogram error).
 */
export interface HourCell {
  group: string;
  /** '2026-03-02T10' */
  hour: string;
  flagged: 0 | 1;
  interactions: number;
  /** Per agent: distinct interactions offered to the agent (per queue this stays 0). */
  offered: number;
  answered: number;
  abandoned: number;
  sensitive: number;
  transfers: number;
  securePauses: number;
  dispositions: Record<string, number>;
  waitMs: number[];
  handleMs: number[];
}

export interface HourCells {
  queue: HourCell[];
  agent: HourCell[];
}

export const cellKey = (c: { group: string; hour: string; flagged: number }) => `${c.group}\n${c.hour}\n${c.flagged}`;

interface Row {
  id: string;
  queue_id: string;
  agent_id: string | null;
  created_at: string;
  answered_at: string | null;
  ended_at: string | null;
  wrapup_at: string | null;
  status: string;
  disposition: string | null;
  sensitive_category: string | null;
  child_protected: number;
  transfers: number;
  pauses: number;
}

/** Whole milliseconds from one stored ISO time to another, never negative; null when either is missing or garbled. */
function msBetween(start: string | null, end: string | null): number | null {
  if (start === null || end === null) return null;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) ? Math.max(0, Math.round(ms)) : null;
}

/**
 * Computes the cells of every chat and call created in [from, to) (ISO times) from the interactions,
 * their transfers, offers and secure pauses: what the rollup stores per whole hour, and what a
 * report computes directly for the part of an hour at the edge of its range. Reads ids only to join;
 * nothing it returns names an interaction or a customer.
 *
 * Wait: created → answered. Handle: answered → end of wrap-up (or end, without one). Abandoned: the
 * customer left before an answer. Transfers and secure pauses count towards the interaction's hour
 * and current queue and agent. Times are differenced in JavaScript from the stored ISO text, so
 * SQLite and PostgreSQL give the same milliseconds.
 */
export async function computeHourCells(k: Kysely<Database>, from: string, to: string): Promise<HourCells> {
  const rows = await sql<Row>`
    select i.id, i.queue_id, i.agent_id, i.created_at, i.answered_at, i.ended_at, i.wrapup_at, i.status, i.disposition,
      i.sensitive_category, i.child_protected,
      (select count(*) from timeline t where t.type = 'transferred' and t.interaction_id = i.id) as transfers,
      (select count(*) from recording_pauses p where p.interaction_id = i.id) as pauses
    from interactions i
    where i.created_at >= ${from} and i.created_at < ${to} and i.kind in ('chat', 'call')`.execute(k);
  // Driven from the range's interactions (IN, not a join): a join let SQLite walk every offer ever
  // made by the type index, seconds at 100,000 interactions to rebuild a single hour.
  const offers = await sql<{ agent: string; id: string }>`
    select distinct t.actor_id as agent, t.interaction_id as id
    from timeline t
    where t.type = 'offered' and t.actor_id is not null
      and t.interaction_id in (select i.id from interactions i where i.created_at >= ${from} and i.created_at < ${to} and i.kind in ('chat', 'call'))`.execute(k);

  const queue = new Map<string, HourCell>();
  const agent = new Map<string, HourCell>();
  const at = (cells: Map<string, HourCell>, group: string, hour: string, flagged: 0 | 1) => {
    const key = cellKey({ group, hour, flagged });
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = emptyCell(group, hour, flagged)));
    return cell;
  };
  const placed = new Map<string, { hour: string; flagged: 0 | 1 }>();
  for (const r of rows.rows) {
    const hour = r.created_at.slice(0, 13);
    const flagged: 0 | 1 = r.sensitive_category !== null || Number(r.child_protected) !== 0 ? 1 : 0;
    placed.set(r.id, { hour, flagged });
    const wait = r.answered_at !== null ? msBetween(r.created_at, r.answered_at) : null;
    const handle = r.answered_at !== null ? msBetween(r.answered_at, r.wrapup_at ?? r.ended_at) : null;
    for (const cell of [at(queue, r.queue_id, hour, flagged), ...(r.agent_id !== null ? [at(agent, r.agent_id, hour, flagged)] : [])]) {
      cell.interactions += 1;
      if (r.answered_at !== null) cell.answered += 1;
      else if (r.status === 'abandoned') cell.abandoned += 1;
      if (r.sensitive_category !== null) cell.sensitive += 1;
      cell.transfers += Number(r.transfers);
      cell.securePauses += Number(r.pauses);
      if (r.disposition !== null) cell.dispositions[r.disposition] = (cell.dispositions[r.disposition] ?? 0) + 1;
      if (wait !== null) cell.waitMs.push(wait);
      if (handle !== null) cell.handleMs.push(handle);
    }
  }
  for (const o of offers.rows) {
    const where = placed.get(o.id);
    if (where) at(agent, o.agent, where.hour, where.flagged).offered += 1;
  }
  const done = (cells: Map<string, HourCell>) => {
    for (const c of cells.values()) {
      c.waitMs.sort((a, b) => a - b);
      c.handleMs.sort((a, b) => a - b);
    }
    return [...cells.values()];
  };
  return { queue: done(queue), agent: done(agent) };
}

export function emptyCell(group: string, hour: string, flagged: 0 | 1): HourCell {
  return { group, hour, flagged, interactions: 0, offered: 0, answered: 0, abandoned: 0, sensitive: 0, transfers: 0, securePauses: 0, dispositions: {}, waitMs: [], handleMs: [] };
}
