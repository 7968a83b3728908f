import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import { AuditAction } from '../../server/modules/audit/actions';
import { api, isType, login, nextFrame, roundTrip, type Json, type TestBackend } from './helpers';
import {
  BILLING,
  GENERAL,
  connectAgent,
  connectCustomer,
  connected,
  detail,
  isErrorRef,
  isOffer,
  isState,
  rowCounts,
  startInteractionsBackend,
  timelineTypes,
} from './interactions-support';

type Required = ServerMessageOf<'wrapup.required'>;

describe('wrap-up', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('after the end the agent owes a wrap-up: unknown dispositions refused, the submitted one is in the history', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    const id = customer.interactionId;
    const endedAt = Date.now();
    agent.ws.send({ type: 'interaction.end', interactionId: id });
    const required = await nextFrame<Required>(agent.ws, isType('wrapup.required'));
    expect(required).toMatchObject({ interactionId: id, dispositions: ['Resolved', 'Follow-up needed', 'Not resolved', 'Spam'] });
    expect(Date.parse(required.deadline) - endedAt).toBeGreaterThan(25_000);
    await nextFrame(customer.ws, isState('ended'));

    agent.ws.send({ type: 'wrapup.submit', interactionId: id, disposition: 'Payment taken', notes: 'x', id: 'bad' });
    const bad = await nextFrame<ServerMessageOf<'error'>>(agent.ws, isErrorRef('bad_request', 'bad'));
    expect(bad.message).toBe('Unknown disposition "Payment taken". Choose one of: Resolved, Follow-up needed, Not resolved, Spam.');
    agent.ws.send({ type: 'wrapup.submit', interactionId: id, disposition: 'Resolved', notes: 'n'.repeat(4001), id: 'long' });
    expect((await nextFrame<ServerMessageOf<'error'>>(agent.ws, isErrorRef('bad_request', 'long'))).message).toMatch(/notes/);
    const other = await connectAgent(server, 'agent2');
    other.ws.send({ type: 'wrapup.submit', interactionId: id, disposition: 'Resolved', id: 'other' });
    await nextFrame(other.ws, isErrorRef('forbidden', 'other'));
    let row = await server.db.kysely.selectFrom('interactions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'wrapup', disposition: null, notes: null });

    agent.ws.send({ type: 'wrapup.submit', interactionId: id, disposition: 'Follow-up needed', notes: 'Call back Monday.\nCheck the invoice.' });
    expect(await nextFrame(agent.ws, isType('wrapup.done'))).toEqual({ type: 'wrapup.done', interactionId: id, timedOut: false });
    const updated = await nextFrame<ServerMessageOf<'interaction.updated'>>(agent.ws, isType('interaction.updated'));
    expect(updated.interaction).toMatchObject({ status: 'closed', disposition: 'Follow-up needed' });
    agent.ws.send({ type: 'wrapup.submit', interactionId: id, disposition: 'Resolved', id: 'twice' });
    await nextFrame(agent.ws, isErrorRef('conflict', 'twice'));

    const d = await detail(server, agent.login.token, id);
    expect(d).toMatchObject({ status: 'closed', disposition: 'Follow-up needed', wrapup: { disposition: 'Follow-up needed', notes: 'Call back Monday.\nCheck the invoice.', by: 'agent1', timedOut: false } });
    expect(timelineTypes(d)).toEqual(['queued', 'offered', 'answered', 'ended', 'wrapup_submitted']);
    const list = await api(server.url, '/api/interactions', { token: agent.login.token });
    expect(list.body.interactions).toEqual([expect.objectContaining({ id, status: 'closed', disposition: 'Follow-up needed', agentName: 'Ada Agent' })]);
    row = await server.db.kysely.selectFrom('interactions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.wrapup_timed_out).toBe(0);

    const admin = await login(server.url, 'admin');
    const audit = await api(server.url, `/api/audit?action=${AuditAction.wrapupSubmitted}`, { token: admin.token });
    expect(audit.body.entries).toEqual([expect.objectContaining({ actorName: 'agent1', target: id, details: { interactionId: id, disposition: 'Follow-up needed' } })]);
  });

  it('a wrap-up not submitted in time closes as timed out, and offers resume', async () => {
    server = await startInteractionsBackend({ wrapupMs: 500 });
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    customer.ws.send({ type: 'interaction.end', interactionId: customer.interactionId });
    const required = await nextFrame<Required>(agent.ws, isType('wrapup.required'));
    const next = await connectCustomer(server);
    await nextFrame(next.ws, isState('waiting'));
    const done = await nextFrame<ServerMessageOf<'wrapup.done'>>(agent.ws, isType('wrapup.done'), 3000);
    expect(done).toEqual({ type: 'wrapup.done', interactionId: customer.interactionId, timedOut: true });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(required.deadline) - 5);
    await nextFrame(agent.ws, isOffer(next.interactionId));

    const d = await detail(server, agent.login.token, customer.interactionId);
    expect(d).toMatchObject({ status: 'closed', disposition: null, wrapup: { timedOut: true, by: 'system', disposition: '', notes: '' } });
    expect(d.timeline.at(-1)).toMatchObject({ type: 'wrapup_timeout', actor: null });
    expect(d.timeline.find((e: Json) => e.type === 'ended')).toMatchObject({ actor: null, details: { by: 'customer' } });
  });
});

describe('blind transfer', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('to a queue: the agent is done with it (no wrap-up), a member there answers with the transcript', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    const id = customer.interactionId;
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c1', text: 'I was double charged' });
    await nextFrame(agent.ws, isType('chat.message'));
    const billing = await connectAgent(server, 'agent3');

    agent.ws.send({ type: 'interaction.transfer', interactionId: id, to: { kind: 'queue', queueId: 'nope' }, id: 'nope' });
    await nextFrame(agent.ws, isErrorRef('not_found', 'nope'));
    billing.ws.send({ type: 'interaction.transfer', interactionId: id, to: { kind: 'queue', queueId: BILLING }, id: 'notmine' });
    await nextFrame(billing.ws, isErrorRef('forbidden', 'notmine'));
    customer.ws.send({ type: 'interaction.transfer', interactionId: id, to: { kind: 'queue', queueId: BILLING }, id: 'cust' });
    await nextFrame(customer.ws, isErrorRef('forbidden', 'cust'));

    agent.ws.send({ type: 'interaction.transfer', interactionId: id, to: { kind: 'queue', queueId: BILLING } });
    const handedOff = await nextFrame<ServerMessageOf<'interaction.updated'>>(agent.ws, isType('interaction.updated'));
    expect(handedOff.interaction).toMatchObject({ id, status: 'queued', agentId: null, queueId: BILLING });
    await nextFrame(billing.ws, isOffer(id));
    billing.ws.send({ type: 'offer.accept', interactionId: id });
    const opened = await nextFrame<ServerMessageOf<'interaction.opened'>>(billing.ws, isType('interaction.opened'));
    expect(opened.interaction.messages.map((m) => m.text)).toEqual(['I was double charged']);
    expect(opened.interaction.timeline.find((e) => e.type === 'transferred')).toMatchObject({
      actor: 'agent1',
      details: { from: 'agent1', to: { kind: 'queue', queueId: BILLING, queueName: 'Billing' } },
    });
    await nextFrame(customer.ws, (f) => f.type === 'customer.state' && f.state === 'connected' && f.agentName === 'Cleo Agent');

    // The first agent owes nothing and can no longer write in it.
    await roundTrip(agent.ws);
    expect(agent.ws.frames.filter(isType('wrapup.required'))).toEqual([]);
    agent.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'a9', text: 'still here?', id: 'gone' });
    await nextFrame(agent.ws, isErrorRef('forbidden', 'gone'));
    // Both agents find it in their history.
    const first = await api(server.url, '/api/interactions', { token: agent.login.token });
    expect(first.body.interactions.map((i: Json) => i.id)).toEqual([id]);
    expect((await detail(server, billing.login.token, id)).agentId).toBe(billing.id);
  });

  it('to an agent: only that agent is offered it; self and non-agents are refused', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    const id = customer.interactionId;
    const target = await connectAgent(server, 'agent2');
    const bystander = await connectAgent(server, 'agent3');
    const supervisor = await login(server.url, 'super1');

    agent.ws.send({ type: 'interaction.transfer', interactionId: id, to: { kind: 'agent', userId: agent.id }, id: 'self' });
    expect((await nextFrame<ServerMessageOf<'error'>>(agent.ws, isErrorRef('bad_request', 'self'))).message).toMatch(/yourself/);
    agent.ws.send({ type: 'interaction.transfer', interactionId: id, to: { kind: 'agent', userId: supervisor.user.id }, id: 'sup' });
    expect((await nextFrame<ServerMessageOf<'error'>>(agent.ws, isErrorRef('bad_request', 'sup'))).message).toMatch(/not an agent of any queue/);

    agent.ws.send({ type: 'interaction.transfer', interactionId: id, to: { kind: 'agent', userId: target.id } });
    await nextFrame(agent.ws, (f) => f.type === 'interaction.updated' && f.interaction.status === 'queued');
    const offer = await nextFrame<ServerMessageOf<'offer'>>(target.ws, isOffer(id));
    expect(offer.interaction.queueId).toBe(GENERAL);
    await nextFrame(customer.ws, isState('ringing'));
    target.ws.send({ type: 'offer.accept', interactionId: id });
    await nextFrame(target.ws, isType('interaction.opened'));
    await roundTrip(bystander.ws);
    expect(bystander.ws.frames.filter(isOffer(id))).toEqual([]);

    const d = await detail(server, supervisor.token, id);
    expect(d.timeline.find((e: Json) => e.type === 'transferred')).toMatchObject({ details: { from: 'agent1', to: { kind: 'agent', userId: target.id, username: 'agent2' } } });
    expect(d).toMatchObject({ status: 'active', agentId: target.id, agentName: 'Ben Agent' });
    const admin = await login(server.url, 'admin');
    const audit = await api(server.url, `/api/audit?action=${AuditAction.interactionTransferred}`, { token: admin.token });
    expect(audit.body.entries).toEqual([expect.objectContaining({ actorName: 'agent1', target: id })]);
  });

  it('to an agent who cannot take it now (full, wrapping up, away): refused with the reason, nothing changes', async () => {
    server = await startInteractionsBackend({ chatCapacity: 1 });
    // agent2 takes chat B first; then agent1 (agent2 is full) takes chat A.
    const target = await connectAgent(server, 'agent2');
    const b = await connected(server, target);
    const agent = await connectAgent(server, 'agent1');
    const a = await connected(server, agent);
    const transfer = (ref: string) => agent.ws.send({ type: 'interaction.transfer', interactionId: a.interactionId, to: { kind: 'agent', userId: target.id }, id: ref });
    const refusal = async (ref: string) => (await nextFrame<ServerMessageOf<'error'>>(agent.ws, isErrorRef('conflict', ref))).message;

    transfer('full');
    expect(await refusal('full')).toMatch(/Ben Agent already has as many chats as they can take; choose an available agent or transfer to a queue/);
    target.ws.send({ type: 'interaction.end', interactionId: b.interactionId });
    await nextFrame(target.ws, isType('wrapup.required'));
    transfer('wrapup');
    expect(await refusal('wrapup')).toMatch(/Ben Agent is wrapping up another interaction/);
    target.ws.send({ type: 'wrapup.submit', interactionId: b.interactionId, disposition: 'Resolved' });
    target.ws.send({ type: 'presence.set', presence: 'away' });
    await roundTrip(target.ws);
    transfer('away');
    expect(await refusal('away')).toMatch(/Ben Agent is not available/);

    // Nothing moved: still agent1's, the customer still connected, nothing offered, nothing audited.
    expect(await detail(server, agent.login.token, a.interactionId)).toMatchObject({ status: 'active', agentId: agent.id });
    expect(a.ws.frames.filter(isState('waiting'))).toEqual([]);
    expect(target.ws.frames.filter(isOffer(a.interactionId))).toEqual([]);
    const admin = await login(server.url, 'admin');
    expect((await api(server.url, `/api/audit?action=${AuditAction.interactionTransferred}`, { token: admin.token })).body.entries).toEqual([]);

    // Available again: the same transfer goes through and is offered to them.
    target.ws.send({ type: 'presence.set', presence: 'available' });
    await roundTrip(target.ws);
    transfer('ok');
    await nextFrame(target.ws, isOffer(a.interactionId));
    expect(agent.ws.frames.filter(isErrorRef('conflict', 'ok'))).toEqual([]);
    expect((await api(server.url, `/api/audit?action=${AuditAction.interactionTransferred}`, { token: admin.token })).body.entries).toEqual([
      expect.objectContaining({ actorName: 'agent1', target: a.interactionId }),
    ]);
  });
});

describe('history', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('agents see only their own interactions; supervisors see all and can filter by agent', async () => {
    server = await startInteractionsBackend();
    const agent1 = await connectAgent(server, 'agent1');
    const mine = await connected(server, agent1, { customer: { name: 'Mia' } });
    const agent2 = await login(server.url, 'agent2');
    const supervisor = await login(server.url, 'super1');

    expect((await api(server.url, `/api/interactions/${mine.interactionId}`, { token: agent2.token })).status).toBe(404);
    expect((await api(server.url, `/api/interactions/${mine.interactionId}`, { token: agent1.login.token })).status).toBe(200);
    expect((await api(server.url, `/api/interactions/${mine.interactionId}`, { token: supervisor.token })).status).toBe(200);
    expect((await api(server.url, '/api/interactions/unknown-id', { token: supervisor.token })).status).toBe(404);
    expect((await api(server.url, `/api/interactions/${mine.interactionId}`)).status).toBe(401);
    expect((await api(server.url, '/api/interactions', { token: agent2.token })).body).toEqual({ interactions: [], nextBefore: null });
    expect((await api(server.url, `/api/interactions?agentId=${agent1.id}`, { token: agent2.token })).status).toBe(403);

    // A waiting one nobody answered yet: supervisors see it, agents do not.
    const waiting = await connectCustomer(server, { queueId: BILLING });
    const all = await api(server.url, '/api/interactions', { token: supervisor.token });
    expect(all.body.interactions.map((i: Json) => i.id)).toEqual([waiting.interactionId, mine.interactionId]);
    const filtered = await api(server.url, `/api/interactions?agentId=${agent1.id}`, { token: supervisor.token });
    expect(filtered.body.interactions.map((i: Json) => i.id)).toEqual([mine.interactionId]);

    // Paging, newest first.
    const page1 = await api(server.url, '/api/interactions?limit=1', { token: supervisor.token });
    expect(page1.body.interactions.map((i: Json) => i.id)).toEqual([waiting.interactionId]);
    const page2 = await api(server.url, `/api/interactions?limit=1&before=${encodeURIComponent(page1.body.nextBefore)}`, { token: supervisor.token });
    expect(page2.body).toEqual({ interactions: [expect.objectContaining({ id: mine.interactionId })], nextBefore: null });
    expect((await api(server.url, '/api/interactions?before=garbage', { token: supervisor.token })).status).toBe(400);
    expect((await api(server.url, '/api/interactions?limit=0', { token: supervisor.token })).status).toBe(400);

    const queues = await api(server.url, '/api/queues', { token: agent2.token });
    expect(queues.body.queues.map((q: Json) => [q.name, q.memberIds.length, q.offerTimeoutMs])).toEqual([
      ['Billing', 3, 10_000],
      ['General', 2, 10_000],
    ]);
    expect((await api(server.url, '/api/queues')).status).toBe(401);
  });

  it('bad widget input is refused with clear errors; starts are rate-limited per address', async () => {
    server = await startInteractionsBackend({ widgetStartsPerMinute: 2 });
    const before = await rowCounts(server);
    const unknownQueue = await api(server.url, '/api/widget/interactions', { json: { kind: 'chat', queueId: 'nope' } });
    expect(unknownQueue).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const badKind = await api(server.url, '/api/widget/interactions', { json: { kind: 'video', queueId: GENERAL } });
    expect(badKind.status).toBe(400);
    expect(badKind.body.error.issues.map((i: Json) => i.path)).toEqual(['kind']);
    const badEmail = await api(server.url, '/api/widget/interactions', { json: { kind: 'chat', queueId: GENERAL, customer: { email: 'not-an-address' } } });
    expect(badEmail.body.error.message).toMatch(/customer\.email: email must be a valid address/);
    const emptyMessage = await api(server.url, '/api/widget/messages', { json: { queueId: GENERAL, text: '  ' } });
    expect(emptyMessage.body.error.message).toMatch(/text: message is empty/);
    expect(await rowCounts(server)).toEqual(before);

    expect((await api(server.url, '/api/widget/interactions', { json: { kind: 'chat', queueId: GENERAL } })).status).toBe(201);
    expect((await api(server.url, '/api/widget/messages', { json: { queueId: GENERAL, text: 'hello' } })).status).toBe(201);
    const limited = await api(server.url, '/api/widget/interactions', { json: { kind: 'chat', queueId: GENERAL } });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await rowCounts(server)).interactions).toBe(before.interactions + 2);
  });
});
