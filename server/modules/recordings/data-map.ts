import type { ModuleDataMap } from '../../kernel/data-map';

/** Call recordings: the customer's and the agent's voices, and the agent's screen during the call (kind `screen`), on disk, with their metadata. */
export const recordingsDataMap: ModuleDataMap = {
  module: 'recordings',
  tables: [
    {
      table: 'recording_policy',
      about: "the org's recording policy",
      subject: 'none',
      columns: { singleton: 'meta', record_calls: 'meta', agents_may_play_own: 'meta', reminder_after_seconds: 'meta', updated_at: 'meta', updated_by: 'meta' },
    },
    {
      table: 'screen_recording_policy',
      about: "the org's screen recording policy",
      subject: 'none',
      columns: { singleton: 'meta', mode: 'meta', sample_percent: 'meta', viewer_roles: 'meta', fps: 'meta', updated_at: 'meta', updated_by: 'meta' },
    },
    {
      table: 'recordings',
      about: "one recording of a call (kind audio) or of the agent's screen during it (kind screen): who recorded it, when, its state and assembled size",
      subject: 'customer',
      columns: {
        id: 'link',
        interaction_id: 'link',
        agent_id: 'link',
        agent_name: 'personal',
        started_at: 'meta',
        ended_at: 'meta',
        mime_type: 'meta',
        status: 'meta',
        assembled_bytes: 'meta',
        recovered: 'meta',
        assembly: 'meta',
        assembly_note: 'meta',
        closed_at: 'meta',
        announced_at: 'meta',
        kind: 'meta',
      },
      find: { interactionColumn: 'interaction_id' },
      erase: { kind: 'delete' },
      retention: 'recordings',
    },
    {
      table: 'recording_chunks',
      about: "chunks received (sizes and times; the audio is in the recording's files)",
      subject: 'customer',
      columns: { recording_id: 'link', segment: 'meta', seq: 'meta', bytes: 'meta', received_at: 'meta' },
      find: { interactionColumn: 'recordings.interaction_id via recording_id' },
      erase: { kind: 'delete' },
      retention: 'recordings',
    },
    {
      table: 'recording_segments',
      about: 'segments of a recording made across app reloads',
      subject: 'customer',
      columns: { recording_id: 'link', segment: 'meta', last_seq: 'meta' },
      find: { interactionColumn: 'recordings.interaction_id via recording_id' },
      erase: { kind: 'delete' },
      retention: 'recordings',
    },
  ],
  files: [
    {
      location: 'recordings/<recording id>.chunks/ and recordings/<recording id>.webm (in the data dir, or objects of the same names in the VEILDESK_S3_BUCKET bucket)',
      about: 'the audio, and the screen video of screen recordings: chunks as uploaded, and the assembled file (0600 on disk, private objects in a bucket; sealed with AES-256-GCM when VEILDESK_RECORDINGS_KEY is set); assembly work files under recordings-work/ only while a recording is being assembled',
      subject: 'customer',
      find: { interactionColumn: 'recordings.interaction_id' },
      erase: { kind: 'delete' },
      retention: 'recordings',
    },
  ],
  localCache: [{ kind: 'recorder-queue', about: 'audio and screen-video chunks waiting for upload on the agent machine (sealed), dropped when their interaction is erased', subject: 'customer' }],
};
