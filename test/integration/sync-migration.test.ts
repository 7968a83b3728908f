import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type Db } from '../../server/db/database';
import { migrations } from '../../server/db/migrations/index';
import { ChangeLog } from '../../server/modules/sync/change-log';
import { SyncReader } from '../../server/modules/sync/sync-reader';
import { applyChanges, live } from './sync-support';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 9, minute)).toISOString();

describe('migration 006-sync on a database from before sync', () => {
  let db: Db | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await db?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('puts every interaction, contact, wrap-up and message into the log oldest first, and gives each agent who handled or answered one access to it', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-sync-migration-'));
    db = openDatabase({ dataDir: dir });
    const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
    const before = await migrator.migrateTo('005-recording-segments');
    expect(before.error).toBeUndefined();

    const k = db.kysely;
    for (const [id, username] of [
      ['u-ann', 'ann'],
      ['u-bob', 'bob'],
      ['u-cy', 'cy'],
    ]) {
      await k.insertInto('users').values({ id: id!, username: username!, display_name: username!, role: 'agent', password_hash: 'x', created_at: at(0) }).execute();
    }
    await k.insertInto('queues').values({ id: 'general', name: 'General', offer_timeout_ms: 15_000, dispositions: '["Resolved"]' }).execute();
    const interaction = (id: string, minute: number, extra: Record<string, unknown>) => ({
      id,
      kind: 'chat' as const,
      status: 'closed' as const,
      queue_id: 'general',
      customer_name: `Customer ${id}`,
      customer_email: null,
      agent_id: null,
      created_at: at(minute),
      answered_at: null,
      ended_at: null,
      disposition: null,
      notes: null,
      wrapup_at: null,
      wrapup_by: null,
      customer_token_hash: null,
      customer_token_expires_at: null,
      ...extra,
    });
    // Answered by ann, transferred to bob, wrapped up by bob.
    await k.insertInto('interactions').values(interaction('i-1', 1, { agent_id: 'u-bob', disposition: 'Resolved', notes: 'done', wrapup_at: at(9), wrapup_by: 'bob' })).execute();
    await k.insertInto('interactions').values(interaction('i-2', 5, { status: 'abandoned' })).execute();
    for (const [seq, minute] of [
      [1, 2],
      [2, 3],
      [3, 7],
    ]) {
      await k.insertInto('messages').values({ id: `m-${seq}`, interaction_id: 'i-1', seq: seq!, author: 'customer', author_name: 'C', text: `text ${seq}`, client_msg_id: null, at: at(minute!) }).execute();
    }
    const answered: [number, string][] = [
      [1, 'u-ann'],
      [2, 'u-bob'],
    ];
    for (const [id, actor] of answered) {
      await k.insertInto('timeline').values({ id, interaction_id: 'i-1', type: 'answered', at: at(2), actor: actor.slice(2), actor_id: actor, details: '{}' }).execute();
    }

    await migrateToLatest(db);

    const access = await k.selectFrom('sync_access').select(['user_id', 'interaction_id', 'created_at']).orderBy('user_id').execute();
    expect(access).toEqual([
      { user_id: 'u-ann', interaction_id: 'i-1', created_at: at(1) },
      { user_id: 'u-bob', interaction_id: 'i-1', created_at: at(1) },
    ]);
    const log = await k.selectFrom('sync_changes').select(['seq', 'version', 'kind', 'entity_id']).orderBy('seq').execute();
    expect(log.map((r) => `${r.kind}:${r.entity_id}`)).toEqual([
      'interaction:i-1',
      'contact:i-1',
      'message:m-1',
      'message:m-2',
      'interaction:i-2',
      'contact:i-2',
      'message:m-3',
      'wrapup:i-1',
    ]);
    expect(log.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(log.every((r) => r.version === r.seq)).toBe(true);
    expect(Number((await k.selectFrom('sync_counter').select('last_seq').executeTakeFirstOrThrow()).last_seq)).toBe(8);

    // What ann pulls: her one interaction, in full; cy nothing; a new change continues at 9.
    const changeLog = new ChangeLog();
    const reader = new SyncReader(db, changeLog);
    const ann = applyChanges((await reader.pull({ all: false, userId: 'u-ann' }, 0, 100)).changes);
    expect(live(ann, 'message').map((c) => c.data.text)).toEqual(['text 1', 'text 2', 'text 3']);
    expect(live(ann, 'wrapup').map((c) => c.data)).toEqual([expect.objectContaining({ disposition: 'Resolved', notes: 'done', by: 'bob' })]);
    expect((await reader.pull({ all: false, userId: 'u-cy' }, 0, 100)).changes).toEqual([]);
    const [version] = await k.transaction().execute((trx) => changeLog.record(trx, [{ kind: 'interaction', entityId: 'i-2', interactionId: 'i-2', op: 'upsert' }], new Date()));
    expect(version).toBe(9);
  });
});
