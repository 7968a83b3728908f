import type { ModuleDataMap } from '../../kernel/data-map';

export const redactionDataMap: ModuleDataMap = {
  module: 'redaction',
  tables: [{ table: 'redaction_policy', about: "the org's redaction policy (entities, pattern labels and patterns)", subject: 'none', columns: { singleton: 'meta', policy: 'meta', updated_at: 'meta', updated_by: 'meta' } }],
};
