import { liveQuery } from 'dexie';
import { describe, expect, it } from 'vitest';
import { type SyncPullResponse } from '../../../shared';
import { type PreparedChanges, applyInTransaction, prepareChanges } from '../../../renderer/data/apply-changes';
import { writeNote } from '../../../renderer/data/outbox';
import { readInteraction } from '../../../renderer/data/read';
import { ChangeNotifier } from '../../../renderer/data/sync/change-notifier';
import { SyncEngine } from '../../../renderer/data/sync/engine';
import { PagePrefetcher } from '../../../renderer/data/sync/page-prefetch';
import { readOutOfBand, writePulledPage } from '../../../renderer/data/sync/page-writer';
import { FakeSyncServer } from './fake-sync-server';
import { openTestDb } from './helpers';

const author = { id: 'u1', username: 'agent1', displayName: 'Agent One' };
const contact = (id: string, name: string) => ({ kind: 'contact', id, interactionId: id, op: 'upsert', data: { id, name, email: null } }) as const;

describe('pull pages written without reading versions first', () => {
  it('writes a page and its cursor when nothing else wrote since it was requested', async () => {
    const { db, cipher } = await openTestDb();
    const server = new FakeSyncServer();
    server.seedInteraction('a', { messages: 3 });
    const outOfBand = await readOutOfBand(db);
    const page = await server.pull('0', 100);
    const stats = await writePulledPage(db, await prepareChanges(page.changes, cipher), { after: '0', cursor: page.cursor, outOfBand, progress: { applied: 5, total: 5, done: true } });
    expect(stats?.written).toBe(page.changes.length);
    expect(await db.messages.count()).toBe(3);
    expect((await db.meta.get('cursor'))?.value).toBe(page.cursor);
    expect((await db.meta.get('backfill'))?.value).toEqual({ applied: 5, total: 5, done: true });
    expect((await readInteraction(db, cipher, 'a'))?.messages.map((m) => m.text)).toEqual(['message 1 of a', 'message 2 of a', 'message 3 of a']);
  });

  it('writes nothing when the stored cursor moved (another tab wrote pages), when a page has tombstones, or when the outbox holds its interaction', async () => {
    const { db, cipher } = await openTestDb();
    const server = new FakeSyncServer();
    server.seedInteraction('a');
    const page = await server.pull('0', 100);
    const prepared = await prepareChanges(page.changes, cipher);
    await db.meta.put({ key: 'cursor', value: '1' });
    expect(await writePulledPage(db, prepared, { after: '0', cursor: page.cursor, outOfBand: 0, progress: null })).toBeNull();
    expect(await db.interactions.count()).toBe(0);
    expect((await db.meta.get('cursor'))?.value).toBe('1');

    await db.meta.put({ key: 'cursor', value: '0' });
    const withTombstone: PreparedChanges = { ...prepared, tombstones: [{ kind: 'note', id: 'n', interactionId: 'a', version: 9, op: 'tombstone', reason: 'deleted' }] };
    expect(await writePulledPage(db, withTombstone, { after: '0', cursor: page.cursor, outOfBand: 0, progress: null })).toBeNull();

    await writeNote({ db, cipher }, author, 'a', 'mine, offline');
    expect(await writePulledPage(db, prepared, { after: '0', cursor: page.cursor, outOfBand: 0, progress: null })).toBeNull();
    expect(await db.interactions.count()).toBe(0);
  });

  it('a page requested before an interaction was fetched out of band is written version by version: the newer copy stays', async () => {
    const { db, cipher } = await openTestDb();
    const server = new FakeSyncServer();
    for (const id of ['a', 'b']) server.seedInteraction(id);
    const outOfBand = await readOutOfBand(db);
    const page = await server.pull('0', 100);
    // While the page was on its way, the server renamed b's customer and the user opened b.
    server.upsert(contact('b', 'Renamed'));
    await applyInTransaction(db, await prepareChanges((await server.interaction('b')).changes, cipher));
    const prepared = await prepareChanges(page.changes, cipher);
    expect(await writePulledPage(db, prepared, { after: '0', cursor: page.cursor, outOfBand, progress: null })).toBeNull();
    // What the engine does then.
    const stats = await applyInTransaction(db, prepared, () => db.meta.put({ key: 'cursor', value: page.cursor }), { fromPull: true });
    expect(stats.skippedOlder).toBe(2);
    expect((await readInteraction(db, cipher, 'b'))?.customer).toEqual({ name: 'Renamed' });
    expect((await readInteraction(db, cipher, 'a'))?.customer).toEqual({ name: 'Customer a', email: 'a@example.com' });
    // A page requested after that write goes the quick way again.
    const later = await readOutOfBand(db);
    const next = await server.pull(page.cursor, 100);
    expect(await writePulledPage(db, await prepareChanges(next.changes, cipher), { after: page.cursor, cursor: next.cursor, outOfBand: later, progress: null })).not.toBeNull();
    expect((await readInteraction(db, cipher, 'b'))?.customer).toEqual({ name: 'Renamed' });
  });

  it('a pending local note is not replaced by a pulled page', async () => {
    const { db, cipher } = await openTestDb();
    const server = new FakeSyncServer();
    server.seedInteraction('a');
    const engine = new SyncEngine({ db, cipher, transport: server, pageSize: 100, headLimit: 1 });
    engine.start();
    await engine.idle();
    const noteId = await writeNote({ db, cipher }, author, 'a', 'mine, offline');
    server.upsert({ kind: 'note', id: noteId, interactionId: 'a', op: 'upsert', data: { id: noteId, interactionId: 'a', authorId: 'u1', authorName: 'A', text: 'theirs', createdAt: 'x', updatedAt: 'x', conflict: null } });
    engine.nudge(); // a pull only; the note stays unsent
    await engine.idle();
    expect(server.calls.at(-1)).toMatch(/^pull /);
    expect((await readInteraction(db, cipher, 'a'))?.notes.map((n) => n.text)).toEqual(['mine, offline']);
  });

  it('pages written the careful way (their interaction waits in the outbox) keep their order with the quick ones: nothing lost, cursor at the end', async () => {
    const { db, cipher } = await openTestDb();
    const server = new FakeSyncServer();
    for (let i = 0; i < 6; i++) server.seedInteraction(`i${i}`, { messages: 3 });
    await writeNote({ db, cipher }, author, 'i0', 'mine, offline');
    const written: string[] = [];
    const engine = new SyncEngine({ db, cipher, transport: server, pageSize: 4, headLimit: 1, onPageWritten: (how) => written.push(how) });
    engine.nudge(); // a pull only; the note stays unsent
    await engine.idle();
    // i0's records fill the first two pages; the rest go the quick way again.
    expect(written).toEqual(['careful', 'careful', 'quick', 'quick', 'quick', 'quick', 'quick', 'quick']);
    expect(await db.interactions.count()).toBe(6);
    expect(await db.messages.count()).toBe(18);
    expect((await db.meta.get('cursor'))?.value).toBe('30');
    expect((await db.meta.get('backfill'))?.value).toEqual({ applied: 30, total: 30, done: true });
    expect((await readInteraction(db, cipher, 'i0'))?.notes.map((n) => n.text)).toEqual(['mine, offline']);
    expect((await readInteraction(db, cipher, 'i5'))?.messages).toHaveLength(3);
  });

  it('pages requested before an out-of-band write go the careful way, and the pages requested after a write has seen the new count go quick again', async () => {
    const { db, cipher } = await openTestDb();
    const server = new FakeSyncServer();
    for (let i = 0; i < 10; i++) server.seedInteraction(`i${i}`, { messages: 3 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let pulls = 0;
    let reachedGate: () => void = () => undefined;
    const atGate = new Promise<void>((r) => (reachedGate = r));
    // The third page (i2's records) is read by the server, then held on its way back.
    const transport = {
      ...server,
      head: server.head.bind(server),
      interaction: server.interaction.bind(server),
      push: server.push.bind(server),
      pull: async (after: string, limit: number) => {
        const page = await server.pull(after, limit);
        if (++pulls === 3) {
          reachedGate();
          await gate;
        }
        return page;
      },
    };
    const written: string[] = [];
    const afterThird: Promise<unknown>[] = [];
    const engine = new SyncEngine({
      db, cipher, transport, pageSize: 5, headLimit: 1, prefetchPages: 2,
      onPageWritten: (how) => {
        written.push(how);
        if (written.length === 3) afterThird.push(readInteraction(db, cipher, 'i2').then((i) => i?.customer));
      },
    });
    engine.nudge();
    await atGate;
    // Meanwhile the server renamed i2's customer, and the user opened i2 (fetched out of band).
    server.upsert(contact('i2', 'Renamed'));
    await applyInTransaction(db, await prepareChanges((await server.interaction('i2')).changes, cipher));
    release();
    await engine.idle();
    expect(written[2]).toBe('careful');
    expect(await afterThird[0]).toEqual({ name: 'Renamed' });
    expect(written.at(-1)).toBe('quick');
    // Careful only until a page write has read the new count; the pages requested after that are quick.
    expect(written).toHaveLength(11);
    expect(written.slice(-4)).toEqual(['quick', 'quick', 'quick', 'quick']);
    expect((await readInteraction(db, cipher, 'i2'))?.customer).toEqual({ name: 'Renamed' });
    expect(await db.messages.count()).toBe(30);
  });

  it('live queries (other tabs, the page) see the pages written with plain IndexedDB', async () => {
    const { db, cipher } = await openTestDb();
    const server = new FakeSyncServer();
    for (let i = 0; i < 5; i++) server.seedInteraction(`i${i}`, { messages: 4 });
    const counts: number[] = [];
    const sub = liveQuery(() => db.messages.count()).subscribe({ next: (n) => counts.push(n) });
    try {
      const engine = new SyncEngine({ db, cipher, transport: server, pageSize: 7, headLimit: 1 });
      engine.start();
      await engine.idle();
      await expect.poll(() => counts.at(-1)).toBe(20);
    } finally {
      sub.unsubscribe();
    }
  });
});

describe('ChangeNotifier', () => {
  it('tells at most once per interval, gathers the tables meanwhile, and tells at once when urgent', async () => {
    const { db } = await openTestDb('veildesk-data:n@test');
    let now = 0;
    const timers: { fn: () => void; ms: number }[] = [];
    const fired: string[][] = [];
    const notifier = new ChangeNotifier(db, {
      intervalMs: 1000,
      now: () => now,
      setTimer: (fn, ms) => timers.push({ fn, ms }),
      clearTimer: () => timers.splice(0),
      fire: (parts) => fired.push(Object.keys(parts)),
    });
    notifier.changed(['messages']);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toContain('idb://veildesk-data:n@test/messages/[interactionId+seq]');
    now = 300;
    notifier.changed(['contacts']);
    notifier.changed(['interactions']);
    expect(fired).toHaveLength(1);
    expect(timers).toEqual([{ fn: expect.any(Function), ms: 700 }]);
    now = 1000;
    timers[0]!.fn();
    expect(fired).toHaveLength(2);
    expect(fired[1]).toEqual(expect.arrayContaining(['idb://veildesk-data:n@test/contacts/', 'idb://veildesk-data:n@test/interactions/createdAt']));
    now = 1100;
    notifier.changed(['meta'], true);
    expect(fired).toHaveLength(3);
  });
});

describe('PagePrefetcher', () => {
  const pageAfter = (after: string, last: number): SyncPullResponse => {
    const n = Number(after) + 1;
    return { changes: [], cursor: String(n), hasMore: n < last, remaining: last - n };
  };

  it('requests the next page as soon as the previous one answers, up to `depth` ahead, and stops at the last', async () => {
    const pulls: string[] = [];
    const prefetch = new PagePrefetcher('0', {
      readOutOfBand: async () => 0,
      pull: async (after) => (pulls.push(after), pageAfter(after, 4)),
      prepare: async () => ({ interactions: [], contacts: [], messages: [], notes: [], wrapups: [], queues: [], settings: [], tombstones: [], count: 0 }),
      depth: 2,
      stopped: () => false,
    });
    await expect.poll(() => pulls).toEqual(['0', '1']);
    expect((await prefetch.take()).page.cursor).toBe('1');
    await expect.poll(() => pulls).toEqual(['0', '1', '2']);
    expect((await prefetch.take()).page.cursor).toBe('2');
    expect((await prefetch.take()).page.cursor).toBe('3');
    const last = await prefetch.take();
    expect(last.page).toMatchObject({ cursor: '4', hasMore: false });
    expect(pulls).toEqual(['0', '1', '2', '3']);
  });

  it('a failed request fails its page and nothing after it is requested', async () => {
    const pulls: string[] = [];
    const prefetch = new PagePrefetcher('0', {
      readOutOfBand: async () => 0,
      pull: async (after) => {
        pulls.push(after);
        if (after === '1') throw new Error('network down');
        return pageAfter(after, 9);
      },
      prepare: async () => ({ interactions: [], contacts: [], messages: [], notes: [], wrapups: [], queues: [], settings: [], tombstones: [], count: 0 }),
      depth: 3,
      stopped: () => false,
    });
    expect((await prefetch.take()).after).toBe('0');
    await expect(prefetch.take()).rejects.toThrow('network down');
    expect(pulls).toEqual(['0', '1']);
  });
});
