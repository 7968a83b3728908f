import type { ModuleDataMap } from '../../kernel/data-map';

export const retentionDataMap: ModuleDataMap = {
  module: 'retention',
  tables: [{ table: 'retention_policy', about: "the org's retention policy (days kept per class of data)", subject: 'none', columns: { singleton: 'meta', policy: 'meta', updated_at: 'meta', updated_by: 'meta' } }],
};
