import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Role, StaffPermission } from '../../shared/domain/roles';
import { Password, Username } from '../../shared/domain/usernames';
import { loadConfig } from '../config';
import { PasswordHasher } from '../modules/auth/passwords';
import { migrateToLatest, openDatabase } from '../db/database';
import { AuditAction } from '../modules/audit/actions';
import { AuditLog } from '../modules/audit/audit-log';
import { loadAuditKey } from '../modules/audit/audit-key';
import { UsersRepo } from '../modules/users/users-repo';

/**
 * `npm run user -- create --username admin --role admin [--display-name "…"] [--permissions sensitive]`
 * Creates a user in the configured database (VEILDESK_DATA_DIR or VEILDESK_DATABASE_URL). This is how
 * a production deployment, which seeds no demo users, gets its first admin. The password comes from
 * VEILDESK_NEW_PASSWORD or is asked for on the terminal, never from the command line (shell history).
 */
const Args = z.object({
  command: z.literal('create', { message: 'the only command is `create`' }),
  username: Username,
  role: Role,
  displayName: z.string().min(1).max(100).optional(),
  permissions: z.array(StaffPermission).optional(),
});

async function readPassword(): Promise<string> {
  if (process.env.VEILDESK_NEW_PASSWORD) return process.env.VEILDESK_NEW_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question('Password for the new user: ');
  } finally {
    rl.close();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { username: { type: 'string' }, role: { type: 'string' }, 'display-name': { type: 'string' }, permissions: { type: 'string' } },
    allowPositionals: true,
  });
  const parsed = Args.safeParse({ command: positionals[0], username: values.username, role: values.role, displayName: values['display-name'],
    permissions: values.permissions?.split(',').map((name) => name.trim()),
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'command'}: ${i.message}`).join('\n');
    throw new Error(`${lines}\nUsage: npm run user -- create --username NAME --role agent|supervisor|admin|privacy [--display-name "Full Name"] [--permissions sensitive]`);
  }
  const password = Password.min(8, 'use at least 8 characters').parse(await readPassword());

  const config = loadConfig();
  const db = openDatabase(config);
  try {
    await migrateToLatest(db);
    const users = new UsersRepo(db, new PasswordHasher({ N: config.passwordScryptN }));
    if (await users.findByUsername(parsed.data.username)) throw new Error(`A user named ${parsed.data.username} already exists.`);
    const audit = new AuditLog(db, loadAuditKey(config));
    // The user and its audit entry commit together.
    const user = await users.create(
      { username: parsed.data.username, displayName: parsed.data.displayName ?? parsed.data.username, role: parsed.data.role, password, ...(parsed.data.permissions ? { permissions: parsed.data.permissions } : {}) },
      (trx, created) => audit.appendIn(trx, { actor: null, action: AuditAction.userCreated, target: created.username, details: { role: created.role, via: 'cli', ...(parsed.data.permissions ? { permissions: parsed.data.permissions } : {}) } }),
    );
    process.stdout.write(`Created ${user.role} ${user.username} in ${config.databaseUrl ? 'PostgreSQL' : config.dataDir}.\n`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
