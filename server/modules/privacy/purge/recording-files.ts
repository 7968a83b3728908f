import type { RecordingService } from '../../recordings/recording-service';
import type { PurgeFileStore } from './purger';

/** Recordings' audio (chunk files, work files, the assembled file) as the purger reaches it: one key per recording. */
export function recordingFiles(recordings: Pick<RecordingService, 'removeErased'>): PurgeFileStore {
  return {
    store: 'recording-files',
    retention: 'recordings',
    keysFor: async (db, interactionIds) => (await db.selectFrom('recordings').select('id').where('interaction_id', 'in', [...interactionIds]).execute()).map((r) => r.id),
    remove: (recordingId) => recordings.removeErased(recordingId),
  };
}
