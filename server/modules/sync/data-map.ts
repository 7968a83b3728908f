import type { ModuleDataMap } from '../../kernel/data-map';

/** Offline sync: the change log points at rows (no copies), notes are agents' own writing about a customer. */
export const syncDataMap: ModuleDataMap = {
  module: 'sync',
  tables: [
    { table: 'sync_counter', about: 'the change log sequence', subject: 'none', columns: { singleton: 'meta', last_seq: 'meta' } },
    {
      table: 'sync_changes',
      about: 'the change log: which entity changed (ids only; the data is read from its table when pulled)',
      subject: 'customer',
      columns: { seq: 'meta', kind: 'meta', entity_id: 'link', interaction_id: 'link', op: 'meta', version: 'meta', reason: 'meta', at: 'meta' },
      find: { interactionColumn: 'interaction_id' },
      erase: { kind: 'keep', why: 'erasure turns each row into a tombstone so that every local cache removes its copy' },
      retention: 'none',
    },
    {
      table: 'sync_access',
      about: 'which agents may sync which interaction',
      subject: 'customer',
      columns: { user_id: 'link', interaction_id: 'link', granted_at: 'meta', created_at: 'meta' },
      find: { interactionColumn: 'interaction_id', userColumn: 'user_id' },
      // Ids only; the erasure's tombstones reach each agent's local cache through these rows.
      erase: { kind: 'keep', why: 'links only: the tombstones of an erasure reach each agent who held the interaction through them' },
      retention: 'interactions',
    },
    {
      table: 'sync_mutations',
      about: "each pushed change's first answer, so a resend is applied once (the answer can hold a note's text)",
      subject: 'customer',
      columns: { user_id: 'link', mutation_id: 'link', type: 'meta', status: 'meta', result: 'personal', at: 'meta' },
      find: { userColumn: 'user_id', matchColumns: ['result'] },
      erase: { kind: 'delete' },
      retention: 'transcripts',
    },
    {
      table: 'sync_notes',
      about: "agents' notes on an interaction",
      subject: 'customer',
      columns: {
        id: 'link',
        interaction_id: 'link',
        author_id: 'link',
        author_name: 'personal',
        text: 'personal',
        created_at: 'meta',
        updated_at: 'meta',
        version: 'meta',
        created_version: 'meta',
        conflict_reason: 'meta',
        conflict_of: 'link',
      },
      find: { interactionColumn: 'interaction_id' },
      erase: { kind: 'delete' },
      retention: 'transcripts',
      syncKind: 'note',
    },
    { table: 'sync_late_wrapups', about: 'interactions whose wrap-up arrived after the timeout', subject: 'none', columns: { interaction_id: 'link', at: 'meta' } },
    { table: 'sync_org_entities', about: 'queues and settings as last published', subject: 'none', columns: { kind: 'meta', id: 'link', data: 'meta' } },
  ],
  localCache: [{ kind: 'note', about: "agents' notes in the local data", subject: 'customer' }],
};
