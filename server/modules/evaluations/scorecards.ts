import { randomUUID } from 'node:crypto';
import { DEFAULT_SCALE_LABELS, type Scorecard, type ScorecardInput, type ScorecardQuestion } from '../../../shared/api/evaluations';
import type { Db } from '../../db/database';
import type { ScorecardsTable } from '../../db/schema';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';

/**
 * Scorecards: one row per version. A version no evaluation uses is changed in place; one in use
 * is never changed again: an edit writes version + 1 (a new id, the same family) and marks the old
 * one superseded, so old evaluations keep the questions they answered. Archiving hides a scorecard
 * from new evaluations; its evaluations stay. Every change is audited (ids, name, version).
 */
export class Scorecards {
  constructor(private readonly deps: { db: Db; audit: AuditLog; now: () => Date }) {}

  /** The latest version of each scorecard, by name; archived ones only when asked. */
  async list(includeArchived: boolean): Promise<Scorecard[]> {
    let query = this.deps.db.kysely.selectFrom('scorecards').selectAll().where('superseded_at', 'is', null);
    if (!includeArchived) query = query.where('archived_at', 'is', null);
    const rows = await query.execute();
    const used = await this.usedIds(rows.map((r) => r.id));
    return rows.map((r) => toScorecard(r, used.has(r.id))).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<ScorecardsTable | undefined> {
    if (id.length > 64) return undefined;
    return this.deps.db.kysely.selectFrom('scorecards').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async create(input: ScorecardInput, actor: AuditActor): Promise<Scorecard> {
    const row: ScorecardsTable = {
      id: randomUUID(),
      family_id: randomUUID(),
      version: 1,
      name: input.name,
      questions: JSON.stringify(questionsOf(input, [])),
      superseded_at: null,
      archived_at: null,
      created_by: actor.id,
      created_at: this.deps.now().toISOString(),
    };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('scorecards').values(row).execute();
      await this.deps.audit.appendIn(trx, audited(actor, row, 'created'));
    });
    return toScorecard(row, false);
  }

  /** Edits the latest version: in place when unused, else as a new version. */
  async update(id: string, input: ScorecardInput, actor: AuditActor): Promise<Scorecard> {
    const current = await this.latest(id);
    const previous = JSON.parse(current.questions) as ScorecardQuestion[];
    const questions = JSON.stringify(questionsOf(input, previous));
    const at = this.deps.now().toISOString();
    return this.deps.db.kysely.transaction().execute(async (trx) => {
      const inUse = await trx.selectFrom('evaluations').select('id').where('scorecard_id', '=', current.id).limit(1).executeTakeFirst();
      if (!inUse) {
        await trx.updateTable('scorecards').set({ name: input.name, questions }).where('id', '=', current.id).execute();
        const row = { ...current, name: input.name, questions };
        await this.deps.audit.appendIn(trx, audited(actor, row, 'updated'));
        return toScorecard(row, false);
      }
      const row: ScorecardsTable = { ...current, id: randomUUID(), version: current.version + 1, name: input.name, questions, created_by: actor.id, created_at: at };
      await trx.updateTable('scorecards').set({ superseded_at: at }).where('id', '=', current.id).execute();
      await trx.insertInto('scorecards').values(row).execute();
      await this.deps.audit.appendIn(trx, audited(actor, row, 'new_version', { previousId: current.id }));
      return toScorecard(row, false);
    });
  }

  async archive(id: string, actor: AuditActor): Promise<Scorecard> {
    const current = await this.latest(id);
    const row = { ...current, archived_at: current.archived_at ?? this.deps.now().toISOString() };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await trx.updateTable('scorecards').set({ archived_at: row.archived_at }).where('id', '=', row.id).execute();
      await this.deps.audit.appendIn(trx, audited(actor, row, 'archived'));
    });
    return toScorecard(row, (await this.usedIds([row.id])).has(row.id));
  }

  /** 404 for an unknown id; 409 for an older version (edit the latest). */
  private async latest(id: string): Promise<ScorecardsTable> {
    const row = await this.get(id);
    if (!row) throw new DomainError('not_found', `No scorecard ${id.slice(0, 64)}.`);
    if (row.superseded_at !== null) throw new DomainError('conflict', 'This is an older version of the scorecard; change the latest one.');
    return row;
  }

  private async usedIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.deps.db.kysely.selectFrom('evaluations').select('scorecard_id').distinct().where('scorecard_id', 'in', ids).execute();
    return new Set(rows.map((r) => r.scorecard_id));
  }
}

/** The input's questions with ids: a kept id stays (it names the same question), a new question gets one. */
function questionsOf(input: ScorecardInput, previous: readonly ScorecardQuestion[]): ScorecardQuestion[] {
  const known = new Set(previous.map((q) => q.id));
  return input.questions.map((q) => ({
    id: q.id && known.has(q.id) ? q.id : randomUUID(),
    text: q.text,
    scale: q.scale,
    labels: q.labels ?? [...DEFAULT_SCALE_LABELS[q.scale]],
    weight: q.weight,
  }));
}

export function toScorecard(row: ScorecardsTable, inUse: boolean): Scorecard {
  return {
    id: row.id,
    familyId: row.family_id,
    version: Number(row.version),
    name: row.name,
    questions: JSON.parse(row.questions) as ScorecardQuestion[],
    archived: row.archived_at !== null,
    inUse,
    createdAt: row.created_at,
  };
}

function audited(actor: AuditActor, row: ScorecardsTable, change: string, extra: Record<string, string> = {}) {
  return { actor: { id: actor.id, username: actor.username }, action: AuditAction.scorecardChanged, target: row.id, details: { change, familyId: row.family_id, version: Number(row.version), name: row.name, ...extra } };
}
