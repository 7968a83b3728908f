import type { ModuleDataMap } from '../../kernel/data-map';

/** Published privacy notice versions (the org's) and staff members' acceptances of them. */
export const privacyNoticesDataMap: ModuleDataMap = {
  module: 'privacy-notices',
  tables: [
    {
      table: 'privacy_notices',
      about: "the org's published privacy notice versions (text, effective date, material or not); immutable",
      subject: 'none',
      columns: { id: 'link', version: 'meta', text: 'meta', effective_at: 'meta', material: 'meta', published_at: 'meta', published_by: 'link' },
    },
    {
      table: 'policy_acceptances',
      about: 'which privacy notice version a staff member accepted, and when',
      subject: 'staff',
      columns: { id: 'link', user_id: 'link', notice_id: 'link', accepted_at: 'meta' },
      find: { userColumn: 'user_id' },
      // The audit log keeps the proof (ids and times) after the account's erasure.
      erase: { kind: 'delete' },
      // Needed while the account exists: it decides whether the user is asked again.
      retention: 'none',
    },
  ],
};
