import type { ModuleDataMap } from '../../kernel/data-map';

/** Staff accounts: the org's own people, not customers; kept while the account exists. */
export const usersDataMap: ModuleDataMap = {
  module: 'users',
  tables: [
    {
      table: 'users',
      about: 'staff accounts',
      subject: 'staff',
      columns: { id: 'link', username: 'personal', display_name: 'personal', role: 'meta', password_hash: 'secret', created_at: 'meta', disabled: 'meta', permissions: 'meta', must_change_password: 'meta', password_changed_at: 'meta' },
      find: { userColumn: 'id', matchColumns: ['username', 'display_name'] },
      erase: { kind: 'keep', why: 'a staff account is disabled by an admin, not erased by a subject request' },
      retention: 'none',
    },
  ],
};
