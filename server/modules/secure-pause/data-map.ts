import type { ModuleDataMap } from '../../kernel/data-map';

/** Secure pause keeps the intervals of each call (the table keeps its recording_ name: see pause-intervals.ts). */
export const securePauseDataMap: ModuleDataMap = {
  module: 'secure-pause',
  tables: [
    {
      table: 'recording_pauses',
      about: 'secure pause intervals of a call (who paused, when)',
      subject: 'customer',
      columns: { id: 'link', interaction_id: 'link', started_at: 'meta', ended_at: 'meta', actor_id: 'link', actor_name: 'personal', ended_by: 'personal' },
      find: { interactionColumn: 'interaction_id' },
      erase: { kind: 'delete' },
      retention: 'recordings',
    },
  ],
};
