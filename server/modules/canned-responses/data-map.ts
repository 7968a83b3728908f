import type { ModuleDataMap } from '../../kernel/data-map';

/** Canned responses: the org's snippets and staff members' own (issue 19). */
export const cannedResponsesDataMap: ModuleDataMap = {
  module: 'canned-responses',
  tables: [
    {
      table: 'canned_responses',
      about: "reply snippets: the org's (owner_id null) and each staff member's own; redacted on save like any message",
      subject: 'staff',
      // A personal snippet is what its owner wrote; the org's are the org's wording.
      columns: { id: 'link', owner_id: 'link', title: 'personal', text: 'personal', created_at: 'meta', updated_at: 'meta' },
      find: { userColumn: 'owner_id' },
      erase: { kind: 'delete' },
      // Kept while the account exists: it is the owner's working tool, not a record of anyone.
      retention: 'none',
    },
  ],
};
