import { createRequire } from 'node:module';
import path from 'node:path';
import { findWorkerBinary } from '../../../server/modules/media/worker-binary';

/** Why this machine cannot run the SFU (no usable mediasoup worker), or null when it can. */
export function noMediasoupWorker(): string | null {
  let dir: string;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve('mediasoup/package.json'));
  } catch {
    return 'the mediasoup package is not installed';
  }
  const found = findWorkerBinary(dir);
  return 'reason' in found ? found.reason : null;
}
