import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { ensurePrivateDirSync, makePrivateSync, PRIVATE_FILE_MODE } from '../kernel/private-files';
import { migrations } from './migrations/index';
import { ImmediateSqliteDialect } from './sqlite-immediate';
import { withStatementCache } from './statement-cache';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer';
import type { Database } from './schema';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** SQLite only, when opened with backgroundCheckpoints: runs a WAL checkpoint now (tests). */
  checkpointer?: WalCheckpointer;
  /**
   * After an erase or purge: makes deleted bytes leave the files. SQLite (secure_delete on, so freed
   * pages and cells are zeros): checkpoints the WAL and truncates it to zero bytes, trying a few
   * times while a reader holds it; false when it could not (the next scrub or the server's stop
   * does it). PostgreSQL: true, nothing to do here; dead tuples stay until VACUUM (docs/operations.md).
   */
  scrub(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * For the long-running server: WAL checkpoints in a worker thread instead of inside a commit
   * (see wal-checkpointer.ts). Short-lived tools keep SQLite's automatic checkpoints.
   */
  backgroundCheckpoints?: { intervalMs?: number; onError(message: string): void };
  /** PostgreSQL: told when an idle pooled connection fails (it is replaced on the next query). */
  onConnectionError?(message: string): void;
}

/**
 * Opens the database: PostgreSQL when a URL is given, else the embedded SQLite file under dataDir.
 * Both go through the same Kysely query layer; only this file knows which one is underneath.
 */
export function openDatabase(opts: { dataDir: string; databaseUrl?: string | undefined }, open: OpenOptions = {}): Db {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // An idle connection the server closed (restart, failover, an administrator) is dropped from
    // the pool and the next query opens a new one; without a listener the error would end the process.
    pool.on('error', (err) => open.onConnectionError?.(`a PostgreSQL connection was closed: ${err.message}`));
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, dialect: 'postgres', scrub: async () => true, close: () => kysely.destroy() };
  }
  ensurePrivateDirSync(opts.dataDir);
  const file = path.join(opts.dataDir, 'veildesk.sqlite');
  // SQLite creates the file 0644 and gives its -wal and -shm the database file's mode: create it
  // 0600 first (and set an existing one, and its companions, to 0600).
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) makePrivateSync(f);
  const sqlite = new SQLite(file);
  // WAL keeps readers unblocked while the single writer appends; foreign keys are off by default in SQLite.
  sqlite.pragma('journal_mode = WAL');
  // In WAL mode NORMAL still never corrupts the database; it syncs at checkpoints instead of every
  // commit, which is what lets one process store thousands of chat messages a second.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted rows are overwritten with zeros, not just unlinked: an erased message is not left in
  // free pages of the file (issue 14). scrub() then empties the WAL of their old copies.
  sqlite.pragma('secure_delete = ON');
  const kysely = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  const truncateHere = async () => !(sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0]?.busy;
  const background = open.backgroundCheckpoints;
  if (!background) return { kysely, dialect: 'sqlite', scrub: truncateHere, close: () => kysely.destroy() };
  sqlite.pragma('wal_autocheckpoint = 0');
  const checkpointer = startWalCheckpointer({
    file,
    intervalMs: background.intervalMs ?? 1000,
    onError: (message) => {
      // Without checkpoints the WAL would grow without bound: hand them back to SQLite.
      if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
      background.onError(`${message}; falling back to SQLite's automatic checkpoints`);
    },
  });
  return {
    kysely,
    dialect: 'sqlite',
    checkpointer,
    // In the worker: the TRUNCATE checkpoint syncs the file and must not stall the event loop.
    scrub: async () => {
      for (let attempt = 0; attempt < 3; attempt++) if (!(await checkpointer.checkpointNow('TRUNCATE')).busy) return true;
      return false;
    },
    close: async () => {
      await checkpointer.stop();
      await kysely.destroy();
    },
  };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`Database migration failed${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
