import { liveQuery, type Subscription } from 'dexie';
import { type FieldCipher } from '../crypto/field-cipher';
import { type LocalDb } from '../db';
import { purgeExpired } from '../retention';
import { SyncEngine, type SyncEngineOptions } from './engine';
import { type LeaderHandle, type LockManagerLike, electLeader } from './leader';
import { type SyncTransport } from './transport';

export interface SyncHostOptions {
  db: LocalDb;
  cipher: FieldCipher;
  transport: SyncTransport;
  lockName: string;
  /** undefined: the browser's Web Locks; null: always lead. */
  locks?: LockManagerLike | null;
  engine?: Partial<SyncEngineOptions>;
  onUnauthenticated?(): void;
  onLeader?(leading: boolean): void;
  log?(message: string, detail?: unknown): void;
}

/**
 * Runs the sync engine while this context is the leader: purge at start, pull and push, and a
 * push whenever any tab adds to the outbox. Used in the sync worker, or in the page where workers
 * are not available (tests).
 */
export class SyncHost {
  private engine: SyncEngine | null = null;
  private leader: LeaderHandle | null = null;
  private watch: Subscription | null = null;

  constructor(private readonly o: SyncHostOptions) {}

  get isLeader(): boolean {
    return this.engine !== null;
  }

  start(): void {
    if (this.leader) return;
    this.leader = electLeader(
      this.o.lockName,
      () => {
        const engine = new SyncEngine({
          db: this.o.db,
          cipher: this.o.cipher,
          transport: this.o.transport,
          onUnauthenticated: () => this.o.onUnauthenticated?.(),
          onError: (error) => this.o.log?.('sync failed; retrying', error),
          ...this.o.engine,
        });
        this.engine = engine;
        this.o.onLeader?.(true);
        void purgeExpired(this.o.db).catch((error: unknown) => this.o.log?.('retention purge failed', error));
        engine.start();
        this.watch = liveQuery(() => this.o.db.outbox.count()).subscribe({
          next: (n) => {
            if (n > 0) engine.pushSoon();
          },
          error: () => undefined,
        });
        return () => {
          this.watch?.unsubscribe();
          this.watch = null;
          engine.stop();
          if (this.engine === engine) this.engine = null;
          this.o.onLeader?.(false);
        };
      },
      this.o.locks,
    );
  }

  nudge(cursor?: string): void {
    this.engine?.nudge(cursor);
  }

  online(): void {
    this.engine?.retryNow();
  }

  stop(): void {
    this.leader?.release();
    this.leader = null;
  }
}
