import type { ModuleDataMap } from '../../kernel/data-map';

export const auditDataMap: ModuleDataMap = {
  module: 'audit',
  tables: [
    {
      table: 'audit_log',
      about: 'the hash-chained audit log: who did what to which id; details hold ids, never what a customer said',
      subject: 'staff',
      columns: { id: 'link', at: 'meta', actor_id: 'link', actor_name: 'personal', action: 'meta', target: 'link', details: 'meta', prev_hash: 'meta', hash: 'meta', scheme: 'meta' },
      find: { userColumn: 'actor_id' },
      erase: { kind: 'keep', why: 'the audit log proves what was done (erasures included) and holds ids, not customer data; kept at least 365 days' },
      retention: 'audit',
    },
    { table: 'audit_head', about: 'the chain head (last id and hash)', subject: 'none', columns: { singleton: 'meta', last_id: 'meta', last_hash: 'meta', unkeyed_through: 'link' } },
    { table: 'audit_anchor', about: 'where verification starts once retention purged old entries (last purged id and hash)', subject: 'none', columns: { singleton: 'meta', through_id: 'link', through_hash: 'meta', purged_at: 'meta' } },
  ],
};
