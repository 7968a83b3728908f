import type { ModuleDataMap } from '../../kernel/data-map';

export const sensitiveKeywordsDataMap: ModuleDataMap = {
  module: 'sensitive-keywords',
  tables: [{ table: 'sensitive_keywords', about: "the org's keyword rules that suggest the sensitive mark (categories and keywords)", subject: 'none', columns: { singleton: 'meta', rules: 'meta', updated_at: 'meta', updated_by: 'meta' } }],
};
