import { SerialQueue } from '../interactions/live';
import type { RecordingsRepo } from './recordings-repo';
import type { RecordingStorage, SegmentChunks } from './storage/recording-storage';

/** A debounced assembly waits at most this many delays while chunks keep coming. */
const MAX_WAIT_DELAYS = 10;

/**
 * Makes a recording's one audio file from its stored chunks, one recording operation at a time.
 * Chunks that arrive after a recording closed ask for an assembly through `schedule`: it runs
 * once none came for `delayMs` (at most 10 delays after the first), so a burst of waiting chunks
 * costs one ffmpeg run, not one per chunk. A read of the audio or the agent's close runs a
 * scheduled one at once (`flush`).
 */
export class RecordingAssembly {
  private readonly queues = new Map<string, SerialQueue>();
  private readonly scheduled = new Map<string, { timer: ReturnType<typeof setTimeout>; since: number }>();

  constructor(
    private readonly deps: {
      repo: RecordingsRepo;
      storage: RecordingStorage;
      /** Quiet time after the last late chunk before assembling. */
      assemblyDelayMs?: number;
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
    this.cancel(recordingId);
    return this.queue(recordingId)
      .run(() => this.assembleNow(recordingId))
      .catch((err: unknown) => this.deps.log?.error({ err, recordingId }, 'recordings: assembling failed'));
  }

  /** Asks for an assembly once chunks stop coming (see the class comment). */
  schedule(recordingId: string): void {
    const delay = this.deps.assemblyDelayMs ?? 2000;
    const existing = this.scheduled.get(recordingId);
    const since = existing?.since ?? Date.now();
    if (existing) {
      // Chunks that never stop coming still get a file: past the longest wait, the timer stays.
      if (Date.now() - since >= delay * MAX_WAIT_DELAYS) return;
      clearTimeout(existing.timer);
    }
    const timer = setTimeout(() => void this.assemble(recordingId), delay);
    timer.unref?.();
    this.scheduled.set(recordingId, { timer, since });
  }

  /** Whether an assembly is waiting for chunks to stop coming. */
  isScheduled(recordingId: string): boolean {
    return this.scheduled.has(recordingId);
  }

  /** Runs a scheduled assembly now (a read, the agent's close); nothing scheduled: nothing to do. */
  async flush(recordingId: string): Promise<void> {
    if (this.scheduled.has(recordingId)) await this.assemble(recordingId);
  }

  /** At shutdown: the scheduled assemblies run now, so no file is left behind its chunks. */
  async flushAll(): Promise<void> {
    for (const id of [...this.scheduled.keys()]) await this.assemble(id);
  }

  private cancel(recordingId: string): void {
    const existing = this.scheduled.get(recordingId);
    if (existing) clearTimeout(existing.timer);
    this.scheduled.delete(recordingId);
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
