import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Username } from '../../shared/domain/usernames';
import { loadConfig } from '../config';
import { migrateToLatest, openDatabase } from '../db/database';
import { AuditAction } from '../modules/audit/actions';
import { AuditLog } from '../modules/audit/audit-log';
import { loadAuditKey } from '../modules/audit/audit-key';
import { QueuesRepo } from '../modules/interactions/queues-repo';
import { UsersRepo } from '../modules/users/users-repo';

/**
 * `npm run queue -- set --id billing --name Billing --members agent1,agent3 --dispositions "Paid,Refunded"`
 * `npm run queue -- list`
 * Creates a queue or updates it (members are added, never removed). A production deployment, which
 * seeds no demo queues, sets up its queues with this. Restart the server to apply changes.
 */
const csv = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

const SetArgs = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'id is 1-64 characters of a-z, 0-9 and dash'),
  name: z.string().min(1).max(100),
  members: z.array(Username).min(1, 'name at least one member (--members agent1,agent2)'),
  dispositions: z.array(z.string().min(1).max(100)).min(1, 'name at least one disposition (--dispositions "Resolved,Not resolved")'),
  offerTimeoutMs: z.coerce.number().int().min(1000).max(300_000).default(15_000),
});

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { id: { type: 'string' }, name: { type: 'string' }, members: { type: 'string' }, dispositions: { type: 'string' }, 'offer-timeout-ms': { type: 'string' } },
    allowPositionals: true,
  });
  const command = positionals[0];
  if (command !== 'set' && command !== 'list') throw new Error('Usage: npm run queue -- set --id ID --name NAME --members u1,u2 --dispositions "A,B" [--offer-timeout-ms 15000] | npm run queue -- list');

  const config = loadConfig();
  const db = openDatabase(config);
  try {
    await migrateToLatest(db);
    const queues = new QueuesRepo(db);
    if (command === 'list') {
      for (const q of await queues.list()) process.stdout.write(`${q.id}\t${q.name}\t${q.memberIds.length} members\t${q.dispositions.join(', ')}\n`);
      return;
    }
    const parsed = SetArgs.safeParse({ id: values.id, name: values.name, members: csv(values.members), dispositions: csv(values.dispositions), offerTimeoutMs: values['offer-timeout-ms'] });
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`).join('\n'));
    const users = new UsersRepo(db);
    const memberIds: string[] = [];
    for (const username of parsed.data.members) {
      const user = await users.findByUsername(username);
      if (!user) throw new Error(`No user named ${username}. Create it first: npm run user -- create --username ${username} --role agent`);
      memberIds.push(user.id);
    }
    await queues.upsert({ id: parsed.data.id, name: parsed.data.name, dispositions: parsed.data.dispositions, offerTimeoutMs: parsed.data.offerTimeoutMs, memberIds });
    await new AuditLog(db, loadAuditKey(config)).append({ actor: null, action: AuditAction.queueChanged, target: parsed.data.id, details: { via: 'cli', members: parsed.data.members.length } });
    process.stdout.write(`Queue ${parsed.data.id} saved with ${memberIds.length} member(s). Restart the server to apply it.\n`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
