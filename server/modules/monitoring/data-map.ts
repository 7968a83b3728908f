import type { ModuleDataMap } from '../../kernel/data-map';

/** Live monitoring keeps nothing about a call but its audit entries; only the org's policy is stored. */
export const monitoringDataMap: ModuleDataMap = {
  module: 'monitoring',
  tables: [
    {
      table: 'monitoring_policy',
      about: "the org's live monitoring policy",
      subject: 'none',
      columns: { singleton: 'meta', show_notice: 'meta', pause_stops_monitoring: 'meta', roles_allowed: 'meta', whisper_roles: 'meta', barge_roles: 'meta', updated_at: 'meta', updated_by: 'meta' },
    },
  ],
};
