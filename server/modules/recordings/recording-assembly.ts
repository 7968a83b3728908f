import { SerialQueue } from '../interactions/live';
import type { RecordingsRepo } from './recordings-repo';
import type { RecordingStorage, SegmentChunks } from './storage/recording-storage';

/** Makes a recording's one audio file from its stored chunks, one recording operation at a time. */
export class RecordingAssembly {
  private readonly queues = new Map<string, SerialQueue>();

  constructor(
    private readonly deps: {
      repo: RecordingsRepo;
      storage: RecordingStorage;
      log?: { error(obj: object, msg: string): void; warn?(obj: object, msg: string): void };
    },
  ) {}

  /** Chunk writes and assembly of one recording, one at a time. */
  queue(recordingId: string): SerialQueue {
    let q = this.queues.get(recordingId);
    if (!q) {
      q = new SerialQueue();
      this.queues.set(recordingId, q);
    }
    return q;
  }

  /** Assembles after what is queued for this recording; a failure is logged, not thrown. */
  assemble(recordingId: string): Promise<void> {
    return this.queue(recordingId)
      .run(() => this.assembleNow(recordingId))
      .catch((err: unknown) => this.deps.log?.error({ err, recordingId }, 'recordings: assembling failed'));
  }

  /** Makes the one file from the stored chunks: per segment in seq order, segments joined in order. */
  async assembleNow(recordingId: string): Promise<void> {
    const chunks = await this.deps.repo.chunks(recordingId);
    if (chunks.length === 0) return;
    const segments: SegmentChunks[] = [];
    for (const c of chunks) {
      const last = segments.at(-1);
      if (last?.segment === c.segment) (last.seqs as number[]).push(c.seq);
      else segments.push({ segment: c.segment, seqs: [c.seq] });
    }
    const result = await this.deps.storage.assemble(recordingId, segments);
    if (result.assembly === 'unjoined') this.deps.log?.warn?.({ recordingId, note: result.note }, 'recordings: segments not joined into one stream');
    await this.deps.repo.update(recordingId, { assembled_bytes: result.bytes, assembly: result.assembly, assembly_note: result.note });
  }
}
