import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PRIVATE_FILE_MODE } from '../../../kernel/private-files';
import type { WebmJoiner } from './ffmpeg-joiner';
import type { SegmentChunks } from './recording-storage';

export type JoinOutcome = { ok: true; output: string } | { ok: false; reason: string };

/**
 * One WebM from several segments, for every store: each segment written as its own plain file in
 * `work` (a private folder the caller made and removes; ffmpeg reads plain WebM), then joined into
 * `work/joined.webm`, made 0600 at once. A failure is a reason for the recording's metadata, not a throw.
 */
export async function joinSegments(
  work: string,
  segments: readonly SegmentChunks[],
  plainChunks: (segment: SegmentChunks) => AsyncIterable<Buffer>,
  joiner: WebmJoiner | null,
): Promise<JoinOutcome> {
  if (!joiner) return { ok: false, reason: 'segments cannot be joined: this server has no joiner (ffmpeg) configured' };
  const available = await joiner.available();
  if (!available.ok) return { ok: false, reason: `segments not joined: ${available.reason}; the server joins them at its next start` };
  try {
    const inputs: string[] = [];
    for (const segment of segments) {
      const file = path.join(work, `segment-${segment.segment}.webm`);
      await pipeline(plainChunks(segment), fs.createWriteStream(file, { mode: PRIVATE_FILE_MODE, flags: 'wx' }));
      inputs.push(file);
    }
    const output = path.join(work, 'joined.webm');
    await joiner.join(inputs, output);
    // ffmpeg creates its output with the process umask: private before anything else happens to it.
    await fsp.chmod(output, PRIVATE_FILE_MODE);
    return { ok: true, output };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
