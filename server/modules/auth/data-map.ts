import type { ModuleDataMap } from '../../kernel/data-map';

export const authDataMap: ModuleDataMap = {
  module: 'auth',
  tables: [
    {
      table: 'sessions',
      about: 'sign-in sessions of staff (token hashes)',
      subject: 'staff',
      columns: { id: 'link', token_hash: 'secret', user_id: 'link', created_at: 'meta', expires_at: 'meta', revoked_at: 'meta' },
      find: { userColumn: 'user_id' },
      erase: { kind: 'delete' },
      retention: 'sessions',
    },
  ],
};
