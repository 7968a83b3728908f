import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/database';

// SQLite only, on either test matrix run: the WAL checkpointer is part of the SQLite path (PostgreSQL
// manages its own WAL). The server checkpoints the WAL from a worker thread so that no chat delivery waits for an fsync
// (bench/chat). These tests check the data really reaches the database file and the WAL stays bounded.
describe('WAL checkpoints in the background', () => {
  const opened: Db[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });

  function open(dataDir: string, intervalMs = 60_000): { db: Db; errors: string[] } {
    const errors: string[] = [];
    const db = openDatabase({ dataDir }, { backgroundCheckpoints: { intervalMs, onError: (m) => errors.push(m) } });
    opened.push(db);
    return { db, errors };
  }

  async function writeRows(db: Db, count: number): Promise<void> {
    await sql`create table if not exists t (id integer primary key, body text not null)`.execute(db.kysely);
    for (let i = 0; i < count; i++) await sql`insert into t (body) values (${'x'.repeat(2000)})`.execute(db.kysely);
  }

  const walBytes = (dir: string) => fs.statSync(path.join(dir, 'veildesk.sqlite-wal')).size;

  it('never checkpoints inside a commit, and a background checkpoint copies every frame to the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-wal-'));
    const { db, errors } = open(dir);
    // 3,000 rows of 2 KB: far past SQLite's automatic threshold of 1,000 pages.
    await writeRows(db, 3000);
    expect(walBytes(dir)).toBeGreaterThan(1200 * 4096); // automatic checkpoints would have restarted it near 1,000 pages

    const result = await db.checkpointer!.checkpointNow();
    expect(result.walFrames).toBeGreaterThan(1000);
    expect(result.checkpointed).toBe(result.walFrames);

    // The database file alone (read without the WAL) now holds every row.
    const copy = path.join(dir, 'copy.sqlite');
    fs.copyFileSync(path.join(dir, 'veildesk.sqlite'), copy);
    const plain = new SQLite(copy, { readonly: true });
    expect((plain.prepare('select count(*) as n from t').get() as { n: number }).n).toBe(3000);
    plain.close();
    expect(errors).toEqual([]);
  });

  it('keeps the WAL bounded under steady writes: it restarts from the beginning after each checkpoint', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-wal-'));
    const { db } = open(dir, 50);
    await writeRows(db, 1500);
    // Wait for a timer checkpoint to catch up, then write as much again: the WAL is reused, not grown.
    await expect.poll(async () => (await db.checkpointer!.checkpointNow()).walFrames, { timeout: 10_000 }).toBeGreaterThan(0);
    const afterFirst = walBytes(dir);
    await writeRows(db, 1500);
    await db.checkpointer!.checkpointNow();
    expect(walBytes(dir)).toBeLessThanOrEqual(afterFirst * 1.2);
  });

  it('stops cleanly on close, leaving no WAL behind', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-wal-'));
    const { db } = open(dir, 10);
    await writeRows(db, 200);
    await db.close();
    opened.splice(opened.indexOf(db), 1);
    expect(fs.existsSync(path.join(dir, 'veildesk.sqlite-wal'))).toBe(false);
    const reopened = new SQLite(path.join(dir, 'veildesk.sqlite'), { readonly: true });
    expect((reopened.prepare('select count(*) as n from t').get() as { n: number }).n).toBe(200);
    reopened.close();
  });

  it('finishes closing in a script with nothing else to do (the process waits for the worker, not exit early)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-wal-'));
    const database = path.resolve(import.meta.dirname, '../../server/db/database.ts');
    // The worker thread is unreferenced while it runs; only the close may keep the process alive.
    const script = `
      const { openDatabase } = await import(${JSON.stringify(database)});
      const db = openDatabase({ dataDir: ${JSON.stringify(dir)} }, { backgroundCheckpoints: { intervalMs: 60000, onError: () => {} } });
      await db.close();
      process.stdout.write('closed');
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(out).toBe('closed');
  });
});
