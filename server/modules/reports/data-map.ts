import type { ModuleDataMap } from '../../kernel/data-map';

/** Reports keep no personal data: they are computed from interactions on each request and stored nowhere. */
export const reportsDataMap: ModuleDataMap = {
  module: 'reports',
  tables: [
    {
      table: 'report_settings',
      about: "the org's statistics settings (the anonymous statistics' k)",
      subject: 'none',
      columns: { singleton: 'meta', anonymous_k: 'meta', updated_at: 'meta', updated_by: 'meta' },
    },
  ],
};
