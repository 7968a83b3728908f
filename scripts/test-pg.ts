/**
 * `npm run test:pg`: the integration tests again, on PostgreSQL (VEILDESK_TEST_DATABASE=postgres;
 * the server from VEILDESK_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * In CI (CI=true, or VEILDESK_REQUIRE_POSTGRES=1) an unreachable server fails the run; on a
 * developer's machine without PostgreSQL the pass is reported as not run, with why and what to do.
 * Files or filters after `--` narrow the run (`npm run test:pg -- test/integration/audit.test.ts`).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line: string): void => void process.stdout.write(`[test:pg] ${line}\n`);
const url = process.env.VEILDESK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const required = process.env.CI === 'true' || process.env.VEILDESK_REQUIRE_POSTGRES === '1';

async function reachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const why = await reachable();
if (why) {
  const where = new URL(url);
  say(`PostgreSQL at ${where.host} does not answer (${why}).`);
  if (required) {
    say('this run requires it (CI or VEILDESK_REQUIRE_POSTGRES=1): failing.');
    process.exit(1);
  }
  say('the PostgreSQL pass of the integration tests did NOT run. Start PostgreSQL (or set VEILDESK_TEST_POSTGRES_URL) and run npm run test:pg.');
  process.exit(0);
}
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const env = { ...process.env, VEILDESK_TEST_DATABASE: 'postgres' };
const only = process.argv.slice(2);
const targets = only.length > 0 ? only : ['test/integration'];
process.exit(spawnSync(npx, ['vitest', 'run', '--project', 'core', ...targets], { cwd: root, stdio: 'inherit', env }).status ?? 1);
