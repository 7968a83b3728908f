import type { ModuleDataMap } from '../../kernel/data-map';

/** Notices of a material change by e-mail: campaigns (the org's text) and their recipients. */
export const noticeCampaignsDataMap: ModuleDataMap = {
  module: 'notice-campaigns',
  tables: [
    {
      table: 'notice_campaigns',
      about: "a notice sent by e-mail to customers on record: the admin's subject and text, who started it, when, whether it is done",
      subject: 'none',
      columns: { id: 'link', subject: 'meta', body: 'meta', status: 'meta', created_by: 'meta', created_at: 'meta', completed_at: 'meta' },
    },
    {
      table: 'notice_campaign_recipients',
      about: "one distinct customer address of a campaign: its SHA-256, the address itself only while the notice is pending, the delivery state",
      subject: 'customer',
      columns: {
        campaign_id: 'link',
        seq: 'meta',
        // The newest interaction the address was taken from: an erase or the contacts retention of it clears the row.
        interaction_id: 'link',
        // A digest of an address still identifies whoever knows the address: personal, cleared with it.
        email_hash: 'personal',
        email: 'personal',
        state: 'meta',
        attempts: 'meta',
        next_attempt_at: 'meta',
        last_error: 'meta',
        sent_at: 'meta',
      },
      find: { interactionColumn: 'interaction_id', matchColumns: ['email'] },
      // Cleared, not deleted: the counts of the campaign stay right; a pending row without its address is skipped.
      erase: { kind: 'clear', columns: ['email', 'email_hash'] },
      retention: 'contacts',
    },
  ],
};
