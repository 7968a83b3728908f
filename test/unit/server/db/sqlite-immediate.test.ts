import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ImmediateSqliteDialect } from '../../../../server/db/sqlite-immediate';

/**
 * A transaction that reads, then writes, while another connection (the WAL checkpoint worker, a
 * CLI) writes in between: with SQLite's default deferred BEGIN the write fails at once with
 * SQLITE_BUSY (its snapshot is stale; busy_timeout does not help), which the HTTP fuzz run met as
 * 500 "database is locked" on privacy requests. BEGIN IMMEDIATE takes the write lock first, so the
 * other connection waits instead (here: is refused, its busy timeout being 0).
 */

interface Db {
  t: { n: number };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function open(immediate: boolean): { kysely: Kysely<Db>; other: SQLite.Database } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-immediate-'));
  dirs.push(dir);
  const file = path.join(dir, 'db.sqlite');
  const main = new SQLite(file);
  main.pragma('journal_mode = WAL');
  main.pragma('busy_timeout = 5000');
  main.exec('create table t (n integer)');
  const other = new SQLite(file);
  other.pragma('busy_timeout = 0');
  const dialect = immediate ? new ImmediateSqliteDialect({ database: main }) : new SqliteDialect({ database: main });
  return { kysely: new Kysely<Db>({ dialect }), other };
}

/** Reads, lets the other connection try a write, then writes. */
async function readThenWrite(kysely: Kysely<Db>, other: SQLite.Database): Promise<{ otherWrote: boolean }> {
  let otherWrote = false;
  await kysely.transaction().execute(async (trx) => {
    const { rows } = await sql<{ c: number }>`select count(*) as c from t`.execute(trx);
    try {
      other.exec('insert into t (n) values (1)');
      otherWrote = true;
    } catch (error) {
      expect((error as { code?: string }).code).toMatch(/^SQLITE_BUSY/);
    }
    await trx.insertInto('t').values({ n: Number(rows[0]!.c) + 100 }).execute();
  });
  return { otherWrote };
}

describe('ImmediateSqliteDialect', () => {
  it('keeps a read-then-write transaction whole while another connection wants to write', async () => {
    const { kysely, other } = open(true);
    expect(await readThenWrite(kysely, other)).toEqual({ otherWrote: false });
    expect(await kysely.selectFrom('t').select('n').execute()).toEqual([{ n: 100 }]);
    // The lock is released at commit: the other connection writes now.
    other.exec('insert into t (n) values (1)');
    other.close();
    await kysely.destroy();
  });

  it('(why) the deferred default fails that transaction with SQLITE_BUSY', async () => {
    const { kysely, other } = open(false);
    await expect(readThenWrite(kysely, other)).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
    other.close();
    await kysely.destroy();
  });
});
