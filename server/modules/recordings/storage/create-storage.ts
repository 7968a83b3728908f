import path from 'node:path';
import type { ServerConfig } from '../../../config';
import { DiskRecordingStorage } from './disk-storage';
import type { WebmJoiner } from './ffmpeg-joiner';
import { KeyRing } from './key-ring';
import type { RecordingStorage } from './recording-storage';

export type StorageConfig = Pick<ServerConfig, 'dataDir' | 's3' | 'recordingsKey' | 'recordingsOldKeys'>;

/**
 * The recordings store the config names: S3-compatible object storage when VEILDESK_S3_BUCKET is
 * set, else files under `<dataDir>/recordings`. The AWS SDK is loaded only when a bucket is
 * configured (a disk install never pays for it).
 */
export function createRecordingStorage(config: StorageConfig, joiner: WebmJoiner | null): RecordingStorage & { readonly kind: 'disk' | 's3' } {
  const keys = KeyRing.fromBase64(config.recordingsKey, config.recordingsOldKeys);
  const s3 = config.s3;
  if (!s3) return Object.assign(new DiskRecordingStorage(path.join(config.dataDir, 'recordings'), joiner, keys), { kind: 'disk' as const });
  // Work files of assemblies (chunks fetched for ffmpeg) stay in the private data dir, never in a shared /tmp.
  const workRoot = path.join(config.dataDir, 'recordings-work');
  let loading: Promise<RecordingStorage> | undefined;
  let loaded: RecordingStorage | undefined;
  const store = () =>
    (loading ??= import('./s3-storage').then(({ S3RecordingStorage, s3Client }) => (loaded = new S3RecordingStorage(s3Client(s3), s3.bucket, workRoot, joiner, keys))));
  return {
    kind: 's3',
    putChunk: async (...args) => (await store()).putChunk(...args),
    assemble: async (...args) => (await store()).assemble(...args),
    openAudio: async (...args) => (await store()).openAudio(...args),
    remove: async (...args) => (await store()).remove(...args),
    resealAll: async () => (await store()).resealAll(),
    check: async () => (await store()).check?.(),
    close: () => loaded?.close?.(),
  };
}
