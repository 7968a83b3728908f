import type { ModuleDataMap } from '../../kernel/data-map';

/** The rollup's figures: counts, and per hour every measured wait and handle time (no ids, no text). */
const FIGURES = {
  hour: 'meta',
  flagged: 'meta',
  interactions: 'meta',
  offered: 'meta',
  answered: 'meta',
  abandoned: 'meta',
  sensitive: 'meta',
  transfers: 'meta',
  secure_pauses: 'meta',
  dispositions: 'meta',
  wait_ms: 'meta',
  handle_ms: 'meta',
} as const;

/**
 * Reports keep no personal data: the k setting, and the hourly rollup, derived from interactions and
 * recomputed per hour whenever they change, so a purge or an erasure of interactions reaches it
 * within seconds (the hour is rebuilt from what is left; an erasure clears contact fields, which the
 * rollup never held).
 */
export const reportsDataMap: ModuleDataMap = {
  module: 'reports',
  tables: [
    {
      table: 'report_settings',
      about: "the org's statistics settings (the anonymous statistics' k and optional noise)",
      subject: 'none',
      columns: { singleton: 'meta', anonymous_k: 'meta', noise_enabled: 'meta', noise_epsilon: 'meta', updated_at: 'meta', updated_by: 'meta' },
    },
    {
      table: 'report_queue_hours',
      about: 'derived: per queue and UTC hour, counts and the sorted wait and handle times of its chats and calls (no interaction, customer or agent id)',
      subject: 'none',
      columns: { queue_id: 'link', ...FIGURES },
    },
    {
      table: 'report_agent_hours',
      about: "derived: per agent and UTC hour, the same figures for the agent's chats and calls (staff work data: the agent's id, no customer data)",
      subject: 'staff',
      columns: { agent_id: 'link', ...FIGURES },
      find: { userColumn: 'agent_id' },
      // Figures about the org's own work, kept while the interactions they come from are kept.
      erase: { kind: 'keep', why: "a staff member's work figures follow the interactions they handled, which are kept" },
      // Rebuilt from the interactions: when retention deletes interactions their hours are recomputed.
      retention: 'none',
    },
    {
      table: 'report_rollup_dirty',
      about: 'derived: UTC hours whose rollup must be recomputed (marked by triggers)',
      subject: 'none',
      columns: { id: 'link', hour: 'meta' },
    },
  ],
};
