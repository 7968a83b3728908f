import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { MoveRefused, moveSqliteToPostgres, type MoveProgress } from '../db/move/move-to-postgres';
import { AuditLog } from '../modules/audit/audit-log';
import { loadAuditKey } from '../modules/audit/audit-key';

/**
 * `npm run db:move-to-postgres -- --url postgres://user@host/veildesk [--data-dir ./data]`
 * Moves this install's SQLite database into an empty PostgreSQL database, then checks row counts
 * and the audit chain there. Stop the server first; afterwards start it with
 * VEILDESK_DATABASE_URL set to the same URL. The SQLite file is kept as it was (a backup).
 */
const Args = z.object({
  url: z
    .string({ error: 'pass --url postgres://user@host:5432/database (an empty database)' })
    .regex(/^postgres(?:ql)?:\/\//, '--url must start with postgres:// or postgresql://'),
  dataDir: z.string().min(1).optional(),
});

async function main(): Promise<number> {
  let values: { url?: string | undefined; 'data-dir'?: string | undefined };
  try {
    ({ values } = parseArgs({ options: { url: { type: 'string' }, 'data-dir': { type: 'string' } } }));
  } catch (err) {
    console.error(`db:move-to-postgres: ${err instanceof Error ? err.message : String(err)}. Usage: npm run db:move-to-postgres -- --url postgres://user@host/database [--data-dir DIR]`);
    return 2;
  }
  const parsed = Args.safeParse({ url: values.url, dataDir: values['data-dir'] });
  if (!parsed.success) {
    console.error(`db:move-to-postgres: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    return 2;
  }
  const config = loadConfig({ ...process.env, ...(parsed.data.dataDir ? { VEILDESK_DATA_DIR: parsed.data.dataDir } : {}) }, []);
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  const progress = (p: MoveProgress) => {
    const now = Date.now();
    // Every table's end, and at most a few lines a second in between.
    if (p.copied !== p.total && now - lastLine < 250) return;
    lastLine = now;
    const percent = p.allTotal ? Math.floor((100 * p.allCopied) / p.allTotal) : 100;
    const line = `  ${percent.toString().padStart(3)} %  ${p.table}: ${p.copied}/${p.total} rows`;
    if (tty) process.stderr.write(`\r\x1b[K${line}${p.copied === p.total ? '\n' : ''}`);
    else if (p.copied === p.total) console.error(line);
  };
  try {
    const result = await moveSqliteToPostgres({ dataDir: config.dataDir, targetUrl: parsed.data.url, onProgress: progress, onStep: (m) => console.error(`db:move-to-postgres: ${m}`) });
    console.error(`db:move-to-postgres: ${result.tables.length} tables, ${result.rows} rows copied; row counts match table by table.`);
    const target = openDatabase({ dataDir: config.dataDir, databaseUrl: parsed.data.url });
    try {
      // The chain is keyed with this install's audit key (VEILDESK_AUDIT_KEY or <dataDir>/audit-hmac.key): the new setup needs the same.
      const audit = await new AuditLog(target, loadAuditKey(config)).verify();
      if (!audit.intact) {
        console.error(`db:move-to-postgres: the audit chain does not verify on PostgreSQL (first bad entry ${audit.firstBadId}); do not switch over. Check the SQLite chain with GET /api/audit/verify.`);
        return 1;
      }
      console.error(`db:move-to-postgres: the audit chain verifies on PostgreSQL (${audit.entries} entries).`);
    } finally {
      await target.close();
    }
    console.error(`db:move-to-postgres: done. Start the server with VEILDESK_DATABASE_URL=${redactUrl(parsed.data.url)}; ${config.dataDir}/veildesk.sqlite is left as it was.`);
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`db:move-to-postgres: ${err instanceof MoveRefused ? 'refused' : 'failed'}: ${message}`);
    return 1;
  }
}

/** The URL without its password, for the closing line. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the URL you passed';
  }
}

main().then((code) => process.exit(code));
