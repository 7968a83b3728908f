import { MAX_PULL_LIMIT, MAX_PUSH_MUTATIONS, type SyncMutation } from '../../../shared';
import { ApiError } from '../../net/api-client';
import { type BackoffOptions, backoffDelay } from '../../../browser/net/backoff';
import { type ApplyStats, type PreparedChanges, applyInTransaction, prepareChanges } from '../apply-changes';
import { type FieldCipher } from '../crypto/field-cipher';
import { type LocalDb } from '../db';
import { type PushOutcome, nextBatch, settlePush } from '../outbox';
import { type BackfillProgress } from '../records';
import { purgeExpired } from '../retention';
import { ChangeNotifier } from './change-notifier';
import { type FetchedPage, PagePrefetcher } from './page-prefetch';
import { readOutOfBand, writePulledPage } from './page-writer';
import { type SyncTransport } from './transport';

/** Tables a page writes to (for live-query notifications). */
function tablesOf(p: PreparedChanges): string[] {
  const tables: string[] = [];
  if (p.interactions.length) tables.push('interactions');
  if (p.contacts.length) tables.push('contacts');
  if (p.messages.length) tables.push('messages');
  if (p.notes.length) tables.push('notes');
  if (p.wrapups.length) tables.push('wrapups');
  if (p.queues.length) tables.push('queues');
  if (p.settings.length) tables.push('settings');
  // A tombstone can remove rows of any data table.
  if (p.tombstones.length) tables.push('interactions', 'contacts', 'messages', 'notes', 'wrapups', 'queues', 'settings', 'outbox', 'chatOutbox', 'problems');
  return tables;
}

/**
 * The sync leader's loop. Pull: the newest interactions first (head), then the change log from the
 * stored cursor in pages, each page written with its cursor in one transaction, so a crash
 * between pages resumes at the first page not written. Push: the outbox in order, in batches,
 * settled with the server's answers. Failures retry with backoff; a nudge, a new outbox entry or
 * coming back online runs it again at once.
 */

export interface SyncEngineOptions {
  db: LocalDb;
  cipher: FieldCipher;
  transport: SyncTransport;
  /** Changes per pull request (server max 2000). */
  pageSize?: number;
  /** Pages fetched ahead of the one being written. */
  prefetchPages?: number;
  /** Each pull page once stored: 'quick' (plain puts, sync/page-writer.ts) or 'careful' (version by version). */
  onPageWritten?(how: 'quick' | 'careful'): void;
  /** Live queries hear about pulled pages at most this often (ms); the last page at once. */
  notifyEveryMs?: number;
  /** Interactions shown first. */
  headLimit?: number;
  pushBatch?: number;
  backoff?: BackoffOptions;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Push answers that need the user's attention (conflicts, refusals) are in the problems table; this hears every outcome. */
  onPushed?(outcome: PushOutcome): void;
  /** The session is no longer valid: stop and let the app sign out. */
  onUnauthenticated?(): void;
  /** An unexpected failure, for the console; the loop retries by itself. */
  onError?(error: unknown): void;
}

/**
 * The newest `limit` interactions (with contacts, wrap-ups, notes, queues and settings; no
 * messages) in one transaction, with the backfill's starting progress. Safe to repeat: versions
 * decide, and the backfill brings the same records again.
 */
export async function loadHead(o: { db: LocalDb; cipher: FieldCipher; transport: SyncTransport; limit: number; now?: () => number }): Promise<BackfillProgress> {
  const head = await o.transport.head(o.limit);
  const prepared = await prepareChanges(head.changes, o.cipher);
  const progress: BackfillProgress = { applied: 0, total: head.totalChanges, done: head.totalChanges === 0 };
  await applyInTransaction(o.db, prepared, async () => {
    // A backfill another context already started keeps its own progress.
    const existing = await o.db.meta.get('backfill');
    await o.db.meta.bulkPut([
      { key: 'head', value: { at: new Date((o.now ?? Date.now)()).toISOString(), totalInteractions: head.totalInteractions } },
      ...(existing ? [] : [{ key: 'backfill' as const, value: progress }]),
    ]);
  });
  return progress;
}

export const SYNC_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000, jitter: 0.3 };

export class SyncEngine {
  private wantPull = false;
  private wantPush = false;
  private running: Promise<void> | null = null;
  private stopped = false;
  private attempt = 0;
  private retryTimer: unknown = null;
  private cursor: string | null = null;
  private readonly notifier: ChangeNotifier;
  private readonly o: Required<Pick<SyncEngineOptions, 'pageSize' | 'prefetchPages' | 'headLimit' | 'pushBatch' | 'backoff' | 'now'>> & SyncEngineOptions;

  constructor(options: SyncEngineOptions) {
    this.o = { pageSize: MAX_PULL_LIMIT, prefetchPages: 4, headLimit: 200, pushBatch: MAX_PUSH_MUTATIONS, backoff: SYNC_BACKOFF, now: Date.now, ...options };
    this.notifier = new ChangeNotifier(this.o.db, { intervalMs: this.o.notifyEveryMs, now: this.o.now, setTimer: this.o.setTimer, clearTimer: this.o.clearTimer });
  }

  /** Push what waits, then pull everything new (the first time: head, then the backfill). */
  start(): void {
    this.wantPull = true;
    this.wantPush = true;
    this.kick();
  }

  /** The server has changes up to `cursor`; pulls unless we already have them. */
  nudge(cursor?: string): void {
    if (cursor !== undefined && this.cursor !== null && Number(cursor) <= Number(this.cursor)) return;
    this.wantPull = true;
    this.kick();
  }

  pushSoon(): void {
    this.wantPush = true;
    this.kick();
  }

  /** Back online (or the user asked): skip the backoff wait. */
  retryNow(): void {
    this.attempt = 0;
    if (this.retryTimer !== null) {
      (this.o.clearTimer ?? clearTimeout)(this.retryTimer as ReturnType<typeof setTimeout>);
      this.retryTimer = null;
    }
    this.wantPull = true;
    this.wantPush = true;
    this.kick();
  }

  /** Resolves when the current run (if any) is over; for tests and orderly shutdown. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) (this.o.clearTimer ?? clearTimeout)(this.retryTimer as ReturnType<typeof setTimeout>);
    this.retryTimer = null;
  }

  private kick(): void {
    if (this.running || this.stopped || this.retryTimer !== null) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      // Something asked for work while the last step of the run was finishing.
      if ((this.wantPull || this.wantPush) && this.retryTimer === null) this.kick();
    });
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (this.wantPull || this.wantPush)) {
        if (this.wantPush) {
          this.wantPush = false;
          await this.pushAll();
        }
        if (this.wantPull) {
          this.wantPull = false;
          await this.pullAll();
        }
      }
      this.attempt = 0;
      await this.o.db.meta.bulkPut([
        { key: 'lastSync', value: new Date(this.o.now()).toISOString() },
        { key: 'lastError', value: null },
      ]);
    } catch (error) {
      if (this.stopped) return;
      if (error instanceof ApiError && error.code === 'unauthenticated') {
        this.stop();
        this.o.onUnauthenticated?.();
        return;
      }
      if (!(error instanceof ApiError)) this.o.onError?.(error);
      // Whatever was wanted is still wanted; try again after a pause.
      this.wantPull = true;
      this.wantPush = true;
      const delay = backoffDelay(this.attempt++, this.o.backoff);
      await this.o.db.meta.put({ key: 'lastError', value: { message: error instanceof Error ? error.message : String(error), at: new Date(this.o.now()).toISOString(), retryInMs: delay } }).catch(() => undefined);
      if (this.stopped) return;
      this.retryTimer = (this.o.setTimer ?? setTimeout)(() => {
        this.retryTimer = null;
        this.kick();
      }, delay);
    }
  }

  // ---- pull ----

  private async pullAll(): Promise<void> {
    const { db, cipher, transport, pageSize } = this.o;
    const [cursorRow, headRow, backfillRow] = await db.meta.bulkGet(['cursor', 'head', 'backfill']);
    let cursor = (cursorRow?.value as string | undefined) ?? '0';
    this.cursor = cursor;

    // First time on this computer: the newest interactions at once, so the shell is useful while the rest arrives.
    let backfill = (backfillRow?.value as BackfillProgress | undefined) ?? null;
    if (cursor === '0' && !headRow) backfill = await loadHead({ db, cipher, transport, limit: this.o.headLimit, now: this.o.now });

    let applied = backfill?.applied ?? 0;
    let tracking = !backfill?.done;
    // The out-of-band count as last read. Each request needs a value read before it was sent; an
    // older one is as safe (it can only send more pages the careful way). Reading it afresh for each
    // request would wait behind the page writes in flight (they hold the meta store) and so hold
    // every request until the previous page had committed; each page write reads it anyway.
    let knownOutOfBand: number | null = null;
    // Fetch (parse, validate) and seal the next pages while the current one is being written: the
    // server, WebCrypto and IndexedDB then work side by side instead of taking turns.
    const pages = new PagePrefetcher(cursor, {
      readOutOfBand: async () => (knownOutOfBand ??= await readOutOfBand(db)),
      pull: (after) => transport.pull(after, pageSize),
      prepare: (page) => prepareChanges(page.changes, cipher),
      depth: this.o.prefetchPages,
      stopped: () => this.stopped,
    });
    // A page's write is issued before the previous one has committed (IndexedDB runs them in
    // order), so its rows are being copied out while the previous page is stored. The page writer
    // refuses a page whose predecessor did not land (the stored cursor differs), and `finish`
    // then writes it the careful way, after its predecessor.
    type Issued = { fetched: FetchedPage; progress: BackfillProgress | null; write: Promise<ApplyStats | null>; checked: Promise<void> };
    /** Stores the page for good; false when it had to go the careful way. */
    const finish = async ({ fetched: { page, prepared }, progress, write }: Issued): Promise<boolean> => {
      const quick = await write;
      this.o.onPageWritten?.(quick ? 'quick' : 'careful');
      const stats =
        quick ??
        (await applyInTransaction(
          db,
          prepared,
          async () => {
            await db.meta.put({ key: 'cursor', value: page.cursor });
            if (progress) await db.meta.put({ key: 'backfill', value: progress });
          },
          { fromPull: true },
        ));
      this.notifier.changed([...tablesOf(prepared), db.meta.name], !page.hasMore);
      cursor = page.cursor;
      this.cursor = cursor;
      if (stats.retentionChanged) await purgeExpired(db, this.o.now());
      return quick !== null;
    };
    let inFlight: Issued | null = null;
    try {
      for (;;) {
        const fetched = await pages.take();
        const { after, outOfBand, page, prepared } = fetched;
        applied += page.changes.length;
        const progress: BackfillProgress | null = tracking ? { applied, total: applied + page.remaining, done: !page.hasMore } : null;
        if (!page.hasMore) tracking = false;
        const issue = (): Issued => {
          let checked: () => void = () => undefined;
          const checkedPromise = new Promise<void>((resolve) => (checked = resolve));
          const write = writePulledPage(db, prepared, {
            after, cursor: page.cursor, outOfBand, progress,
            onChecked: (outcome) => {
              knownOutOfBand = outcome.outOfBand;
              checked();
            },
          });
          // Reported by finish (a failed predecessor first); a write that never got to its checks releases the wait too.
          write.catch(() => undefined).finally(checked);
          return { fetched, progress, write, checked: checkedPromise };
        };
        const previous: Issued | null = inFlight;
        // Let the previous page's checks run (and its commit go out) before this thread is busy
        // copying this page's rows; otherwise the database finishes that page and then waits.
        if (previous) await previous.checked;
        inFlight = issue();
        // A predecessor written the careful way landed after this write was issued, which then
        // found the wrong cursor: issue it again, behind it.
        if (previous && !(await finish(previous))) inFlight = issue();
        if (!page.hasMore || this.stopped) break;
        // The agent's own changes should not wait for a long backfill.
        if (this.wantPush) {
          const current: Issued = inFlight;
          inFlight = null;
          await finish(current);
          this.wantPush = false;
          await this.pushAll();
        }
      }
      if (inFlight) {
        const last: Issued = inFlight;
        inFlight = null;
        await finish(last);
      }
    } finally {
      this.notifier.flush();
    }
  }

  // ---- push ----

  private async pushAll(): Promise<void> {
    const deps = { db: this.o.db, cipher: this.o.cipher, now: this.o.now };
    for (;;) {
      if (this.stopped) return;
      const { rows, mutations } = await nextBatch(deps, this.o.pushBatch);
      if (rows.length === 0) return;
      await this.pushBatch(mutations);
    }
  }

  private async pushBatch(mutations: SyncMutation[]): Promise<void> {
    const deps = { db: this.o.db, cipher: this.o.cipher, now: this.o.now };
    let response;
    try {
      response = await this.o.transport.push(mutations);
    } catch (error) {
      // The request itself was refused (not a network fault): find the one at fault, keep the rest.
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 408 && error.status !== 429) {
        if (mutations.length > 1) {
          for (const m of mutations) await this.pushBatch([m]);
          return;
        }
        const [only] = mutations;
        if (only) {
          const outcome = await settlePush(deps, mutations, [{ mutationId: only.mutationId, status: 'rejected', changes: [], error: { code: 'bad_request', message: error.message } }]);
          this.o.onPushed?.(outcome);
        }
        return;
      }
      await this.o.db.outbox.where('mutationId').anyOf(mutations.map((m) => m.mutationId)).modify((row) => {
        row.attempts += 1;
        row.lastError = error instanceof Error ? error.message : String(error);
      });
      throw error;
    }
    const outcome = await settlePush(deps, mutations, response.results);
    this.o.onPushed?.(outcome);
    // Unanswered mutations stay in the outbox; retry later rather than loop on them now.
    if (response.results.length < mutations.length) throw new Error('The server did not answer every change; they will be sent again.');
  }
}
