import { MAX_STARTED_AGO_MS } from '../../../shared/api/recordings';
import { routePath, routes } from '../../../shared/api/routes';
import { apiUrl } from '../../net/urls';
import { type ChunkQueue, type QueuedChunk, type QueuedClose, type QueuedOwner, type SegmentLastSeq } from './chunk-queue';

export interface UploaderOptions {
  queue: ChunkQueue;
  /**
   * The token of the session signed in to this server as this user (`userId` undefined: a chunk
   * from before owners were kept, any session of the server), else null: that user's chunks wait.
   */
  tokenFor(serverUrl: string, userId: string | undefined): string | null;
  fetch?: typeof fetch;
  /** Retry delays after a failed upload, growing up to the last one. */
  retryDelaysMs?: readonly number[];
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  onError?(message: string): void;
  now?: () => number;
}

const DEFAULT_RETRIES = [1000, 2000, 4000, 8000];

/**
 * Uploads recording chunks in (recording, seq) order from the queue: each chunk is stored in the
 * queue first, then sent, and only deleted once the server acknowledged it (a re-upload is stored
 * once there). A failure stops the pass and retries later with backoff; `flush` retries at once
 * (the connection came back, a session started). A recording's close is sent after its chunks.
 * Chunks and closes of a user who is not signed in now are not read, sent or dropped: they wait
 * for that user's next session (another agent on the same machine never uploads them).
 */
export class ChunkUploader {
  private flushing: Promise<void> | null = null;
  private again = false;
  private timer: unknown = null;
  private failures = 0;
  private disposed = false;

  constructor(private readonly options: UploaderOptions) {}

  /** Keeps the chunk (IndexedDB) and tries to send it. */
  async enqueue(chunk: QueuedChunk): Promise<void> {
    await this.options.queue.putChunk(chunk);
    void this.flush();
  }

  /** Queues the close of a recording with each segment's last seq; sent after its chunks, with its recorder's session. */
  async enqueueClose(recordingId: string, segments: SegmentLastSeq[], serverUrl: string, userId: string): Promise<void> {
    await this.options.queue.putClose({ recordingId, segments, serverUrl, userId });
    void this.flush();
  }

  /** Sends everything waiting; concurrent calls share one pass (and ask for one more after it). */
  flush(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      do {
        this.again = false;
        await this.pass();
      } while (this.again && !this.disposed);
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) (this.options.clearTimer ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>);
    this.timer = null;
  }

  private async pass(): Promise<void> {
    const { queue } = this.options;
    let ok = true;
    // Only what the signed-in user recorded is read (decrypted) and sent. Decided once per owner and
    // pass: the queue reads lazily, and a sign-in landing mid-read must not let a recording's later
    // chunks through without its earlier ones.
    const decided = new Map<string, boolean>();
    const signedIn = (owner: Pick<QueuedOwner, 'serverUrl' | 'userId'>) => {
      const key = `${owner.serverUrl}\u0000${owner.userId ?? ''}`;
      let yes = decided.get(key);
      if (yes === undefined) decided.set(key, (yes = this.options.tokenFor(owner.serverUrl, owner.userId) !== null));
      return yes;
    };
    try {
      const chunks = await queue.chunks(signedIn);
      for (const chunk of chunks) {
        if (!(await this.send(chunk))) {
          ok = false;
          break;
        }
      }
      if (ok) {
        const waiting = new Set((await queue.chunks(signedIn)).map((c) => c.recordingId));
        for (const close of await queue.closes()) {
          if (waiting.has(close.recordingId) || !signedIn(close)) continue;
          if (!(await this.sendClose(close))) {
            ok = false;
            break;
          }
        }
      }
    } catch {
      ok = false;
    }
    if (ok) {
      this.failures = 0;
      return;
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.disposed || this.timer !== null) return;
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRIES;
    const delay = delays[Math.min(this.failures, delays.length - 1)] ?? 1000;
    this.failures += 1;
    this.timer = (this.options.setTimer ?? setTimeout)(() => {
      this.timer = null;
      void this.flush();
    }, delay);
  }

  private async post(url: string, owner: Pick<QueuedOwner, 'serverUrl' | 'userId'>, init: RequestInit): Promise<'ok' | 'retry' | 'drop'> {
    // Asked again right before sending: the user may have signed out since the pass began.
    const token = this.options.tokenFor(owner.serverUrl, owner.userId);
    if (!token) return 'retry';
    try {
      const res = await (this.options.fetch ?? fetch)(url, { ...init, method: 'POST', headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
      if (res.ok) return 'ok';
      // 403/404/400/413: this chunk will never be accepted; keeping it would block the rest.
      if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 408 && res.status !== 429) {
        this.options.onError?.(`A recording chunk was refused by the server (${res.status}).`);
        return 'drop';
      }
      return 'retry';
    } catch {
      return 'retry';
    }
  }

  private async send(chunk: QueuedChunk): Promise<boolean> {
    const segment = chunk.segment ?? 0;
    const path = routePath(routes.recordingChunk, { recordingId: chunk.recordingId, segment, seq: chunk.seq });
    // How long ago its recorder started, measured now: differences of this clock only, so the server's clock places the start.
    const ago = chunk.mediaStartedAt === undefined ? undefined : Math.max(0, Math.round((this.options.now ?? Date.now)() - chunk.mediaStartedAt));
    const url = apiUrl(chunk.serverUrl, ago !== undefined && ago <= MAX_STARTED_AGO_MS ? `${path}?startedAgoMs=${ago}` : path);
    const outcome = await this.post(url, chunk, { headers: { 'content-type': 'audio/webm' }, body: chunk.data });
    if (outcome === 'retry') return false;
    await this.options.queue.deleteChunk(chunk.recordingId, segment, chunk.seq);
    return true;
  }

  private async sendClose(close: QueuedClose): Promise<boolean> {
    const url = apiUrl(close.serverUrl, routePath(routes.closeRecording, { id: close.recordingId }));
    const body = close.segments ? { segments: close.segments } : { lastSeq: close.lastSeq ?? -1 };
    const outcome = await this.post(url, close, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (outcome === 'retry') return false;
    await this.options.queue.deleteClose(close.recordingId);
    await this.options.queue.forget(close.recordingId);
    return true;
  }
}
