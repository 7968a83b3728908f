import { randomUUID } from 'node:crypto';
import type { CreateEvaluation, Evaluation, EvaluationCommentInput, ScorecardQuestion, UpdateEvaluation } from '../../../shared/api/evaluations';
import type { User } from '../../../shared/domain/roles';
import type { Db } from '../../db/database';
import type { EvaluationsTable, ScorecardsTable } from '../../db/schema';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';
import type { InteractionRow } from '../interactions/repo';
import type { SensitiveAccess } from '../interactions/sensitive';
import type { Redaction } from '../redaction/redaction-service';
import { weightedScore } from './score';
import type { Scorecards } from './scorecards';

export type Caller = Pick<User, 'id' | 'username' | 'role'>;

export interface EvaluationDeps {
  db: Db;
  audit: AuditLog;
  now: () => Date;
  scorecards: Scorecards;
  redaction: Redaction;
  /** The interactions module's history rules: rows and who may see a sensitive one. */
  interactions: { get(id: string): Promise<InteractionRow | undefined>; sensitive: SensitiveAccess };
}

/** The row with what a reader needs beside it. */
type Joined = EvaluationsTable & {
  kind: string;
  interaction_at: string;
  queue_id: string;
  sensitive_category: string | null;
  agent_name: string;
  evaluator_name: string;
  sc_family: string;
  sc_name: string;
  sc_version: number;
  sc_questions: string;
};

/**
 * Evaluations of ended interactions. Supervisors and admins evaluate and read them, within the
 * history's rules (a sensitive interaction only for whoever may open it); the evaluated agent reads
 * their own and may leave one comment; anyone else gets 404, as for an unknown id. The score is
 * computed here from the scorecard version's weights. Notes and comments are redacted on save like
 * any message; creates, updates, comments and exports are audited with ids and the score only.
 */
export class EvaluationsService {
  constructor(private readonly deps: EvaluationDeps) {}

  async create(input: CreateEvaluation, caller: Caller): Promise<Evaluation> {
    const interaction = await this.visibleInteraction(input.interactionId, caller);
    if (interaction.ended_at === null || !['wrapup', 'closed'].includes(interaction.status)) throw new DomainError('conflict', 'Only an ended interaction can be evaluated.');
    if (interaction.agent_id === null) throw new DomainError('conflict', 'No agent handled this interaction: there is nobody to evaluate.');
    const card = await this.deps.scorecards.get(input.scorecardId);
    if (!card) throw new DomainError('not_found', `No scorecard ${input.scorecardId.slice(0, 64)}.`);
    if (card.superseded_at !== null || card.archived_at !== null) throw new DomainError('conflict', 'This scorecard has a newer version or is archived; pick a current one.');
    const score = weightedScore(questionsOf(card), input.answers);
    const at = this.deps.now().toISOString();
    const row: EvaluationsTable = {
      id: randomUUID(),
      interaction_id: interaction.id,
      scorecard_id: card.id,
      agent_id: interaction.agent_id,
      evaluator_id: caller.id,
      answers: JSON.stringify(input.answers.map((a) => ({ questionId: a.questionId, value: a.value }))),
      score,
      notes: this.cleaned(input.notes),
      agent_comment: null,
      agent_comment_at: null,
      created_at: at,
      updated_at: at,
    };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('evaluations').values(row).execute();
      await this.deps.audit.appendIn(trx, this.entry(caller, AuditAction.evaluationCreated, row));
    });
    return this.read(row.id);
  }

  async update(id: string, input: UpdateEvaluation, caller: Caller): Promise<Evaluation> {
    const row = await this.readable(id, caller);
    if (row.evaluator_id !== caller.id && caller.role !== 'admin') throw new DomainError('forbidden', 'Only the supervisor who wrote an evaluation, or an admin, changes it.');
    const score = weightedScore(JSON.parse(row.sc_questions) as ScorecardQuestion[], input.answers);
    const patch = { answers: JSON.stringify(input.answers.map((a) => ({ questionId: a.questionId, value: a.value }))), score, notes: this.cleaned(input.notes), updated_at: this.deps.now().toISOString() };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await trx.updateTable('evaluations').set(patch).where('id', '=', row.id).execute();
      await this.deps.audit.appendIn(trx, this.entry(caller, AuditAction.evaluationUpdated, { ...row, ...patch }));
    });
    return this.read(row.id);
  }

  /** The evaluated agent's comment; anyone else: 404 (agents) or 403 (staff who may read it). */
  async comment(id: string, input: EvaluationCommentInput, caller: Caller): Promise<Evaluation> {
    const row = await this.readable(id, caller);
    if (row.agent_id !== caller.id) throw new DomainError('forbidden', 'Only the evaluated agent comments on an evaluation.');
    const patch = { agent_comment: this.cleaned(input.text), agent_comment_at: this.deps.now().toISOString() };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await trx.updateTable('evaluations').set(patch).where('id', '=', row.id).execute();
      await this.deps.audit.appendIn(trx, this.entry(caller, AuditAction.evaluationCommented, row, { replaced: row.agent_comment !== null }));
    });
    return this.read(row.id);
  }

  async get(id: string, caller: Caller): Promise<Evaluation> {
    return toEvaluation(await this.readable(id, caller));
  }

  /** Evaluations of one interaction: supervisors and admins who may open it; its agent: their own. */
  async ofInteraction(interactionId: string, caller: Caller): Promise<Evaluation[]> {
    if (caller.role === 'agent') {
      const rows = await this.joined().where('e.interaction_id', '=', interactionId).where('e.agent_id', '=', caller.id).orderBy('e.created_at').execute();
      return rows.map(toEvaluation);
    }
    await this.visibleInteraction(interactionId, caller);
    const rows = await this.joined().where('e.interaction_id', '=', interactionId).orderBy('e.created_at').execute();
    return rows.map(toEvaluation);
  }

  /** The caller's own evaluations (as the evaluated agent), newest first. */
  async mine(caller: Caller): Promise<Evaluation[]> {
    const rows = await this.joined().where('e.agent_id', '=', caller.id).orderBy('e.created_at', 'desc').orderBy('e.id').execute();
    return rows.map(toEvaluation);
  }

  /** The agent's own export of their evaluations (audited: ids and count). */
  async exportMine(caller: Caller): Promise<{ exportedAt: string; agentId: string; items: Evaluation[] }> {
    const items = await this.mine(caller);
    await this.deps.audit.append({ actor: { id: caller.id, username: caller.username }, action: AuditAction.evaluationsExported, target: caller.id, details: { count: items.length } });
    return { exportedAt: this.deps.now().toISOString(), agentId: caller.id, items };
  }

  private async read(id: string): Promise<Evaluation> {
    const row = await this.joined().where('e.id', '=', id).executeTakeFirstOrThrow();
    return toEvaluation(row);
  }

  /**
   * The evaluation if the caller may read it: its agent, or a supervisor or admin who may open its
   * interaction. Agents get 404 for another's, as for an unknown id; a supervisor kept out of a
   * sensitive interaction gets the history's 403.
   */
  private async readable(id: string, caller: Caller): Promise<Joined> {
    const row = id.length <= 64 ? await this.joined().where('e.id', '=', id).executeTakeFirst() : undefined;
    if (!row || (caller.role === 'agent' && row.agent_id !== caller.id)) throw new DomainError('not_found', `No evaluation ${id.slice(0, 64)}.`);
    if (row.agent_id !== caller.id) await this.deps.interactions.sensitive.assertMaySee(caller, { id: row.interaction_id, sensitive_category: row.sensitive_category });
    return row;
  }

  /** The interaction as history shows it to supervisors and admins (404 unknown, 403 sensitive). */
  private async visibleInteraction(id: string, caller: Caller): Promise<InteractionRow> {
    const row = id.length <= 64 ? await this.deps.interactions.get(id) : undefined;
    if (!row) throw new DomainError('not_found', `No interaction ${id.slice(0, 64)}.`);
    await this.deps.interactions.sensitive.assertMaySee(caller, row);
    return row;
  }

  private joined() {
    return this.deps.db.kysely
      .selectFrom('evaluations as e')
      .innerJoin('interactions as i', 'i.id', 'e.interaction_id')
      .innerJoin('scorecards as s', 's.id', 'e.scorecard_id')
      .innerJoin('users as a', 'a.id', 'e.agent_id')
      .innerJoin('users as v', 'v.id', 'e.evaluator_id')
      .selectAll('e')
      .select([
        'i.kind as kind',
        'i.created_at as interaction_at',
        'i.queue_id as queue_id',
        'i.sensitive_category as sensitive_category',
        'a.display_name as agent_name',
        'v.display_name as evaluator_name',
        's.family_id as sc_family',
        's.name as sc_name',
        's.version as sc_version',
        's.questions as sc_questions',
      ]);
  }

  private cleaned(text: string | undefined): string | null {
    return text ? this.deps.redaction.redact(text).text : null;
  }

  private entry(caller: Caller, action: string, row: Pick<EvaluationsTable, 'id' | 'interaction_id' | 'agent_id' | 'scorecard_id' | 'score'>, extra: Record<string, unknown> = {}) {
    return {
      actor: { id: caller.id, username: caller.username },
      action,
      target: row.id,
      details: { interactionId: row.interaction_id, agentId: row.agent_id, scorecardId: row.scorecard_id, score: row.score, ...extra },
    };
  }
}

function questionsOf(card: ScorecardsTable): ScorecardQuestion[] {
  return JSON.parse(card.questions) as ScorecardQuestion[];
}

function toEvaluation(row: Joined): Evaluation {
  return {
    id: row.id,
    interactionId: row.interaction_id,
    interactionKind: row.kind,
    interactionAt: row.interaction_at,
    queueId: row.queue_id,
    agent: { id: row.agent_id, name: row.agent_name },
    evaluator: { id: row.evaluator_id, name: row.evaluator_name },
    scorecard: { id: row.scorecard_id, familyId: row.sc_family, name: row.sc_name, version: Number(row.sc_version), questions: JSON.parse(row.sc_questions) as ScorecardQuestion[] },
    answers: JSON.parse(row.answers) as { questionId: string; value: number }[],
    score: Number(row.score),
    notes: row.notes,
    comment: row.agent_comment !== null && row.agent_comment_at !== null ? { text: row.agent_comment, at: row.agent_comment_at } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
