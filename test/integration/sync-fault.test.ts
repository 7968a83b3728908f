import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SyncPushResponse, type SyncMutationInput, type SyncMutationResult } from '../../shared/api/sync';
import { migrateToLatest, openDatabase, type Db } from '../../server/db/database';
import { QueuesRepo } from '../../server/modules/interactions/queues-repo';
import { seedHistory } from '../../server/modules/sync/history-seed';
import { seedDemoOrg, seedDemoQueues } from '../../server/modules/users/demo-org';
import { UsersRepo } from '../../server/modules/users/users-repo';
import { startTestServer, type TestServer } from '../support/server';
import { dropTestDatabase, testDatabaseFor } from '../support/test-database';
import { login } from './helpers';
import { applyChanges, live, pullAll } from './sync-support';

const MUTATIONS = 1000;
const BATCH = 200;

/** A data dir with the demo org and ten closed interactions of agent1, written before any server runs. */
async function preparedDataDir(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-sync-fault-'));
  const db = openDatabase({ dataDir, databaseUrl: await testDatabaseFor(dataDir, 'empty') });
  try {
    await migrateToLatest(db);
    const users = new UsersRepo(db);
    await seedDemoOrg(users);
    await seedDemoQueues(users, new QueuesRepo(db), { offerTimeoutMs: 15_000 });
    const agent = await users.findByUsername('agent1');
    await seedHistory(db, { agentId: agent!.id, queueId: 'general', interactions: 10, messages: 20 });
  } finally {
    await db.close();
  }
  return dataDir;
}

describe('sync push survives a killed server', () => {
  let server: TestServer | undefined;
  let dataDir: string | undefined;
  /** Reads what the server has committed, from outside its process (SQLite file or PostgreSQL database), while it works. */
  let reader: Db | undefined;
  afterEach(async () => {
    await server?.stop();
    await reader?.close();
    if (dataDir) await dropTestDatabase(dataDir);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGKILL in the middle of pushing 1,000 mutations: after a restart the client re-sends what was not acknowledged, and every mutation is stored exactly once', { timeout: 180_000 }, async () => {
    dataDir = await preparedDataDir();
    reader = openDatabase({ dataDir, databaseUrl: await testDatabaseFor(dataDir) });
    const k = reader.kysely;
    const count = async (table: 'sync_notes' | 'sync_mutations') => Number((await k.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);
    const interactionIds = (await k.selectFrom('interactions').select('id').orderBy('created_at').execute()).map((r) => r.id);
    const outbox: SyncMutationInput[] = Array.from({ length: MUTATIONS }, (_, i) => ({
      mutationId: `fault-${i.toString().padStart(4, '0')}-${process.pid}`,
      type: 'note.create',
      noteId: `fault-note-${i}`,
      interactionId: interactionIds[i % interactionIds.length]!,
      text: `offline note ${i}`,
    }));
    const acknowledged = new Map<string, SyncMutationResult>();

    server = await startTestServer({ dataDir });
    let token = (await login(server.url, 'agent1')).token;
    let killedMidBatch = false;
    for (let start = 0; start < MUTATIONS && !killedMidBatch; start += BATCH) {
      const batch = outbox.slice(start, start + BATCH);
      const request = pushBatch(server.url, token, batch);
      // Kill once two batches are acknowledged, as soon as part of this one is committed and before its answer arrives.
      const mayKill = start >= 2 * BATCH;
      let answered = false;
      void request.then(
        () => (answered = true),
        () => (answered = true),
      );
      while (!answered) {
        const n = await count('sync_mutations');
        if (mayKill && n > start && n < start + batch.length) {
          server.process.kill('SIGKILL');
          killedMidBatch = true;
          break;
        }
        await new Promise((r) => setImmediate(r));
      }
      const outcome = await request.catch((err: unknown) => err as Error);
      if (outcome instanceof Error) {
        expect(killedMidBatch).toBe(true);
        break;
      }
      for (const result of outcome) acknowledged.set(result.mutationId, result);
    }
    expect(killedMidBatch, 'no batch was caught half-committed; the kill never happened mid-push').toBe(true);
    const committedAtKill = await count('sync_mutations');
    console.info(`sync fault: killed with ${acknowledged.size} acknowledged and ${committedAtKill} committed of ${MUTATIONS}`);
    expect(committedAtKill).toBeGreaterThan(acknowledged.size);
    expect(committedAtKill).toBeLessThan(MUTATIONS);

    // Restart on the same data dir; the client re-sends everything without an answer, in order.
    await new Promise<void>((resolve) => (server!.process.exitCode !== null || server!.process.signalCode !== null ? resolve() : server!.process.once('exit', () => resolve())));
    server = await startTestServer({ dataDir });
    token = (await login(server.url, 'agent1')).token;
    const unacknowledged = outbox.filter((m) => !acknowledged.has(m.mutationId));
    const statuses = new Map<string, number>();
    for (let start = 0; start < unacknowledged.length; start += BATCH) {
      for (const result of await pushBatch(server.url, token, unacknowledged.slice(start, start + BATCH))) {
        acknowledged.set(result.mutationId, result);
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      }
    }

    expect(acknowledged.size).toBe(MUTATIONS);
    // The mutations committed before the kill come back as duplicates of their first answer.
    expect(statuses.get('duplicate')).toBe(committedAtKill - (MUTATIONS - unacknowledged.length));
    expect(statuses.get('applied')).toBe(MUTATIONS - committedAtKill);
    expect([...acknowledged.values()].every((r) => r.status === 'applied' || (r.status === 'duplicate' && r.original === 'applied'))).toBe(true);

    expect(await count('sync_notes')).toBe(MUTATIONS);
    expect(Number((await k.selectFrom('sync_notes').select((eb) => eb.fn.count<number | string>('id').distinct().as('n')).executeTakeFirstOrThrow()).n)).toBe(MUTATIONS);
    expect(await count('sync_mutations')).toBe(MUTATIONS);
    expect(Number((await k.selectFrom('sync_changes').select((eb) => eb.fn.countAll<number | string>().as('n')).where('kind', '=', 'note').executeTakeFirstOrThrow()).n)).toBe(MUTATIONS);
    const notes = live(applyChanges((await pullAll(server.url, token, '0', 2000)).changes), 'note');
    expect(new Set(notes.map((n) => n.data.text)).size).toBe(MUTATIONS);
  });
});

async function pushBatch(url: string, token: string, mutations: SyncMutationInput[]): Promise<SyncMutationResult[]> {
  const res = await fetch(`${url}/api/sync/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ mutations }),
  });
  if (res.status !== 200) throw new Error(`push → ${res.status} ${await res.text()}`);
  return SyncPushResponse.parse(await res.json()).results;
}
