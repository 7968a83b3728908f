import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Username } from '../../shared/domain/usernames';
import { loadConfig } from '../config';
import { migrateToLatest, openDatabase } from '../db/database';
import { QueuesRepo } from '../modules/interactions/queues-repo';
import { seedHistory } from '../modules/sync/history-seed';
import { seedDemoOrg, seedDemoQueues } from '../modules/users/demo-org';
import { UsersRepo } from '../modules/users/users-repo';

/**
 * `npx tsx server/cli/seed-history.ts --username agent1 --interactions 10000 --messages 100000`
 * Writes a closed chat history for one agent into VEILDESK_DATA_DIR's database (for bench/sync
 * and load tests). Stop the server first; start it again afterwards. With `--demo`, a database
 * without users gets the demo org and queues first (development only).
 */
const Args = z.object({
  username: Username,
  queue: z.string().min(1).max(64).default('general'),
  interactions: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  messages: z.coerce.number().int().min(0).max(10_000_000).default(100_000),
  demo: z.boolean().default(false),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { username: { type: 'string' }, queue: { type: 'string' }, interactions: { type: 'string' }, messages: { type: 'string' }, demo: { type: 'boolean' } },
  });
  const parsed = Args.safeParse(values);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`).join('\n'));
  const args = parsed.data;
  const config = loadConfig();
  // Test data (and, with --demo, users whose password is "demo") never goes into a production database.
  if (config.mode === 'production') throw new Error('seed-history writes test data; it refuses to run in production mode (VEILDESK_MODE or NODE_ENV=production).');
  const db = openDatabase(config);
  try {
    await migrateToLatest(db);
    const users = new UsersRepo(db);
    if (args.demo) {
      await seedDemoOrg(users);
      await seedDemoQueues(users, new QueuesRepo(db), { offerTimeoutMs: config.offerTimeoutMs });
    }
    const agent = await users.findByUsername(args.username);
    if (!agent) throw new Error(`No user named ${args.username}. Create it first (npm run user -- create), or pass --demo on a development database.`);
    const queue = (await new QueuesRepo(db).list()).find((q) => q.id === args.queue);
    if (!queue) throw new Error(`No queue ${args.queue}. Create it first: npm run queue -- set --id ${args.queue} …`);
    const started = Date.now();
    await seedHistory(db, {
      agentId: agent.id,
      queueId: queue.id,
      interactions: args.interactions,
      messages: args.messages,
      disposition: queue.dispositions[0] ?? 'Resolved',
      onProgress: (done, total) => process.stdout.write(`\r${done} / ${total} interactions`),
    });
    process.stdout.write(`\nSeeded ${args.interactions} interactions and ${args.messages} messages for ${args.username} in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
