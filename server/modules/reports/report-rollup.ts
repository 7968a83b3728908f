import { sql, type Kysely } from 'kysely';
import type { Db } from '../../db/database';
import type { Database } from '../../db/schema';
import { computeHourCells, type HourCell } from './hour-cells';

const HOUR_MS = 3_600_000;
/** A rebuild reads at most this many hours at once (a backfill of a long history stays in bounds). */
const MAX_HOURS_PER_READ = 24 * 7;
const HOUR_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}$/;

const TABLES = { queue: { table: 'report_queue_hours', column: 'queue_id' }, agent: { table: 'report_agent_hours', column: 'agent_id' } } as const;
export type RollupGroup = keyof typeof TABLES;

const hourStart = (key: string) => Date.parse(`${key}:00:00.000Z`);
const keyOf = (ms: number) => new Date(ms).toISOString().slice(0, 13);

/**
 * The reports' rollup: per queue and per agent, per UTC hour, the figures of its interactions
 * (report_queue_hours, report_agent_hours), recomputed whole for every hour that triggers marked in
 * report_rollup_dirty. Recomputing an hour from the interactions, rather than adding to or taking
 * from it, is what keeps it right whatever changed: a close, a transfer, a sensitive mark made
 * later, a purge or an erasure.
 *
 * A rebuild deletes the marks it can see and recomputes their hours in one transaction. Marks are
 * append-only, so a change committed after the rebuild read leaves its own mark for the next one.
 * Rebuilds never overlap in this process: a call while one runs waits for it and runs once more.
 */
export class ReportRollup {
  private current: Promise<number> | null = null;
  private next: Promise<number> | null = null;

  constructor(private readonly db: Db) {}

  /** Brings every marked hour up to date; resolves with how many hours it rebuilt. */
  refresh(): Promise<number> {
    if (this.next) return this.next;
    const after = this.current ?? Promise.resolve(0);
    const run: Promise<number> = after
      .catch(() => 0)
      .then(() => {
        this.next = null;
        this.current = run;
        return this.rebuildMarked();
      })
      .finally(() => {
        if (this.current === run) this.current = null;
      });
    this.next = run;
    return run;
  }

  /** Resolves once no rebuild is running or waiting (server stop). */
  async idle(): Promise<void> {
    while (this.next ?? this.current) await (this.next ?? this.current)!.catch(() => 0);
  }

  private async rebuildMarked(): Promise<number> {
    const k = this.db.kysely;
    if (!(await k.selectFrom('report_rollup_dirty').select('id').limit(1).executeTakeFirst())) return 0;
    return k.transaction().execute(async (trx) => {
      const marked = await trx.deleteFrom('report_rollup_dirty').returning('hour').execute();
      const hours = [...new Set(marked.map((m) => m.hour))].filter((h) => HOUR_KEY.test(h) && Number.isFinite(hourStart(h))).sort();
      for (const [from, to] of runsOf(hours)) await this.rebuild(trx, from, to);
      return hours.length;
    });
  }

  /** Replaces the rollup of the hours [from, to) (epoch ms on hour boundaries). */
  private async rebuild(trx: Kysely<Database>, from: number, to: number): Promise<void> {
    const [fromKey, toKey] = [keyOf(from), keyOf(to)];
    await trx.deleteFrom('report_queue_hours').where('hour', '>=', fromKey).where('hour', '<', toKey).execute();
    await trx.deleteFrom('report_agent_hours').where('hour', '>=', fromKey).where('hour', '<', toKey).execute();
    const cells = await computeHourCells(trx, new Date(from).toISOString(), new Date(to).toISOString());
    for (let i = 0; i < cells.queue.length; i += 100) {
      await trx.insertInto('report_queue_hours').values(cells.queue.slice(i, i + 100).map((c) => ({ queue_id: c.group, ...stored(c) }))).execute();
    }
    for (let i = 0; i < cells.agent.length; i += 100) {
      await trx.insertInto('report_agent_hours').values(cells.agent.slice(i, i + 100).map((c) => ({ agent_id: c.group, ...stored(c) }))).execute();
    }
  }

  /**
   * The cells of [from, to) (any ISO times): whole hours from the rollup, the part of an hour at
   * either edge of the range computed from the interactions, so a range that does not start or end
   * on the hour counts exactly what it did before the rollup. Call refresh() first.
   */
  async cells(group: RollupGroup, from: string, to: string, opts: { unflaggedOnly?: boolean } = {}): Promise<HourCell[]> {
    const start = Date.parse(from);
    const end = Date.parse(to);
    const wholeFrom = Math.ceil(start / HOUR_MS) * HOUR_MS;
    const wholeTo = Math.floor(end / HOUR_MS) * HOUR_MS;
    const live = async (a: string, b: string) => (await computeHourCells(this.db.kysely, a, b))[group].filter((c) => !opts.unflaggedOnly || c.flagged === 0);
    if (wholeFrom >= wholeTo) return live(from, to);
    const out = await this.stored(group, keyOf(wholeFrom), keyOf(wholeTo), opts.unflaggedOnly ?? false);
    if (start < wholeFrom) out.push(...(await live(from, new Date(wholeFrom).toISOString())));
    if (wholeTo < end) out.push(...(await live(new Date(wholeTo).toISOString(), to)));
    return out;
  }

  private async stored(group: RollupGroup, fromKey: string, toKey: string, unflaggedOnly: boolean): Promise<HourCell[]> {
    const { table, column } = TABLES[group];
    const rows = await sql<StoredRow>`
      select ${sql.ref(column)} as g, hour, flagged, interactions, offered, answered, abandoned, sensitive, transfers, secure_pauses, dispositions, wait_ms, handle_ms
      from ${sql.table(table)} where hour >= ${fromKey} and hour < ${toKey}${unflaggedOnly ? sql` and flagged = 0` : sql``}`.execute(this.db.kysely);
    return rows.rows.map((r) => ({
      group: r.g,
      hour: r.hour,
      flagged: Number(r.flagged) === 0 ? 0 : 1,
      interactions: Number(r.interactions),
      offered: Number(r.offered),
      answered: Number(r.answered),
      abandoned: Number(r.abandoned),
      sensitive: Number(r.sensitive),
      transfers: Number(r.transfers),
      securePauses: Number(r.secure_pauses),
      dispositions: JSON.parse(r.dispositions) as Record<string, number>,
      waitMs: JSON.parse(r.wait_ms) as number[],
      handleMs: JSON.parse(r.handle_ms) as number[],
    }));
  }
}

type StoredRow = Omit<Database['report_queue_hours'], 'queue_id'> & { g: string };

function stored(c: HourCell) {
  return {
    hour: c.hour,
    flagged: c.flagged,
    interactions: c.interactions,
    offered: c.offered,
    answered: c.answered,
    abandoned: c.abandoned,
    sensitive: c.sensitive,
    transfers: c.transfers,
    secure_pauses: c.securePauses,
    dispositions: JSON.stringify(c.dispositions),
    wait_ms: JSON.stringify(c.waitMs),
    handle_ms: JSON.stringify(c.handleMs),
  };
}

/** Sorted hour keys → runs of consecutive hours as [from, to) in epoch ms, each at most MAX_HOURS_PER_READ long. */
function runsOf(hours: readonly string[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const h of hours) {
    const t = hourStart(h);
    const last = runs[runs.length - 1];
    if (last && last[1] === t && last[1] - last[0] < MAX_HOURS_PER_READ * HOUR_MS) last[1] = t + HOUR_MS;
    else runs.push([t, t + HOUR_MS]);
  }
  return runs;
}
