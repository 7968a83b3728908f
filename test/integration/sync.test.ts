import { afterEach, describe, expect, it } from 'vitest';
import { seedHistory } from '../../server/modules/sync/history-seed';
import { api, isType, login, nextFrame, roundTrip, wsConnect, type TestBackend } from './helpers';
import { BILLING, GENERAL, connectAgent, connected, startInteractionsBackend } from './interactions-support';
import { applyChanges, head, interactionBundle, live, mutationId, pullAll, pullPage, pushOne } from './sync-support';

describe('sync: pull, head, scope, nudges, tombstones', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('an agent pulls their chat (interaction, contact, messages, wrap-up) plus queues and settings; another agent gets none of it, a supervisor does', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent, { customer: { name: 'Dana Doe', email: 'dana@example.test' } });
    const id = customer.interactionId;
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c1', text: 'my card was charged twice' });
    await nextFrame(agent.ws, (f) => f.type === 'chat.message' && f.message.text === 'my card was charged twice');
    agent.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'a1', text: 'let me check that' });
    await nextFrame(agent.ws, (f) => f.type === 'chat.message' && f.message.text === 'let me check that');
    agent.ws.send({ type: 'interaction.end', interactionId: id });
    await nextFrame(agent.ws, isType('wrapup.required'));
    agent.ws.send({ type: 'wrapup.submit', interactionId: id, disposition: 'Resolved', notes: 'refund promised' });
    await nextFrame(agent.ws, isType('wrapup.done'));

    const mine = applyChanges((await pullAll(server.url, agent.login.token)).changes);
    expect(live(mine, 'interaction').map((c) => c.data)).toEqual([expect.objectContaining({ id, status: 'closed', disposition: 'Resolved', contactId: id, queueId: GENERAL })]);
    expect(live(mine, 'contact').map((c) => c.data)).toEqual([{ id, name: 'Dana Doe', email: 'dana@example.test' }]);
    expect(live(mine, 'message').map((c) => [c.data.seq, c.data.from, c.data.text])).toEqual([
      [1, 'customer', 'my card was charged twice'],
      [2, 'agent', 'let me check that'],
    ]);
    expect(live(mine, 'wrapup').map((c) => c.data)).toEqual([expect.objectContaining({ interactionId: id, disposition: 'Resolved', notes: 'refund promised', timedOut: false, late: false, by: 'agent1' })]);
    expect(live(mine, 'queue').map((c) => c.data.id).sort()).toEqual([BILLING, GENERAL]);
    expect(live(mine, 'setting').map((c) => c.data)).toEqual([{ key: 'retentionDays', value: 30 }]);

    const other = await login(server.url, 'agent2');
    const theirs = applyChanges((await pullAll(server.url, other.token)).changes);
    expect([...theirs.values()].filter((c) => c.interactionId !== null)).toEqual([]);
    expect(live(theirs, 'queue')).toHaveLength(2);
    expect((await interactionBundle(server.url, other.token, id)).status).toBe(404); // as for an unknown id (issue 17)
    const refused = await pushOne(server.url, other.token, { mutationId: mutationId(), type: 'note.create', noteId: 'n-agent2', interactionId: id, text: 'peeking' });
    expect(refused).toMatchObject({ status: 'rejected', error: { code: 'not_found' } }); // as for an unknown id (issue 17)

    const supervisor = await login(server.url, 'super1');
    const all = applyChanges((await pullAll(server.url, supervisor.token)).changes);
    expect(live(all, 'message')).toHaveLength(2);
    const bundle = await interactionBundle(server.url, supervisor.token, id);
    expect(bundle.status).toBe(200);
  });

  it('pages by cursor: every entity exactly once across pages, head gives the newest first, later changes come after the saved cursor only', async () => {
    server = await startInteractionsBackend();
    const agent1 = await login(server.url, 'agent1');
    const agent2 = await login(server.url, 'agent2');
    const seeded = await seedHistory(server.db, { agentId: agent1.user.id, queueId: GENERAL, interactions: 120, messages: 700 });
    await seedHistory(server.db, { agentId: agent2.user.id, queueId: GENERAL, interactions: 30, messages: 90 });

    const first = await pullPage(server.url, agent1.token, '0', 100);
    // 120 × (interaction, contact, wrap-up) + 700 messages + 2 queues + 1 setting.
    const expected = 120 * 3 + 700 + 3;
    expect(first.hasMore).toBe(true);
    expect(first.remaining).toBe(expected - 100);

    const { changes, cursor, pages } = await pullAll(server.url, agent1.token, '0', 100);
    expect(pages).toBe(Math.ceil(expected / 100));
    expect(changes).toHaveLength(expected);
    expect(new Set(changes.map((c) => `${c.kind}:${c.id}`)).size).toBe(expected);
    const local = applyChanges(changes);
    expect(live(local, 'interaction').map((c) => c.id).sort()).toEqual([...seeded.interactionIds].sort());
    expect(live(local, 'message')).toHaveLength(700);

    const top = await head(server.url, agent1.token, 50);
    expect(top.totalInteractions).toBe(120);
    expect(top.totalChanges).toBe(expected);
    const newest = top.changes.filter((c) => c.kind === 'interaction').map((c) => c.id);
    expect(newest).toEqual(seeded.interactionIds.slice(-50).reverse());
    expect(top.changes.some((c) => c.kind === 'message')).toBe(false);

    // Nothing new: the saved cursor gives an empty last page.
    expect(await pullPage(server.url, agent1.token, cursor)).toMatchObject({ changes: [], hasMore: false, remaining: 0, cursor });
    const note = await pushOne(server.url, agent1.token, { mutationId: mutationId(), type: 'note.create', noteId: 'n-after', interactionId: seeded.interactionIds[3]!, text: 'called back' });
    expect(note.status).toBe('applied');
    const next = await pullPage(server.url, agent1.token, cursor);
    expect(next.changes).toEqual([expect.objectContaining({ kind: 'note', id: 'n-after', op: 'upsert', interactionId: seeded.interactionIds[3] })]);
    expect(next.changes[0]!.version).toBeGreaterThan(Number(cursor));
  });

  it('nudges the agents of the interaction and the supervisors when it changes, not other agents', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const other = await wsConnect(server.url, (await login(server.url, 'agent3')).token);
    const supervisor = await wsConnect(server.url, (await login(server.url, 'super1')).token);
    const customer = await connected(server, agent);
    const { cursor } = await pullAll(server.url, agent.login.token);

    customer.ws.send({ type: 'chat.send', interactionId: customer.interactionId, clientMsgId: 'c1', text: 'hello?' });
    const nudge = await nextFrame(agent.ws, (f) => f.type === 'sync.nudge' && Number(f.cursor) > Number(cursor));
    await nextFrame(supervisor, (f) => f.type === 'sync.nudge' && Number(f.cursor) >= Number(nudge.type === 'sync.nudge' ? nudge.cursor : 0));
    const page = await pullPage(server.url, agent.login.token, cursor);
    expect(page.changes.filter((c) => c.kind === 'message').map((c) => c.op === 'upsert' && c.kind === 'message' && c.data.text)).toEqual(['hello?']);
    // A nudge to agent3 would have been sent in the same flush as the others.
    await roundTrip(other);
    expect(other.frames.filter((f) => f.type === 'sync.nudge')).toEqual([]);
  });

  it('an agent who accepts a transferred interaction gets its earlier messages even with a cursor already past them', async () => {
    server = await startInteractionsBackend();
    const agent1 = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent1);
    customer.ws.send({ type: 'chat.send', interactionId: customer.interactionId, clientMsgId: 'c1', text: 'before the transfer' });
    await nextFrame(agent1.ws, (f) => f.type === 'chat.message' && f.message.text === 'before the transfer');
    const agent2 = await connectAgent(server, 'agent2');
    const { cursor } = await pullAll(server.url, agent2.login.token);

    agent1.ws.send({ type: 'interaction.transfer', interactionId: customer.interactionId, to: { kind: 'agent', userId: agent2.id } });
    await nextFrame(agent2.ws, (f) => f.type === 'offer' && f.interaction.id === customer.interactionId);
    agent2.ws.send({ type: 'offer.accept', interactionId: customer.interactionId });
    await nextFrame(agent2.ws, (f) => f.type === 'interaction.opened');
    await nextFrame(agent2.ws, isType('sync.nudge'));

    const local = applyChanges((await pullAll(server.url, agent2.login.token, cursor)).changes);
    expect(live(local, 'message').map((c) => c.data.text)).toEqual(['before the transfer']);
    expect(live(local, 'interaction').map((c) => c.data.agentId)).toEqual([agent2.id]);
  });

  it('a deleted note travels as a tombstone and leaves the interaction bundle', async () => {
    server = await startInteractionsBackend();
    const agent = await login(server.url, 'agent1');
    const { interactionIds } = await seedHistory(server.db, { agentId: agent.user.id, queueId: GENERAL, interactions: 2, messages: 4 });
    const id = interactionIds[1]!;
    const created = await pushOne(server.url, agent.token, { mutationId: mutationId(), type: 'note.create', noteId: 'n-del', interactionId: id, text: 'temporary' });
    const { cursor } = await pullAll(server.url, agent.token);
    const removed = await pushOne(server.url, agent.token, { mutationId: mutationId(), type: 'note.delete', noteId: 'n-del', baseVersion: created.changes[0]!.version });
    expect(removed).toMatchObject({ status: 'applied', changes: [{ kind: 'note', id: 'n-del', op: 'tombstone', reason: 'deleted', interactionId: id }] });

    const page = await pullPage(server.url, agent.token, cursor);
    expect(page.changes).toEqual([expect.objectContaining({ kind: 'note', id: 'n-del', op: 'tombstone', reason: 'deleted' })]);
    const bundle = await interactionBundle(server.url, agent.token, id);
    expect(bundle.status).toBe(200);
    expect((bundle.body as { changes: { kind: string }[] }).changes.map((c) => c.kind).sort()).toEqual(['contact', 'interaction', 'message', 'message', 'wrapup']);
    // Deleting again is harmless.
    expect(await pushOne(server.url, agent.token, { mutationId: mutationId(), type: 'note.delete', noteId: 'n-del', baseVersion: 0 })).toMatchObject({ status: 'applied' });
  });

  it('an admin erases a closed interaction: every copy leaves the apps as an erased tombstone, the server keeps no customer words or details', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const { interactionIds } = await seedHistory(server.db, { agentId: agent.id, queueId: GENERAL, interactions: 2, messages: 6 });
    const id = interactionIds[0]!;
    await pushOne(server.url, agent.login.token, { mutationId: mutationId(), type: 'note.create', noteId: 'n-erase', interactionId: id, text: 'customer is Dana, card ends 4242' });
    const { cursor } = await pullAll(server.url, agent.login.token);
    const admin = await login(server.url, 'admin');

    expect((await api(server.url, `/api/interactions/${id}/erase`, { method: 'POST', token: agent.login.token })).status).toBe(403);
    const open = await connected(server, agent);
    const refused = await api(server.url, `/api/interactions/${open.interactionId}/erase`, { method: 'POST', token: admin.token });
    expect(refused.status).toBe(409);
    const erased = await api(server.url, `/api/interactions/${id}/erase`, { method: 'POST', token: admin.token });
    expect(erased).toMatchObject({ status: 200, body: { interactionId: id, messages: 3, notes: 1 } });
    await nextFrame(agent.ws, (f) => f.type === 'sync.nudge' && Number(f.cursor) > Number(cursor));

    const page = await pullPage(server.url, agent.login.token, cursor);
    const gone = page.changes.filter((c) => c.interactionId === id);
    expect(gone.every((c) => c.op === 'tombstone' && c.reason === 'erased')).toBe(true);
    expect(gone.map((c) => c.kind).sort()).toEqual(['contact', 'interaction', 'message', 'message', 'message', 'note', 'wrapup']);
    const local = applyChanges(page.changes, applyChanges((await pullAll(server.url, agent.login.token)).changes));
    expect(live(local, 'interaction').map((c) => c.id)).not.toContain(id);

    const k = server.db.kysely;
    expect(await k.selectFrom('messages').select('id').where('interaction_id', '=', id).execute()).toEqual([]);
    // Stored push answers keep references, not a second copy of the note.
    expect(JSON.stringify(await k.selectFrom('sync_mutations').select('result').execute())).not.toContain('4242');
    expect(await k.selectFrom('interactions').select(['customer_name', 'customer_email', 'notes']).where('id', '=', id).executeTakeFirst()).toEqual({ customer_name: null, customer_email: null, notes: null });
    const audit = await api(server.url, '/api/audit?limit=5', { token: admin.token });
    expect(JSON.stringify(audit.body)).toContain('interaction.erased');
  });

  it("an admin sets the org's local retention; every app receives it through sync, audited", async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const admin = await login(server.url, 'admin');
    const { cursor } = await pullAll(server.url, agent.login.token);
    expect(await api(server.url, '/api/admin/sync-settings', { token: admin.token })).toMatchObject({ status: 200, body: { retentionDays: 30 } });
    expect((await api(server.url, '/api/admin/sync-settings', { method: 'PUT', token: agent.login.token, json: { retentionDays: 7 } })).status).toBe(403);
    const bad = await api(server.url, '/api/admin/sync-settings', { method: 'PUT', token: admin.token, json: { retentionDays: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('retentionDays');

    expect(await api(server.url, '/api/admin/sync-settings', { method: 'PUT', token: admin.token, json: { retentionDays: 7 } })).toMatchObject({ status: 200, body: { retentionDays: 7 } });
    await nextFrame(agent.ws, (f) => f.type === 'sync.nudge' && Number(f.cursor) > Number(cursor));
    const page = await pullPage(server.url, agent.login.token, cursor);
    expect(page.changes).toEqual([expect.objectContaining({ kind: 'setting', id: 'retentionDays', op: 'upsert', data: { key: 'retentionDays', value: 7 } })]);
    const audit = await api(server.url, '/api/audit?action=sync.settings_changed', { token: admin.token });
    expect(audit.body.entries).toEqual([expect.objectContaining({ details: { before: { retentionDays: 30 }, after: { retentionDays: 7 } } })]);
  });

  it('refuses bad input and missing sign-in with errors that say what to fix', async () => {
    server = await startInteractionsBackend();
    const agent = await login(server.url, 'agent1');
    const badCursor = await api(server.url, '/api/sync/pull?after=abc', { token: agent.token });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.message).toMatch(/after: pass a cursor the server returned/);
    expect((await api(server.url, '/api/sync/pull?limit=5000', { token: agent.token })).status).toBe(400);
    expect((await api(server.url, '/api/sync/pull')).status).toBe(401);
    const empty = await api(server.url, '/api/sync/push', { token: agent.token, json: { mutations: [] } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.issues[0].path).toBe('mutations');
    const unknown = await api(server.url, '/api/sync/push', { token: agent.token, json: { mutations: [{ mutationId: 'abcdefgh1', type: 'note.explode' }] } });
    expect(unknown.status).toBe(400);
    expect((await api(server.url, '/api/sync/interactions/nope', { token: agent.token })).status).toBe(404);
    // Bodies up to 1 MiB are read here (200 notes of 4,000 characters fit); more is a 413 naming the limit.
    const big = Array.from({ length: 200 }, (_, i) => ({ mutationId: `big-${i}-abcdef`, type: 'note.create', noteId: `big-${i}`, interactionId: 'nope', text: 'x'.repeat(4000) }));
    const fits = await api(server.url, '/api/sync/push', { token: agent.token, json: { mutations: big } });
    expect(fits.status).toBe(200);
    expect(fits.body.results.every((r: { status: string; error?: { code: string } }) => r.status === 'rejected' && r.error?.code === 'not_found')).toBe(true);
    const tooBig = await api(server.url, '/api/sync/push', { token: agent.token, json: { mutations: big.map((m) => ({ ...m, text: 'x'.repeat(6000) })) } });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.message).toContain('1024 KiB');
  });
});
