import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Db } from '../../server/db/database';

/**
 * Which database the integration tests run on: SQLite (default) or PostgreSQL with
 * VEILDESK_TEST_DATABASE=postgres (server from VEILDESK_TEST_POSTGRES_URL). One test matrix: the
 * same tests, the same servers, only the database underneath changes.
 */
export type TestDatabaseKind = 'sqlite' | 'postgres';

export function testDatabaseKind(): TestDatabaseKind {
  const kind = process.env.VEILDESK_TEST_DATABASE ?? 'sqlite';
  if (kind !== 'sqlite' && kind !== 'postgres') throw new Error(`VEILDESK_TEST_DATABASE must be sqlite or postgres, not ${kind}`);
  return kind;
}

export const onPostgres = (): boolean => testDatabaseKind() === 'postgres';

const ADMIN_URL = process.env.VEILDESK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Every database a test run creates is named after the run (the workers' parent process) so a later run can drop leftovers of dead runs. */
const RUN = process.env.VEILDESK_TEST_RUN_ID ?? String(process.ppid);
const MARKER = '.test-postgres-database';

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A digest of the code that shapes a fresh seeded database (migrations, demo org, password hashing): a template is reused only while it holds. */
export function seedDigest(): string {
  const sources = [
    ...fs.readdirSync(path.join(ROOT, 'server/db/migrations')).map((f) => path.join('server/db/migrations', f)),
    'server/modules/users/demo-org.ts',
    'server/modules/auth/passwords.ts',
  ].sort();
  const digest = createHash('sha256');
  for (const file of sources) digest.update(file).update(fs.readFileSync(path.join(ROOT, file)));
  return digest.digest('hex').slice(0, 12);
}

/** Migrates and demo-seeds the database at `url` the way a fresh development start does: a real server, started and stopped. */
async function seed(url: string): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-seed-'));
  try {
    // Loaded here, not at the top: E2E specs import this file through support/server.ts and never seed.
    const { createServer } = await import('../../server/app');
    const { loadConfig } = await import('../../server/config');
    // The tests' password cost (in-process.ts), so the template's hashes need no rehash at sign-in.
    const config = { ...loadConfig({ VEILDESK_DATA_DIR: dataDir, LOG_LEVEL: 'silent', VEILDESK_MEDIA_WORKERS: '0', VEILDESK_PASSWORD_SCRYPT_N: String(1 << 14) }, []), port: 0, dataDir, databaseUrl: url };
    const server = await createServer(config);
    await server.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

let template: Promise<string> | undefined;

/**
 * The seeded template database of this run, created once (under an advisory lock, so parallel
 * workers wait for the first) by a real server started on it and stopped. Every test server's database is a CREATE DATABASE … TEMPLATE copy of it.
 */
function seededTemplate(): Promise<string> {
  template ??= withAdmin(async (admin) => {
    const name = `veildesk_tpl_${RUN}_${seedDigest()}`;
    await admin.query('select pg_advisory_lock(hashtext($1))', [name]);
    try {
      const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount) return name;
      await sweepDeadRuns(admin);
      const partial = `${name}_partial`;
      await admin.query(`drop database if exists ${quote(partial)} with (force)`);
      await admin.query(`create database ${quote(partial)}`);
      await seed(databaseUrl(partial));
      await admin.query(`alter database ${quote(partial)} rename to ${quote(name)}`);
      return name;
    } finally {
      await admin.query('select pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
  return template;
}

/** Drops databases left by runs whose vitest process is gone. */
async function sweepDeadRuns(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'veildesk\\_t%'");
  for (const { datname } of rows) {
    const pid = Number(/^veildesk_(?:t|tpl)_(\d+)_/.exec(datname)?.[1]);
    if (!pid || String(pid) === RUN) continue;
    try {
      process.kill(pid, 0);
    } catch {
      await admin.query(`drop database if exists ${quote(datname)} with (force)`);
    }
  }
}

/**
 * The PostgreSQL database of a test data dir: the one named in the dir's marker file (a restart on
 * the same data dir finds the same database), else a new one named in a new marker: a copy of the
 * run's seeded template (`seeded`, what startBackend's servers start from), or an empty database
 * (`empty`: what a fresh data dir is to a server process, which then migrates and seeds it itself).
 * Undefined on SQLite.
 */
export async function testDatabaseFor(dataDir: string, fresh: 'seeded' | 'empty' = 'seeded'): Promise<string | undefined> {
  if (!onPostgres()) return undefined;
  const marker = path.join(dataDir, MARKER);
  if (fs.existsSync(marker)) return databaseUrl(fs.readFileSync(marker, 'utf8').trim());
  if (fresh === 'empty') return emptyTestDatabase(dataDir);
  const source = await seededTemplate();
  const name = `veildesk_t_${RUN}_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`create database ${quote(name)} template ${quote(source)}`));
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(marker, name, { mode: 0o600 });
  return databaseUrl(name);
}

/**
 * An empty, unmigrated database for a data dir (migration tests): on PostgreSQL a new database named
 * in the dir's marker, whose URL is returned; undefined on SQLite (the file is created on open).
 */
export async function emptyTestDatabase(dataDir: string): Promise<string | undefined> {
  if (!onPostgres()) return undefined;
  const name = `veildesk_t_${RUN}_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`create database ${quote(name)}`));
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, MARKER), name, { mode: 0o600 });
  return databaseUrl(name);
}

/** Drops the PostgreSQL database of a data dir (if it has one), closing what still uses it. */
export async function dropTestDatabase(dataDir: string): Promise<void> {
  const marker = path.join(dataDir, MARKER);
  if (!fs.existsSync(marker)) return;
  const name = fs.readFileSync(marker, 'utf8').trim();
  await withAdmin(async (admin) => {
    // A closed server's connections may still be saying goodbye: let them go rather than terminate
    // them (a terminated connection errors in the process that just closed it).
    for (let i = 0; i < 100; i++) {
      const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
      if (!rows[0]?.n) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await admin.query(`drop database if exists ${quote(name)} with (force)`);
  });
  fs.rmSync(marker, { force: true });
}

/**
 * A copy of a running server's database into another data dir, as a restart from a backup would see
 * it. SQLite: VACUUM INTO the new file. PostgreSQL: pg_dump piped into a new empty database (CREATE
 * DATABASE … TEMPLATE refuses a source with open connections, and the server is still running).
 */
export async function copyDatabase(source: { dataDir: string; vacuumInto(file: string): Promise<void> }, targetDir: string): Promise<void> {
  if (!onPostgres()) {
    await source.vacuumInto(path.join(targetDir, 'veildesk.sqlite'));
    return;
  }
  const from = fs.readFileSync(path.join(source.dataDir, MARKER), 'utf8').trim();
  const name = `veildesk_t_${RUN}_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`create database ${quote(name)}`));
  const dump = path.join(targetDir, 'dump.sql');
  await promisify(execFile)('pg_dump', ['--no-owner', '-f', dump, databaseUrl(from)]);
  await promisify(execFile)('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-f', dump, databaseUrl(name)]);
  fs.rmSync(dump);
  fs.writeFileSync(path.join(targetDir, MARKER), name, { mode: 0o600 });
}

/** Drops every database this run created (the run's end; see vitest.config.ts globalSetup). */
export async function dropRunDatabases(run: string): Promise<void> {
  await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'veildesk\\_t%'");
    for (const { datname } of rows) if (new RegExp(`^veildesk_(?:t|tpl)_${run}_`).test(datname)) await admin.query(`drop database if exists ${quote(datname)} with (force)`);
  });
}

/** Runs `work` with foreign keys unchecked: SQLite's pragma, PostgreSQL's replica role in one transaction. */
export async function withoutForeignKeys(db: Db, work: (k: Kysely<unknown>) => Promise<void>): Promise<void> {
  if (db.dialect === 'postgres') {
    await db.kysely.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await work(trx as unknown as Kysely<unknown>);
    });
    return;
  }
  await sql`pragma foreign_keys = off`.execute(db.kysely);
  try {
    await work(db.kysely as unknown as Kysely<unknown>);
  } finally {
    await sql`pragma foreign_keys = on`.execute(db.kysely);
  }
}

/**
 * Which of `needles` any row of any table of a test data dir's database holds (read through its
 * own connection, so it works while a server process runs). For PostgreSQL runs, where the
 * database files belong to the database server and the SQLite file checks do not apply.
 */
export async function rowsHold(dataDir: string, needles: string[]): Promise<string[]> {
  const { openDatabase } = await import('../../server/db/database');
  const db = openDatabase({ dataDir, databaseUrl: await testDatabaseFor(dataDir) });
  try {
    const found = new Set<string>();
    for (const table of await db.kysely.introspection.getTables()) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table.name)}`.execute(db.kysely);
      const text = JSON.stringify(rows.rows);
      for (const n of needles) if (text.includes(n) || text.includes(JSON.stringify(n).slice(1, -1))) found.add(n);
    }
    return [...found];
  } finally {
    await db.close();
  }
}

/** A new, empty PostgreSQL database named after this run (dropped with the run's others), for tools that fill one (db:move-to-postgres). */
export async function createEmptyPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `veildesk_t_${RUN}_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`create database ${quote(name)}`));
  return { url: databaseUrl(name), drop: () => withAdmin(async (admin) => void (await admin.query(`drop database if exists ${quote(name)} with (force)`))) };
}

/** Whether the test PostgreSQL server answers (a user's machine may have none; CI always does). */
export async function postgresAnswers(): Promise<boolean> {
  try {
    await withAdmin((admin) => admin.query('select 1'));
    return true;
  } catch {
    return false;
  }
}
