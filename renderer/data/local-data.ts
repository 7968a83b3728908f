import { liveQuery, type Subscription } from 'dexie';
import { type User } from '../../shared';
import { applyInTransaction, prepareChanges } from './apply-changes';
import { type FieldCipher, LocalDataUnreadableError, createFieldCipher } from './crypto/field-cipher';
import { type KeyKeeping, type LocalKeyProvider } from './crypto/local-key';
import { LocalDb, dbNameFor, localScope } from './db';
import { type Author, type OutboxDeps, deleteNote, editNote, writeNote, writeWrapup } from './outbox';
import { purgeExpired } from './retention';
import { SyncEngine, type SyncEngineOptions } from './sync/engine';
import { type LeaderHandle, type LockManagerLike, electLeader } from './sync/leader';
import { type SyncTransport } from './sync/transport';

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
}

const KEY_CHECK = 'veildesk local data key check';

export interface OpenOptions {
  user: User;
  serverUrl: string;
  token: string;
}

/**
 * One signed-in user's local data: the database, its key, and (in the leading tab) the sync engine.
 * Opening checks that the key still opens what the database holds; if not (key lost, keychain
 * reset), the unreadable copy is deleted and downloaded again.
 */
export class LocalDataSession {
  readonly scope: string;
  private engine: SyncEngine | null = null;
  private leader: LeaderHandle | null = null;
  private outboxWatch: Subscription | null = null;
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
    opts: OpenOptions,
  ) {
    this.scope = localScope(opts.user.id, opts.serverUrl);
    this.transport = env.createTransport(opts.serverUrl, opts.token);
  }

  static async open(env: LocalDataEnv, opts: OpenOptions): Promise<LocalDataSession> {
    const scope = localScope(opts.user.id, opts.serverUrl);
    const key = await env.keys.get(scope);
    const cipher = createFieldCipher(key.key);
    const dbOptions = { indexedDB: env.indexedDB, IDBKeyRange: env.IDBKeyRange };
    let db = new LocalDb(dbNameFor(scope), dbOptions);
    const check = await db.meta.get('keyCheck');
    if (check) {
      try {
        await cipher.open(check.value as Uint8Array, 'meta:keyCheck');
      } catch (error) {
        if (!(error instanceof LocalDataUnreadableError)) throw error;
        env.log?.('local data was sealed with a key this computer no longer has; starting again', { scope });
        await db.delete();
        db = new LocalDb(dbNameFor(scope), dbOptions);
      }
    }
    if (!(await db.meta.get('keyCheck'))) await db.meta.put({ key: 'keyCheck', value: await cipher.seal(KEY_CHECK, 'meta:keyCheck') });
    const author: Author = { id: opts.user.id, username: opts.user.username, displayName: opts.user.displayName };
    return new LocalDataSession(env, db, cipher, key.keeping, key.warning, author, opts);
  }

  /** Runs sync in this tab once it is the leader; other tabs wait their turn and only read. */
  startSync(): void {
    if (this.closed || this.leader) return;
    this.leader = electLeader(
      `veildesk-sync:${this.scope}`,
      () => {
        const engine = new SyncEngine({
          db: this.db,
          cipher: this.cipher,
          transport: this.transport,
          onUnauthenticated: () => this.onUnauthenticated?.(),
          onError: (error) => this.env.log?.('sync failed; retrying', error),
          ...this.env.engine,
        });
        this.engine = engine;
        void purgeExpired(this.db).catch((error: unknown) => this.env.log?.('retention purge failed', error));
        engine.start();
        // Changes written in any tab reach the outbox; the leader pushes them.
        this.outboxWatch = liveQuery(() => this.db.outbox.count()).subscribe({
          next: (n) => {
            if (n > 0) engine.pushSoon();
          },
          error: () => undefined,
        });
        return () => {
          this.outboxWatch?.unsubscribe();
          this.outboxWatch = null;
          engine.stop();
          if (this.engine === engine) this.engine = null;
        };
      },
      this.env.locks === undefined ? undefined : this.env.locks,
    );
  }

  get isLeader(): boolean {
    return this.engine !== null;
  }

  /** The WebSocket said there is something new. */
  nudge(cursor?: string): void {
    this.engine?.nudge(cursor);
  }

  /** The connection is back: send and fetch now instead of waiting out the backoff. */
  online(): void {
    this.engine?.retryNow();
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
    this.leader?.release();
    this.leader = null;
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
