import type { ModuleDataMap } from '../../kernel/data-map';

/** The privacy notice and purposes, customers' consent records and the training library's references. */
export const consentDataMap: ModuleDataMap = {
  module: 'consent',
  tables: [
    {
      table: 'consent_settings',
      about: "the org's privacy notice (version, link) and the consent purposes the widget offers",
      subject: 'none',
      columns: { singleton: 'meta', notice_version: 'meta', notice_url: 'meta', purposes: 'meta', updated_at: 'meta', updated_by: 'meta' },
    },
    {
      table: 'consent_records',
      about: 'what a customer agreed to in the widget (purpose, notice version, when) and whether and by whom it was withdrawn',
      subject: 'customer',
      // What was agreed and when says something about the customer only through their interaction.
      columns: {
        id: 'link',
        interaction_id: 'link',
        purpose_id: 'meta',
        purpose_label: 'meta',
        notice_version: 'meta',
        given_at: 'meta',
        channel: 'meta',
        withdrawn_at: 'meta',
        withdrawn_by: 'link',
      },
      find: { interactionColumn: 'interaction_id' },
      erase: { kind: 'delete' },
      retention: 'interactions',
    },
    {
      table: 'training_items',
      about: "references to an interaction's transcript or recording in the training library (never a copy)",
      subject: 'customer',
      columns: { id: 'link', interaction_id: 'link', what: 'meta', added_by: 'link', added_at: 'meta' },
      find: { interactionColumn: 'interaction_id' },
      erase: { kind: 'delete' },
      retention: 'interactions',
    },
  ],
};
