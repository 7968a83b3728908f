import type { ModuleDataMap } from '../../../kernel/data-map';

/** Privacy requests: the record outlives what it erased; the identifiers typed are kept only while it runs. */
export const privacyRequestsDataMap: ModuleDataMap = {
  module: 'privacy',
  tables: [
    {
      table: 'privacy_requests',
      about: 'export, rectify and erase requests: who asked, when, states, per-store counts; the identifiers typed only while it runs, then their digests',
      subject: 'customer',
      columns: {
        id: 'link',
        type: 'meta',
        status: 'meta',
        requested_by_id: 'link',
        requested_by_name: 'personal',
        created_at: 'meta',
        updated_at: 'meta',
        completed_at: 'meta',
        subject: 'personal',
        subject_digests: 'meta',
        interaction_ids: 'link',
        stores: 'meta',
        progress_done: 'meta',
        progress_total: 'meta',
        took_ms: 'meta',
        error: 'meta',
      },
      find: { userColumn: 'requested_by_id', matchColumns: ['subject_digests'] },
      erase: { kind: 'keep', why: 'the proof of what a request did; it names the person only by digests once it ends (the identifiers typed are dropped then)' },
      retention: 'audit',
    },
  ],
  files: [
    {
      location: 'privacy-exports/<request id>.zip',
      about: "an export request's archive of the person's data",
      subject: 'customer',
      find: { matchColumns: ['privacy_requests.subject_digests'] },
      erase: { kind: 'delete' },
      retention: 'transcripts',
    },
  ],
};
