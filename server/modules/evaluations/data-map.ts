import type { ModuleDataMap } from '../../kernel/data-map';

/**
 * Evaluations (issue 20). Scorecards are the org's wording. An evaluation is personal data about
 * the evaluated agent that references a customer's interaction: its free text (the supervisor's
 * notes, the agent's comment) may quote the customer, so erasing the customer's interaction clears
 * both, and they age out with the transcripts. The answers and score say how the agent worked, not
 * who the customer is: they stay, detached from any customer detail (the interaction row keeps no
 * contact fields after an erase). The agent reads and exports their own (GET /api/evaluations/export).
 */
export const evaluationsDataMap: ModuleDataMap = {
  module: 'evaluations',
  tables: [
    {
      table: 'scorecards',
      about: "the org's evaluation scorecards, one row per version (name, questions, answer scales, weights)",
      subject: 'none',
      columns: { id: 'link', family_id: 'link', version: 'meta', name: 'meta', questions: 'meta', superseded_at: 'meta', archived_at: 'meta', created_by: 'link', created_at: 'meta' },
    },
    {
      table: 'evaluations',
      about: "a supervisor's evaluation of an agent's ended interaction: answers, weighted score, notes and the agent's comment",
      subject: 'staff',
      columns: {
        id: 'link',
        interaction_id: 'link',
        scorecard_id: 'link',
        agent_id: 'link',
        evaluator_id: 'link',
        // How the agent did: personal data about the agent.
        answers: 'personal',
        score: 'personal',
        notes: 'personal',
        agent_comment: 'personal',
        agent_comment_at: 'meta',
        created_at: 'meta',
        updated_at: 'meta',
      },
      find: { interactionColumn: 'interaction_id', userColumn: 'agent_id' },
      erase: { kind: 'clear', columns: ['notes', 'agent_comment'] },
      retention: 'transcripts',
    },
  ],
};
