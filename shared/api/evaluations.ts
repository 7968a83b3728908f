import { z } from 'zod';

/**
 * Evaluations (issue 20). Admins define scorecards (questions with an answer scale and a weight);
 * a scorecard already used by an evaluation is never changed: editing it makes a new version, so
 * old evaluations keep the questions they were answered against. Supervisors and admins score an
 * ended interaction against a scorecard; the server computes the weighted score (0–100). The
 * evaluated agent sees their own evaluations and may leave one comment. Evaluations are personal
 * data about the agent (docs/privacy-model.md, data map).
 */

/** yes_no: No = 0, Yes = 1. one_to_five: 1…5, scored (v − 1) / 4. */
export const AnswerScale = z.enum(['yes_no', 'one_to_five']);
export type AnswerScale = z.infer<typeof AnswerScale>;

/** The values an answer on each scale may take. */
export const SCALE_VALUES: Record<AnswerScale, readonly number[]> = { yes_no: [1, 0], one_to_five: [1, 2, 3, 4, 5] };
/** Labels shown when a question gives none. */
export const DEFAULT_SCALE_LABELS: Record<AnswerScale, readonly string[]> = { yes_no: ['Yes', 'No'], one_to_five: ['1', '2', '3', '4', '5'] };

export const MAX_SCORECARD_QUESTIONS = 50;

export const ScorecardQuestionInput = z
  .strictObject({
    /** Kept across versions when the question stays; the server assigns one to a new question. */
    id: z.string().trim().min(1).max(64).optional(),
    text: z.string().trim().min(1, 'Write the question.').max(300, 'A question may have at most 300 characters.'),
    scale: AnswerScale,
    /** One label per value, in SCALE_VALUES order (Yes, No; or 1…5). */
    labels: z.array(z.string().trim().min(1).max(40)).optional(),
    weight: z.number().positive('A weight is more than 0.').max(100, 'A weight is at most 100.'),
  })
  .superRefine((q, ctx) => {
    if (q.labels && q.labels.length !== SCALE_VALUES[q.scale].length) {
      ctx.addIssue({ code: 'custom', path: ['labels'], message: `give ${SCALE_VALUES[q.scale].length} labels for ${q.scale}` });
    }
  });
export type ScorecardQuestionInput = z.infer<typeof ScorecardQuestionInput>;

export const ScorecardInput = z
  .strictObject({
    name: z.string().trim().min(1, 'Give the scorecard a name.').max(80, 'A name may have at most 80 characters.'),
    questions: z.array(ScorecardQuestionInput).min(1, 'Add at least one question.').max(MAX_SCORECARD_QUESTIONS),
  })
  .superRefine((s, ctx) => {
    const ids = s.questions.flatMap((q) => (q.id ? [q.id] : []));
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['questions'], message: 'question ids must differ' });
  });
export type ScorecardInput = z.infer<typeof ScorecardInput>;

export const ScorecardQuestion = z.object({ id: z.string(), text: z.string(), scale: AnswerScale, labels: z.array(z.string()), weight: z.number() });
export type ScorecardQuestion = z.infer<typeof ScorecardQuestion>;

export const Scorecard = z.object({
  id: z.string(),
  /** Shared by every version of one scorecard. */
  familyId: z.string(),
  version: z.number().int().min(1),
  name: z.string(),
  questions: z.array(ScorecardQuestion),
  archived: z.boolean(),
  /** Whether an evaluation uses this version (an edit then makes a new version). */
  inUse: z.boolean(),
  createdAt: z.string(),
});
export type Scorecard = z.infer<typeof Scorecard>;

/** GET /api/scorecards: the latest version of each scorecard; archived ones only with ?archived=true. */
export const ScorecardsQuery = z.strictObject({ archived: z.enum(['true', 'false']).optional() });
export const ScorecardsResponse = z.object({ items: z.array(Scorecard) });
export type ScorecardsResponse = z.infer<typeof ScorecardsResponse>;

export const EvaluationAnswer = z.strictObject({ questionId: z.string().min(1).max(64), value: z.number().int() });
export type EvaluationAnswer = z.infer<typeof EvaluationAnswer>;

const notes = z.string().trim().max(4000, 'Notes may have at most 4,000 characters.');

/** POST /api/evaluations: every question of the scorecard answered once. */
export const CreateEvaluation = z.strictObject({
  interactionId: z.string().min(1).max(64),
  scorecardId: z.string().min(1).max(64),
  answers: z.array(EvaluationAnswer).min(1).max(MAX_SCORECARD_QUESTIONS),
  notes: notes.optional(),
});
export type CreateEvaluation = z.infer<typeof CreateEvaluation>;

/** PUT /api/evaluations/:id: the evaluator (or an admin) corrects answers or notes; the score is recomputed. */
export const UpdateEvaluation = z.strictObject({ answers: z.array(EvaluationAnswer).min(1).max(MAX_SCORECARD_QUESTIONS), notes: notes.optional() });
export type UpdateEvaluation = z.infer<typeof UpdateEvaluation>;

/** POST /api/evaluations/:id/comment: the evaluated agent's one comment (sent again, it replaces it). */
export const EvaluationCommentInput = z.strictObject({ text: z.string().trim().min(1, 'Write the comment.').max(2000, 'A comment may have at most 2,000 characters.') });
export type EvaluationCommentInput = z.infer<typeof EvaluationCommentInput>;

export const Evaluation = z.object({
  id: z.string(),
  interactionId: z.string(),
  /** The interaction's kind and start, so a list reads without opening it. */
  interactionKind: z.string(),
  interactionAt: z.string(),
  queueId: z.string(),
  agent: z.object({ id: z.string(), name: z.string() }),
  evaluator: z.object({ id: z.string(), name: z.string() }),
  /** The version answered against, questions included. */
  scorecard: z.object({ id: z.string(), familyId: z.string(), name: z.string(), version: z.number().int(), questions: z.array(ScorecardQuestion) }),
  answers: z.array(z.object({ questionId: z.string(), value: z.number().int() })),
  /** Weighted, 0–100, one decimal. */
  score: z.number(),
  /** Null once erased with the customer's interaction (or aged out with the transcripts). */
  notes: z.string().nullable(),
  comment: z.object({ text: z.string(), at: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Evaluation = z.infer<typeof Evaluation>;

export const EvaluationsResponse = z.object({ items: z.array(Evaluation) });
export type EvaluationsResponse = z.infer<typeof EvaluationsResponse>;

/** GET /api/evaluations/export: the caller's own evaluations as a JSON attachment. */
export const EvaluationsExport = z.object({ exportedAt: z.string(), agentId: z.string(), items: z.array(Evaluation) });
export type EvaluationsExport = z.infer<typeof EvaluationsExport>;

/** GET /api/evaluations/report: average scores of interactions that started in [from, to). */
export const EvaluationReportQuery = z
  .strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
  .transform((q) => ({ from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString() }))
  .refine((q) => q.to > q.from, { message: 'to must be after from', path: ['to'] });
export type EvaluationReportQuery = z.output<typeof EvaluationReportQuery>;

const AverageRow = z.object({ id: z.string(), name: z.string(), evaluations: z.number().int().min(0), averageScore: z.number() });
export const EvaluationReport = z.object({ from: z.string(), to: z.string(), agents: z.array(AverageRow), queues: z.array(AverageRow) });
export type EvaluationReport = z.infer<typeof EvaluationReport>;
