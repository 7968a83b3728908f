import { type SyncPullResponse } from '../../../shared';
import { type PreparedChanges } from '../apply-changes';

/** A pulled page, sealed and ready to write, with what the page writer must check. */
export interface FetchedPage {
  after: string;
  /** The out-of-band write count read just before the page was requested. */
  outOfBand: number;
  page: SyncPullResponse;
  prepared: PreparedChanges;
}

export interface PrefetchDeps {
  readOutOfBand(): Promise<number>;
  pull(after: string): Promise<SyncPullResponse>;
  prepare(page: SyncPullResponse): Promise<PreparedChanges>;
  /** Pages fetched ahead of the writer (requested, in flight or waiting). */
  depth: number;
  stopped(): boolean;
}

/**
 * Pulls pages one after another, up to `depth` ahead of the writer: the next request goes out as
 * soon as the previous answer names its cursor, so the server prepares page N+1 while page N is
 * sealed and written. A failed request fails the page it was for (when the writer reaches it) and
 * stops fetching.
 */
export class PagePrefetcher {
  private readonly queue: Promise<FetchedPage>[] = [];
  /** Where the next request starts, once the last one answered; null while it is in flight or after the end. */
  private nextAfter: string | null;

  constructor(
    start: string,
    private readonly d: PrefetchDeps,
  ) {
    this.nextAfter = start;
    this.pump();
  }

  /** The next page in cursor order. */
  take(): Promise<FetchedPage> {
    const next = this.queue.shift();
    this.pump();
    if (!next) throw new Error('no page requested: the previous page was the last');
    return next;
  }

  private pump(): void {
    if (this.nextAfter === null || this.queue.length >= this.d.depth || this.d.stopped()) return;
    const after = this.nextAfter;
    this.nextAfter = null;
    const answered = this.d.readOutOfBand().then(async (outOfBand) => ({ after, outOfBand, page: await this.d.pull(after) }));
    answered.then(
      ({ page }) => {
        if (page.hasMore) {
          this.nextAfter = page.cursor;
          this.pump();
        }
      },
      () => undefined,
    );
    const ready = answered.then(async (a) => ({ ...a, prepared: await this.d.prepare(a.page) }));
    ready.catch(() => undefined); // reported when the writer takes it
    this.queue.push(ready);
  }
}
