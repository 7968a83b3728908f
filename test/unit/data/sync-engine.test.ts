import { describe, expect, it } from 'vitest';
import { applyInTransaction, prepareChanges } from '../../../renderer/data/apply-changes';
import { createFieldCipher, generateLocalKey } from '../../../renderer/data/crypto/field-cipher';
import { LocalDb } from '../../../renderer/data/db';
import { writeNote } from '../../../renderer/data/outbox';
import { readHistory, readInteraction } from '../../../renderer/data/read';
import { SyncEngine, type SyncEngineOptions } from '../../../renderer/data/sync/engine';
import { FakeSyncServer } from './fake-sync-server';
import { dumpAll, freshIdb, openTestDb } from './helpers';

const author = { id: 'u1', username: 'agent1', displayName: 'Agent One' };

/** Timers the test fires by hand, so retries happen exactly when the test says. */
function manualTimers() {
  const pending: { fn: () => void; ms: number }[] = [];
  return {
    pending,
    setTimer: (fn: () => void, ms: number) => {
      const t = { fn, ms };
      pending.push(t);
      return t;
    },
    clearTimer: (t: unknown) => {
      const i = pending.indexOf(t as (typeof pending)[number]);
      if (i >= 0) pending.splice(i, 1);
    },
    fire() {
      const t = pending.shift();
      t?.fn();
    },
  };
}

function engineFor(db: LocalDb, cipher: Awaited<ReturnType<typeof openTestDb>>['cipher'], server: FakeSyncServer, extra: Partial<SyncEngineOptions> = {}) {
  const timers = manualTimers();
  const engine = new SyncEngine({ db, cipher, transport: server, pageSize: 10, headLimit: 3, setTimer: timers.setTimer, clearTimer: timers.clearTimer, ...extra });
  return { engine, timers };
}

describe('pull', () => {
  it('shows the newest interactions first (head), then backfills everything with progress', async () => {
    const { db, cipher } = await openTestDb();
    const server = new FakeSyncServer();
    for (let i = 0; i < 8; i++) server.seedInteraction(`i${i}`, { daysAgo: 8 - i, messages: 2 });
    const { engine } = engineFor(db, cipher, server);
    engine.start();
    await engine.idle();

    expect(server.calls[0]).toBe('head 3');
    expect(server.calls.slice(1)).toEqual(['pull 0', 'pull 10', 'pull 20', 'pull 30']);
    expect((await readHistory(db, cipher, 3)).map((i) => i.id)).toEqual(['i7', 'i6', 'i5']);
    expect(await db.interactions.count()).toBe(8);
    expect(await db.messages.count()).toBe(16);
    expect((await db.meta.get('backfill'))?.value).toEqual({ applied: 32, total: 32, done: true });
    expect((await db.meta.get('cursor'))?.value).toBe('32');
    const detail = await readInteraction(db, cipher, 'i3');
    expect(detail?.customer).toEqual({ name: 'Customer i3', email: 'i3@example.com' });
    expect(detail?.messages.map((m) => m.text)).toEqual(['message 1 of i3', 'message 2 of i3']);
  });

  it('writes a page and its cursor together: a failed write leaves neither', async () => {
    const { db, cipher } = await openTestDb();
    const server = new FakeSyncServer();
    server.seedInteraction('a', { messages: 3 });
    const page = await server.pull('0', 100);
    const prepared = await prepareChanges(page.changes, cipher);
    await expect(
      applyInTransaction(db, prepared, async () => {
        await db.meta.put({ key: 'cursor', value: page.cursor });
        throw new Error('tab closed mid-write');
      }),
    ).rejects.toThrow('tab closed');
    expect(await db.interactions.count()).toBe(0);
    expect(await db.messages.count()).toBe(0);
    expect(await db.meta.get('cursor')).toBeUndefined();
  });

  it('a crash between pages resumes from the cursor of the last page written, without gaps or repeats', async () => {
    const idb = freshIdb();
    const key = await generateLocalKey();
    const server = new FakeSyncServer();
    for (let i = 0; i < 5; i++) server.seedInteraction(`i${i}`, { messages: 4 }); // 30 changes, pages of 10
    server.failPullAfter = '20';

    const db1 = new LocalDb('veildesk-data:u1@crash', idb);
    const first = engineFor(db1, createFieldCipher(key), server);
    first.engine.start();
    await first.engine.idle();
    // The third page failed: two pages are in, with their cursor; then the tab "crashes".
    expect((await db1.meta.get('cursor'))?.value).toBe('20');
    expect(await db1.messages.count() + (await db1.interactions.count()) + (await db1.contacts.count())).toBe(20);
    first.engine.stop();
    db1.close();

    server.calls.length = 0;
    const db2 = new LocalDb('veildesk-data:u1@crash', idb);
    const second = engineFor(db2, createFieldCipher(key), server);
    second.engine.start();
    await second.engine.idle();
    expect(server.calls).toEqual(['pull 20']);
    expect(await db2.interactions.count()).toBe(5);
    expect(await db2.messages.count()).toBe(20);
    expect((await db2.meta.get('backfill'))?.value).toEqual({ applied: 30, total: 30, done: true });
  });

  it('keeps the newer copy: an older version does not overwrite, a pending local edit is not overwritten by a pull', async () => {
    const { db, cipher } = await openTestDb();
    const server = new FakeSyncServer();
    server.seedInteraction('a');
    const { engine } = engineFor(db, cipher, server);
    engine.start();
    await engine.idle();
    const newer = server.upsert({ kind: 'contact', id: 'a', interactionId: 'a', op: 'upsert', data: { id: 'a', name: 'New Name', email: null } });
    const older = { ...newer, version: 1, data: { id: 'a', name: 'Stale', email: null } } as typeof newer;
    await applyInTransaction(db, await prepareChanges([newer], cipher));
    const stats = await applyInTransaction(db, await prepareChanges([older], cipher));
    expect(stats.skippedOlder).toBe(1);
    expect((await readInteraction(db, cipher, 'a'))?.customer).toEqual({ name: 'New Name' });

    const noteId = await writeNote({ db, cipher }, author, 'a', 'mine, offline');
    const fromServer = { kind: 'note', id: noteId, interactionId: 'a', version: 99, op: 'upsert', data: { id: noteId, interactionId: 'a', authorId: 'u1', authorName: 'A', text: 'theirs', createdAt: 'x', updatedAt: 'x', conflict: null } } as const;
    await applyInTransaction(db, await prepareChanges([fromServer], cipher));
    expect((await readInteraction(db, cipher, 'a'))?.notes.map((n) => n.text)).toEqual(['mine, offline']);
  });

  it('a nudge pulls only when the server is ahead of us', async () => {
    const { db, cipher } = await openTestDb();
    const server = new FakeSyncServer();
    server.seedInteraction('a');
    const { engine } = engineFor(db, cipher, server);
    engine.start();
    await engine.idle();
    server.calls.length = 0;
    engine.nudge('2');
    await engine.idle();
    expect(server.calls).toEqual([]);
    server.seedInteraction('b', { messages: 1 });
    engine.nudge('5');
    await engine.idle();
    expect(server.calls).toEqual(['pull 2']);
    expect(await db.interactions.count()).toBe(2);
  });
});

describe('tombstones', () => {
  it('an erased interaction leaves no local copy: row, contact, transcript, notes, wrap-up and unsent changes', async () => {
    const { db, cipher } = await openTestDb();
    const server = new FakeSyncServer();
    server.seedInteraction('gone', { messages: 3 });
    server.seedInteraction('kept', { messages: 1 });
    server.upsert({ kind: 'wrapup', id: 'gone', interactionId: 'gone', op: 'upsert', data: { interactionId: 'gone', disposition: 'Resolved', notes: 'secret wrap-up', submittedAt: 'x', by: 'agent1', timedOut: false, late: false } });
    const { engine } = engineFor(db, cipher, server);
    engine.start();
    await engine.idle();
    await writeNote({ db, cipher }, author, 'gone', 'unsent note about gone');
    engine.stop();

    for (const m of [1, 2, 3]) server.tombstone('message', `gone-m${m}`, 'gone');
    server.tombstone('contact', 'gone', 'gone');
    server.tombstone('wrapup', 'gone', 'gone');
    server.tombstone('interaction', 'gone', 'gone');
    const again = engineFor(db, cipher, server).engine;
    again.nudge();
    await again.idle();

    expect(await db.interactions.get('gone')).toBeUndefined();
    expect(await db.contacts.get('gone')).toBeUndefined();
    expect(await db.messages.where('[interactionId+seq]').between(['gone', -Infinity], ['gone', Infinity]).count()).toBe(0);
    expect(await db.notes.where('interactionId').equals('gone').count()).toBe(0);
    expect(await db.wrapups.get('gone')).toBeUndefined();
    expect(await db.outbox.count()).toBe(0);
    expect(await db.interactions.get('kept')).toBeDefined();
    expect(await db.messages.count()).toBe(1);
  });

  it('an erased note takes its unsent edits along', async () => {
    const { db, cipher } = await openTestDb();
    const server = new FakeSyncServer();
    server.seedInteraction('a');
    server.upsert({ kind: 'note', id: 'n1', interactionId: 'a', op: 'upsert', data: { id: 'n1', interactionId: 'a', authorId: 'u1', authorName: 'A', text: 'x', createdAt: 'x', updatedAt: 'x', conflict: null } });
    const { engine } = engineFor(db, cipher, server);
    engine.start();
    await engine.idle();
    engine.stop();
    const { editNote } = await import('../../../renderer/data/outbox');
    await editNote({ db, cipher }, 'n1', 'edited while offline');
    server.tombstone('note', 'n1', 'a', 'erased');
    const stats = await applyInTransaction(db, await prepareChanges((await server.pull('3', 10)).changes, cipher));
    expect(stats.discardedOutbox).toBe(1);
    expect(await db.notes.get('n1')).toBeUndefined();
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('no plaintext at rest', () => {
  it('message text, customer names and e-mails, notes, wrap-up notes and outbox payloads are stored only as ciphertext', async () => {
    const { db, cipher } = await openTestDb();
    const server = new FakeSyncServer();
    server.seedInteraction('a', { messages: 2, name: 'Zelda Quintessa' });
    server.upsert({ kind: 'wrapup', id: 'a', interactionId: 'a', op: 'upsert', data: { interactionId: 'a', disposition: 'Resolved', notes: 'wrapup-note-plaintext', submittedAt: 'x', by: 'agent1', timedOut: false, late: false } });
    const { engine } = engineFor(db, cipher, server);
    engine.start();
    await engine.idle();
    await writeNote({ db, cipher }, author, 'a', 'offline-note-plaintext');

    const dump = await dumpAll(db);
    expect(dump).toContain('Resolved'); // the dump does see plain fields
    for (const secret of ['message 1 of a', 'message 2 of a', 'Zelda', 'a@example.com', 'wrapup-note-plaintext', 'offline-note-plaintext']) {
      expect(dump).not.toContain(secret);
    }
    const detail = await readInteraction(db, cipher, 'a');
    expect(detail?.notes[0]?.text).toBe('offline-note-plaintext');
    expect(detail?.wrapup?.notes).toBe('wrapup-note-plaintext');
  });
});
