import { dropRunDatabases, onPostgres } from './test-database';

/**
 * Vitest's global setup (main process). PostgreSQL runs: names this run for the workers, and at
 * the end drops every database the run created (test servers drop their own on close; this
 * catches a server a failed test never closed, and the seeded template).
 */
export default function setup(): (() => Promise<void>) | undefined {
  if (!onPostgres()) return undefined;
  const run = String(process.pid);
  process.env.VEILDESK_TEST_RUN_ID = run;
  return () => dropRunDatabases(run);
}
