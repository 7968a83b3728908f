import { describe, expect, it } from 'vitest';
import { writeNote } from '../../../renderer/data/outbox';
import { purgeExpired } from '../../../renderer/data/retention';
import { SyncEngine } from '../../../renderer/data/sync/engine';
import { FakeSyncServer } from './fake-sync-server';
import { openTestDb } from './helpers';

const NOW = Date.parse('2026-11-29T00:00:00Z');

describe('retention', () => {
  it('purges interactions older than the org retention, with everything of them, except ones with unsent changes', async () => {
    const { db, cipher } = await openTestDb();
    const server = new FakeSyncServer();
    server.seedInteraction('old', { daysAgo: 40, messages: 3 });
    server.seedInteraction('old-pending', { daysAgo: 45, messages: 1 });
    server.seedInteraction('recent', { daysAgo: 5, messages: 2 });
    const engine = new SyncEngine({ db, cipher, transport: server, now: () => NOW });
    engine.start();
    await engine.idle();
    await writeNote({ db, cipher }, { id: 'u1', username: 'agent1', displayName: 'A' }, 'old-pending', 'not sent yet');

    expect((await purgeExpired(db, NOW)).interactions).toBe(0); // no policy yet: nothing goes

    // The org sets 30 days: the engine applies the setting and purges at once.
    server.upsert({ kind: 'setting', id: 'retentionDays', interactionId: null, op: 'upsert', data: { key: 'retentionDays', value: 30 } });
    engine.nudge();
    await engine.idle();

    expect((await db.interactions.toCollection().primaryKeys()).sort()).toEqual(['old-pending', 'recent']);
    expect(await db.messages.count()).toBe(3);
    expect(await db.contacts.get('old')).toBeUndefined();
    expect((await db.meta.get('retentionPurge'))?.value).toMatchObject({ interactions: 1, cutoff: '2026-10-30T00:00:00.000Z' });

    // Once the change is sent, the next purge takes that one too.
    await db.outbox.clear();
    expect((await purgeExpired(db, NOW)).interactions).toBe(1);
    expect((await db.interactions.toCollection().primaryKeys())).toEqual(['recent']);
  });
});
