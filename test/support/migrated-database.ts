import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator } from 'kysely';
import { openDatabase, type Db } from '../../server/db/database';
import { migrations } from '../../server/db/migrations';
import { dropTestDatabase, emptyTestDatabase } from './test-database';

export interface ScratchDatabase {
  db: Db;
  /** Closes it and removes it (the data dir, and on PostgreSQL its database). */
  close(): Promise<void>;
}

/**
 * A new database of the test run's kind (SQLite file or PostgreSQL database) with every migration
 * before `firstLeftOut` applied (e.g. '021'), as an install of the previous version left it, for
 * tests of what a migration does to rows already stored. Throws if a migration fails.
 */
export async function databaseBefore(firstLeftOut: string): Promise<ScratchDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-mig-'));
  const db = openDatabase({ dataDir: dir, databaseUrl: await emptyTestDatabase(dir) });
  const close = async () => {
    await db.close();
    await dropTestDatabase(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < firstLeftOut));
  const { error } = await new Migrator({ db: db.kysely, provider: { getMigrations: async () => before } }).migrateToLatest();
  if (error) {
    await close();
    throw new Error(`migrating to just before ${firstLeftOut} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { db, close };
}
