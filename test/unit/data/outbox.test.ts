import { describe, expect, it } from 'vitest';
import { sealContext } from '../../../renderer/data/apply-changes';
import { editNote, writeNote, writeWrapup } from '../../../renderer/data/outbox';
import { readInteraction } from '../../../renderer/data/read';
import { SyncEngine } from '../../../renderer/data/sync/engine';
import { FakeSyncServer } from './fake-sync-server';
import { openTestDb } from './helpers';

const author = { id: 'u1', username: 'agent1', displayName: 'Agent One' };

async function setup() {
  const { db, cipher } = await openTestDb();
  const server = new FakeSyncServer();
  server.seedInteraction('a', { messages: 1 });
  const timers: (() => void)[] = [];
  const engine = new SyncEngine({ db, cipher, transport: server, setTimer: (fn) => timers.push(fn), clearTimer: () => undefined });
  engine.start();
  await engine.idle();
  return { db, cipher, server, engine, timers, deps: { db, cipher } };
}

describe('outbox push', () => {
  it('a push whose answer is lost is sent again with the same ids and applied once; the local note becomes the server one', async () => {
    const { db, cipher, server, engine, timers, deps } = await setup();
    const noteId = await writeNote(deps, author, 'a', 'called back, customer happy');
    await writeWrapup(deps, author, 'a', 'Resolved', 'done offline');
    const queued = (await db.outbox.toArray()).map((o) => o.mutationId);
    expect(queued).toHaveLength(2);
    expect((await readInteraction(db, cipher, 'a'))?.notes[0]).toMatchObject({ pending: true });

    server.loseNextPushResponse = true;
    engine.pushSoon();
    await engine.idle();
    expect(server.applied).toEqual(queued); // applied on the server…
    expect(await db.outbox.count()).toBe(2); // …but we never heard, so they wait
    expect((await db.outbox.toArray()).every((o) => o.attempts === 1 && o.lastError === 'connection reset')).toBe(true);

    timers.shift()?.();
    await engine.idle();
    expect(server.applied).toEqual(queued); // nothing applied twice
    expect(server.entities('note')).toHaveLength(1);
    expect(await db.outbox.count()).toBe(0);
    const local = await db.notes.get(noteId);
    expect(local).toMatchObject({ pending: 0, version: server.get('note', noteId)!.version });
    const detail = await readInteraction(db, cipher, 'a');
    expect(detail?.notes.map((n) => n.text)).toEqual(['called back, customer happy']);
    expect(detail?.wrapup).toMatchObject({ disposition: 'Resolved', notes: 'done offline', pending: false });
  });

  it('mutations are pushed in the order they were made', async () => {
    const { db, server, engine, deps } = await setup();
    const id = await writeNote(deps, author, 'a', 'first');
    await editNote(deps, id, 'second');
    await editNote(deps, id, 'third');
    const order = (await db.outbox.orderBy('seq').toArray()).map((o) => o.type);
    expect(order).toEqual(['note.create', 'note.edit', 'note.edit']);
    engine.pushSoon();
    await engine.idle();
    const note = server.get('note', id);
    expect(note?.op === 'upsert' && note.kind === 'note' ? note.data.text : null).toBe('third');
  });

  it('a conflict keeps the losing edit visible as a conflict copy and tells the user', async () => {
    const { db, cipher, server, engine, deps } = await setup();
    const id = await writeNote(deps, author, 'a', 'original');
    engine.pushSoon();
    await engine.idle();
    // Another device edits the note; we edit our (now stale) copy offline.
    const current = server.get('note', id)!;
    if (current.op !== 'upsert' || current.kind !== 'note') throw new Error('note missing');
    server.upsert({ kind: 'note', id, interactionId: 'a', op: 'upsert', data: { ...current.data, text: 'edited on the other device' } });
    await editNote(deps, id, 'edited here, offline');
    engine.pushSoon();
    await engine.idle();

    const notes = (await readInteraction(db, cipher, 'a'))!.notes;
    expect(notes.map((n) => [n.text, n.conflict?.reason ?? null])).toEqual(
      expect.arrayContaining([
        ['edited on the other device', null],
        ['edited here, offline', 'concurrent_edit'],
      ]),
    );
    const problems = await db.problems.toArray();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'conflict', interactionId: 'a' });
    expect(problems[0]!.message).toMatch(/kept as a copy/);
  });

  it('a refused change leaves the outbox but keeps what was typed, sealed, for the user', async () => {
    const { db, cipher, engine, deps } = await setup();
    await writeNote(deps, author, 'no-such-interaction', 'typed for nothing');
    engine.pushSoon();
    await engine.idle();
    expect(await db.outbox.count()).toBe(0);
    expect(await db.notes.count()).toBe(0);
    const [problem] = await db.problems.toArray();
    expect(problem).toMatchObject({ kind: 'rejected', interactionId: 'no-such-interaction' });
    expect(problem!.message).toContain('Interaction not found.');
    expect(await cipher.open(problem!.sealed, sealContext.problem(problem!.ref))).toEqual({ text: 'typed for nothing' });
  });
});
