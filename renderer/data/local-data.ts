import { type User } from '../../shared';
import { applyInTransaction, prepareChanges } from './apply-changes';
import { type FieldCipher, LocalDataUnreadableError, createFieldCipher } from './crypto/field-cipher';
import { type KeyKeeping, type LocalKeyProvider } from './crypto/local-key';
import { LocalDb, dbNameFor, localScope } from './db';
import { type PendingChatMessage, dropChatMessage, pendingChatMessages, storeChatMessage } from './chat-outbox';
import { type Author, type OutboxDeps, deleteNote, editNote, writeNote, writeWrapup } from './outbox';
import { type SyncEngineOptions, loadHead } from './sync/engine';
import { type LockManagerLike } from './sync/leader';
import { SyncHost } from './sync/sync-host';
import { type SyncTransport } from './sync/transport';
import { type SyncWorkerCommand, type SyncWorkerEvent } from './sync/worker-protocol';

/** Everything with side effects the local data needs; the browser's by default, fakes in tests. */
export interface LocalDataEnv {
  keys: LocalKeyProvider;
  createTransport(serverUrl: string, token: string): SyncTransport;
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  /** null: no Web Locks (this context always leads). */
  locks?: LockManagerLike | null;
  engine?: Partial<SyncEngineOptions>;
  log?: (message: string, detail?: unknown) => void;
  /** Runs sync in a worker (sync/sync-worker.ts) off the page's main thread; without it, sync runs in the page. */
  createSyncWorker?: () => Worker;
  /** Timers for trying a locked local data again (tests drive them). */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

const KEY_CHECK = 'veildesk local data key check';

/**
 * The database holds data sealed with another key than the one the keychain gives now (the key was
 * removed, or the keychain was reset). Nothing is deleted: the data stays closed until the user
 * chooses to remove it (`waiting` changes not yet sent would go with it).
 */
export class LocalDataKeyMismatchError extends Error {
  constructor(
    readonly scope: string,
    readonly waiting: number,
  ) {
    super('The data kept on this computer was encrypted with a key this computer no longer has.');
    this.name = 'LocalDataKeyMismatchError';
  }
}

export interface OpenOptions {
  user: User;
  serverUrl: string;
  token: string;
}

/**
 * One signed-in user's local data: the database, its key, and (in the leading tab) the sync engine.
 * Opening checks that the key still opens what the database holds. Nothing is ever deleted here:
 * a key that cannot be had now throws LocalKeyUnavailableError (the keychain may come back), a key
 * that does not open the database throws LocalDataKeyMismatchError (only the user removes it).
 */
export class LocalDataSession {
  readonly scope: string;
  private host: SyncHost | null = null;
  private worker: Worker | null = null;
  private leading = false;
  private syncStarted = false;
  private transport: SyncTransport;
  private closed = false;
  /** Set by the app: the session ended on the server while syncing. */
  onUnauthenticated: (() => void) | null = null;

  private constructor(
    private readonly env: LocalDataEnv,
    readonly db: LocalDb,
    readonly cipher: FieldCipher,
    readonly keeping: KeyKeeping,
    readonly warning: string | null,
    private readonly author: Author,
    private readonly key: CryptoKey,
    private readonly opts: OpenOptions,
  ) {
    this.scope = localScope(opts.user.id, opts.serverUrl);
    this.transport = env.createTransport(opts.serverUrl, opts.token);
  }

  static async open(env: LocalDataEnv, opts: OpenOptions): Promise<LocalDataSession> {
    const scope = localScope(opts.user.id, opts.serverUrl);
    // Throws LocalKeyUnavailableError before the database is touched.
    const key = await env.keys.get(scope);
    const cipher = createFieldCipher(key.key);
    const db = new LocalDb(dbNameFor(scope), { indexedDB: env.indexedDB, IDBKeyRange: env.IDBKeyRange });
    const check = await db.meta.get('keyCheck');
    if (check) {
      try {
        await cipher.open(check.value as Uint8Array, 'meta:keyCheck');
      } catch (error) {
        if (!(error instanceof LocalDataUnreadableError)) {
          db.close();
          throw error;
        }
        env.log?.('local data was sealed with a key this computer no longer has; it stays closed until the user removes it', { scope });
        const waiting = await db.outbox.count();
        db.close();
        throw new LocalDataKeyMismatchError(scope, waiting);
      }
    } else {
      await db.meta.put({ key: 'keyCheck', value: await cipher.seal(KEY_CHECK, 'meta:keyCheck') });
    }
    const author: Author = { id: opts.user.id, username: opts.user.username, displayName: opts.user.displayName };
    return new LocalDataSession(env, db, cipher, key.keeping, key.warning, author, key.key, opts);
  }

  /** Runs sync once this tab is the leader (in a worker where the host gives one); other tabs only read. */
  startSync(): void {
    if (this.closed || this.syncStarted) return;
    this.syncStarted = true;
    const lockName = `veildesk-sync:${this.scope}`;
    if (this.env.createSyncWorker) {
      void this.startWorker(lockName);
      return;
    }
    this.startInPage(lockName);
  }

  /**
   * First sign-in on this computer: the newest interactions are fetched here at once (one request,
   * while the worker would still be loading), then the worker takes over the backfill.
   */
  private async startWorker(lockName: string): Promise<void> {
    try {
      const [cursor, head] = await this.db.meta.bulkGet(['cursor', 'head']);
      if (!cursor && !head) await loadHead({ db: this.db, cipher: this.cipher, transport: this.transport, limit: this.env.engine?.headLimit ?? 200 });
    } catch (error) {
      // The worker's engine fetches the head itself and retries.
      this.env.log?.('could not load the newest interactions first', error);
    }
    if (this.closed) return;
    if (this.env.createSyncWorker) {
      try {
        const worker = this.env.createSyncWorker();
        worker.onmessage = (event: MessageEvent<SyncWorkerEvent>) => {
          const e = event.data;
          if (e.type === 'unauthenticated') this.onUnauthenticated?.();
          else if (e.type === 'leader') this.leading = e.leading;
          else this.env.log?.(e.message, e.detail);
        };
        this.worker = worker;
        this.send({ type: 'start', dbName: this.db.name, key: this.key, serverUrl: this.opts.serverUrl, token: this.opts.token, lockName });
        return;
      } catch (error) {
        this.env.log?.('sync worker unavailable; syncing in the page', error);
        this.worker = null;
      }
    }
    this.startInPage(lockName);
  }

  private startInPage(lockName: string): void {
    this.host = new SyncHost({
      db: this.db,
      cipher: this.cipher,
      transport: this.transport,
      lockName,
      locks: this.env.locks,
      engine: this.env.engine,
      onUnauthenticated: () => this.onUnauthenticated?.(),
      onLeader: (leading) => (this.leading = leading),
      log: this.env.log,
    });
    this.host.start();
  }

  private send(command: SyncWorkerCommand): void {
    this.worker?.postMessage(command);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** The WebSocket said there is something new. */
  nudge(cursor?: string): void {
    this.host?.nudge(cursor);
    this.send({ type: 'nudge', cursor });
  }

  /** The connection is back: send and fetch now instead of waiting out the backoff. */
  online(): void {
    this.host?.online();
    this.send({ type: 'online' });
  }

  private get outboxDeps(): OutboxDeps {
    return { db: this.db, cipher: this.cipher };
  }

  writeNote(interactionId: string, text: string): Promise<string> {
    return writeNote(this.outboxDeps, this.author, interactionId, text);
  }

  editNote(noteId: string, text: string): Promise<void> {
    return editNote(this.outboxDeps, noteId, text);
  }

  deleteNote(noteId: string): Promise<void> {
    return deleteNote(this.outboxDeps, noteId);
  }

  writeWrapup(interactionId: string, disposition: string, notes: string): Promise<void> {
    return writeWrapup(this.outboxDeps, this.author, interactionId, disposition, notes);
  }

  /** A chat message goes to the durable outbox before the socket sends it. */
  storeChatMessage(message: PendingChatMessage): Promise<void> {
    return storeChatMessage(this.outboxDeps, message);
  }

  /** The server acknowledged it (its echo), or the agent discarded it. */
  dropChatMessage(clientMsgId: string): Promise<void> {
    return dropChatMessage(this.outboxDeps, clientMsgId);
  }

  /** Chat messages of an interaction still waiting for the server (e.g. sent before a reload). */
  pendingChatMessages(interactionId: string): Promise<PendingChatMessage[]> {
    return pendingChatMessages(this.outboxDeps, interactionId);
  }

  /** A wrap-up of this interaction waits in the outbox (submitted offline). */
  async hasPendingWrapup(interactionId: string): Promise<boolean> {
    return (await this.db.outbox.where('interactionId').equals(interactionId).filter((o) => o.type === 'wrapup.submit').count()) > 0;
  }

  /** One interaction in full from the server (its transcript before the backfill reaches it). */
  async fetchInteraction(id: string): Promise<void> {
    const response = await this.transport.interaction(id);
    await applyInTransaction(this.db, await prepareChanges(response.changes, this.cipher));
  }

  async dismissProblem(id: number): Promise<void> {
    await this.db.problems.delete(id);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.host?.stop();
    this.host = null;
    this.send({ type: 'stop' });
    this.worker = null;
    this.db.close();
  }

  /** Deletes the database and forgets its key: nothing of this user stays readable on this computer. */
  async wipe(): Promise<void> {
    this.close();
    await this.db.delete();
    await this.env.keys.forget(this.scope);
  }
}

/** Wipes a scope's data without opening it (e.g. after sign-out, from the sign-in screen). */
export async function wipeScope(env: Pick<LocalDataEnv, 'keys' | 'indexedDB' | 'IDBKeyRange'>, scope: string): Promise<void> {
  const db = new LocalDb(dbNameFor(scope), { indexedDB: env.indexedDB, IDBKeyRange: env.IDBKeyRange });
  await db.delete();
  await env.keys.forget(scope);
}
