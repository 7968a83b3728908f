import { afterEach, describe, expect, it } from 'vitest';
import type { SyncChange } from '../../shared/api/sync';
import { seedHistory } from '../../server/modules/sync/history-seed';
import { isType, login, nextFrame, type Json, type TestBackend } from './helpers';
import { GENERAL, connectAgent, connected, detail, startInteractionsBackend, type Agent } from './interactions-support';
import { applyChanges, live, mutationId, pullAll, push, pushOne } from './sync-support';

const noteText = (c: SyncChange | undefined) => (c?.op === 'upsert' && c.kind === 'note' ? c.data.text : undefined);

async function countRows(server: TestBackend, table: 'sync_notes' | 'sync_mutations'): Promise<number> {
  return Number((await server.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

/** A chat of this agent, ended: it waits for the wrap-up. */
async function inWrapup(server: TestBackend, agent: Agent): Promise<string> {
  const customer = await connected(server, agent);
  agent.ws.send({ type: 'interaction.end', interactionId: customer.interactionId });
  await nextFrame(agent.ws, isType('wrapup.required'));
  return customer.interactionId;
}

describe('sync push: exactly once, conflict rules', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  async function agentWithHistory(): Promise<{ token: string; userId: string; ids: string[] }> {
    const agent = await login(server.url, 'agent1');
    const { interactionIds } = await seedHistory(server.db, { agentId: agent.user.id, queueId: GENERAL, interactions: 3, messages: 6 });
    return { token: agent.token, userId: agent.user.id, ids: interactionIds };
  }

  it('the same mutation id sent in several requests at once (a client retrying) has one effect: one applied, the others duplicates, no error', async () => {
    server = await startInteractionsBackend();
    const { token, ids } = await agentWithHistory();
    const create = { mutationId: mutationId(), type: 'note.create' as const, noteId: 'n-racing', interactionId: ids[0]!, text: 'sent three times at once' };
    const answers = await Promise.all([1, 2, 3].map(() => pushOne(server.url, token, create)));
    expect(answers.map((a) => a.status).sort()).toEqual(['applied', 'duplicate', 'duplicate']);
    expect(await countRows(server, 'sync_notes')).toBe(1);
    expect(await countRows(server, 'sync_mutations')).toBe(1);
  });

  it('the same mutation id twice (in one request and in another) has one effect; the repeat is answered as duplicate with the first answer', async () => {
    server = await startInteractionsBackend();
    const { token, ids } = await agentWithHistory();
    const create = { mutationId: mutationId(), type: 'note.create' as const, noteId: 'n-once', interactionId: ids[0]!, text: 'call back at 3' };
    const [first, again] = await push(server.url, token, [create, create]);
    expect(first).toMatchObject({ status: 'applied', changes: [{ kind: 'note', id: 'n-once', op: 'upsert' }] });
    expect(again).toMatchObject({ status: 'duplicate', original: 'applied', changes: first!.changes });
    expect(await pushOne(server.url, token, create)).toMatchObject({ status: 'duplicate', original: 'applied' });
    expect(await countRows(server, 'sync_notes')).toBe(1);
    expect(await countRows(server, 'sync_mutations')).toBe(1);

    // Another user may reuse the id: ids are per user.
    const supervisor = await login(server.url, 'super1');
    expect(await pushOne(server.url, supervisor.token, { ...create, noteId: 'n-super', text: 'supervisor note' })).toMatchObject({ status: 'applied' });
    // A new id for an existing note id is a client bug: rejected, nothing stored.
    expect(await pushOne(server.url, token, { ...create, mutationId: mutationId() })).toMatchObject({ status: 'rejected', error: { code: 'conflict' } });
    expect(await countRows(server, 'sync_notes')).toBe(2);
  });

  it('a note edited on two devices: the later edit wins, the overwritten text stays as a conflict copy both devices receive', async () => {
    server = await startInteractionsBackend();
    const { token, ids } = await agentWithHistory();
    const created = await pushOne(server.url, token, { mutationId: mutationId(), type: 'note.create', noteId: 'n1', interactionId: ids[1]!, text: 'v1' });
    const base = created.changes[0]!.version;

    const laptop = await pushOne(server.url, token, { mutationId: mutationId(), type: 'note.edit', noteId: 'n1', baseVersion: base, text: 'from the laptop' });
    expect(laptop).toMatchObject({ status: 'applied', changes: [{ id: 'n1' }] });
    expect(noteText(laptop.changes[0])).toBe('from the laptop');

    const desktop = await pushOne(server.url, token, { mutationId: mutationId(), type: 'note.edit', noteId: 'n1', baseVersion: base, text: 'from the desktop' });
    expect(desktop).toMatchObject({ status: 'conflict', resolution: 'concurrent_edit', changes: [{ id: 'n1' }] });
    expect(noteText(desktop.changes[0])).toBe('from the desktop');
    expect(desktop.kept).toMatchObject({ kind: 'note', op: 'upsert', data: { text: 'from the laptop', interactionId: ids[1], conflict: { reason: 'concurrent_edit', of: 'n1' } } });
    expect(desktop.changes[0]!.version).toBeGreaterThan(laptop.changes[0]!.version);

    const notes = live(applyChanges((await pullAll(server.url, token)).changes), 'note');
    expect(notes.map((n) => [n.data.text, n.data.conflict?.reason ?? null]).sort()).toEqual([
      ['from the desktop', null],
      ['from the laptop', 'concurrent_edit'],
    ]);
    // Editing the version you saw is no conflict; a repeat of the winning text is none either.
    const current = desktop.changes[0]!.version;
    expect(await pushOne(server.url, token, { mutationId: mutationId(), type: 'note.edit', noteId: 'n1', baseVersion: current, text: 'final' })).toMatchObject({ status: 'applied' });
    expect(await pushOne(server.url, token, { mutationId: mutationId(), type: 'note.edit', noteId: 'n1', baseVersion: base, text: 'final' })).toMatchObject({ status: 'applied' });
    expect(await countRows(server, 'sync_notes')).toBe(2);
  });

  it('an edit that arrives after the note was deleted, and a delete of text the device never saw, both keep the losing text', async () => {
    server = await startInteractionsBackend();
    const { token, ids } = await agentWithHistory();
    const a = await pushOne(server.url, token, { mutationId: mutationId(), type: 'note.create', noteId: 'n-a', interactionId: ids[2]!, text: 'a1' });
    expect(await pushOne(server.url, token, { mutationId: mutationId(), type: 'note.delete', noteId: 'n-a', baseVersion: a.changes[0]!.version })).toMatchObject({ status: 'applied' });
    const late = await pushOne(server.url, token, { mutationId: mutationId(), type: 'note.edit', noteId: 'n-a', baseVersion: a.changes[0]!.version, text: 'a2 written offline' });
    expect(late).toMatchObject({ status: 'conflict', resolution: 'edited_after_delete', changes: [{ id: 'n-a', op: 'tombstone' }] });
    expect(late.kept).toMatchObject({ data: { text: 'a2 written offline', conflict: { reason: 'edited_after_delete', of: 'n-a' } } });

    const b = await pushOne(server.url, token, { mutationId: mutationId(), type: 'note.create', noteId: 'n-b', interactionId: ids[2]!, text: 'b1' });
    await pushOne(server.url, token, { mutationId: mutationId(), type: 'note.edit', noteId: 'n-b', baseVersion: b.changes[0]!.version, text: 'b2 from another device' });
    const stale = await pushOne(server.url, token, { mutationId: mutationId(), type: 'note.delete', noteId: 'n-b', baseVersion: b.changes[0]!.version });
    expect(stale).toMatchObject({ status: 'conflict', resolution: 'deleted_while_edited', changes: [{ id: 'n-b', op: 'tombstone' }] });
    expect(stale.kept).toMatchObject({ data: { text: 'b2 from another device', conflict: { reason: 'deleted_while_edited', of: 'n-b' } } });

    const local = applyChanges((await pullAll(server.url, token)).changes);
    expect(local.get('note:n-a')).toMatchObject({ op: 'tombstone' });
    expect(local.get('note:n-b')).toMatchObject({ op: 'tombstone' });
    expect(live(local, 'note').map((n) => n.data.text).sort()).toEqual(['a2 written offline', 'b2 from another device']);
    // Another agent's note cannot be edited.
    const other = await login(server.url, 'super1');
    const copyId = late.kept!.id;
    expect(await pushOne(server.url, other.token, { mutationId: mutationId(), type: 'note.edit', noteId: copyId, baseVersion: 0, text: 'x' })).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
  });

  it('a wrap-up from the outbox closes the interaction once; a second one (another device) is a conflict kept as a note', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const id = await inWrapup(server, agent);

    const unknown = await pushOne(server.url, agent.login.token, { mutationId: mutationId(), type: 'wrapup.submit', interactionId: id, disposition: 'Payment taken' });
    expect(unknown).toMatchObject({ status: 'rejected', error: { code: 'bad_request', message: expect.stringMatching(/Choose one of: Resolved/) } });

    const first = { mutationId: mutationId(), type: 'wrapup.submit' as const, interactionId: id, disposition: 'Resolved', notes: 'sent the refund form' };
    const applied = await pushOne(server.url, agent.login.token, first);
    expect(applied.status).toBe('applied');
    expect(applied.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'interaction', id, data: expect.objectContaining({ status: 'closed', disposition: 'Resolved' }) }),
        expect.objectContaining({ kind: 'wrapup', id, data: expect.objectContaining({ disposition: 'Resolved', notes: 'sent the refund form', timedOut: false, late: false }) }),
      ]),
    );
    await nextFrame(agent.ws, (f) => f.type === 'wrapup.done' && f.interactionId === id && !f.timedOut);

    expect(await pushOne(server.url, agent.login.token, first)).toMatchObject({ status: 'duplicate', original: 'applied' });
    const second = await pushOne(server.url, agent.login.token, { mutationId: mutationId(), type: 'wrapup.submit', interactionId: id, disposition: 'Not resolved', notes: 'customer hung up' });
    expect(second).toMatchObject({ status: 'conflict', resolution: 'wrapup_already_submitted' });
    expect(second.kept).toMatchObject({ kind: 'note', data: { interactionId: id, conflict: { reason: 'wrapup_already_submitted', of: id } } });
    expect(noteText(second.kept)).toMatch(/Not resolved[\s\S]*customer hung up/);
    const same = await pushOne(server.url, agent.login.token, { ...first, mutationId: mutationId() });
    expect(same).toMatchObject({ status: 'conflict', resolution: 'wrapup_already_submitted' });
    expect(same.kept).toBeUndefined();

    const stored: Json = await detail(server, agent.login.token, id);
    expect(stored.wrapup).toMatchObject({ disposition: 'Resolved', notes: 'sent the refund form', timedOut: false });
    expect(stored.timeline.filter((e: Json) => e.type === 'wrapup_submitted')).toHaveLength(1);
  });

  it('a wrap-up that arrives after the timeout closed the interaction is applied late and marked so; only its agent may give it', async () => {
    server = await startInteractionsBackend({ wrapupMs: 300 });
    const agent = await connectAgent(server, 'agent1');
    const id = await inWrapup(server, agent);
    await nextFrame(agent.ws, (f) => f.type === 'wrapup.done' && f.interactionId === id && f.timedOut, 10_000);

    const other = await login(server.url, 'agent2');
    expect(await pushOne(server.url, other.token, { mutationId: mutationId(), type: 'wrapup.submit', interactionId: id, disposition: 'Resolved' })).toMatchObject({
      status: 'rejected',
      error: { code: 'forbidden' },
    });
    const late = await pushOne(server.url, agent.login.token, { mutationId: mutationId(), type: 'wrapup.submit', interactionId: id, disposition: 'Follow-up needed', notes: 'written offline' });
    expect(late).toMatchObject({ status: 'applied', resolution: 'late_wrapup' });
    expect(late.changes.find((c) => c.kind === 'wrapup')).toMatchObject({
      op: 'upsert',
      data: { disposition: 'Follow-up needed', notes: 'written offline', timedOut: true, late: true, by: 'agent1' },
    });
    const stored: Json = await detail(server, agent.login.token, id);
    expect(stored.disposition).toBe('Follow-up needed');
    expect(stored.timeline.map((e: Json) => e.type)).toEqual(expect.arrayContaining(['wrapup_timeout', 'wrapup_submitted']));

    const again = await pushOne(server.url, agent.login.token, { mutationId: mutationId(), type: 'wrapup.submit', interactionId: id, disposition: 'Resolved' });
    expect(again).toMatchObject({ status: 'conflict', resolution: 'wrapup_already_submitted' });
    expect(noteText(again.kept)).toMatch(/Resolved/);
  });

  it('a wrap-up for an interaction that has not ended is rejected and changes nothing', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    const early = await pushOne(server.url, agent.login.token, { mutationId: mutationId(), type: 'wrapup.submit', interactionId: customer.interactionId, disposition: 'Resolved' });
    expect(early).toMatchObject({ status: 'rejected', error: { code: 'conflict', message: expect.stringMatching(/has not ended yet/) } });
    expect((await detail(server, agent.login.token, customer.interactionId)).status).toBe('active');
  });
});
