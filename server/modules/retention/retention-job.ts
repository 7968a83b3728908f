import type { RetentionRun } from './retention-service';

export const RETENTION_INTERVAL_MS = 60 * 60_000;

/**
 * Runs the retention purge once at start and then every hour. Runs never overlap (a run asked for
 * while one works starts after it); the timer does not keep the process alive, and stop() waits for
 * the run in progress. A failed run is reported and the next one tries again.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly deps: {
      run: () => Promise<RetentionRun>;
      onError: (err: unknown) => void;
      intervalMs?: number;
    },
  ) {}

  start(): void {
    this.stopped = false;
    void this.runNow().catch(this.deps.onError);
    this.timer = setInterval(() => void this.runNow().catch(this.deps.onError), this.deps.intervalMs ?? RETENTION_INTERVAL_MS);
    this.timer.unref();
  }

  /** Runs now (after the run in progress, if any). */
  runNow(): Promise<RetentionRun> {
    if (this.stopped) return Promise.reject(new Error('retention: the job is stopped'));
    const next = this.tail.then(() => this.deps.run());
    this.tail = next.catch(() => undefined);
    return next;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.tail;
  }
}
