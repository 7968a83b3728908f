import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import { api, isType, login, nextFrame, roundTrip, waitFor, wsConnect, type Json, type TestBackend } from './helpers';
import { startInProcess } from '../support/in-process';
import { copyDatabase, dropTestDatabase } from '../support/test-database';
import {
  BILLING,
  GENERAL,
  INTERACTION_DEFAULTS,
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

type StateFrame = ServerMessageOf<'customer.state'>;
type BoardFrame = ServerMessageOf<'board'>;

describe('routing', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('an offer that times out goes to the next agent', async () => {
    server = await startInteractionsBackend({ offerTimeoutMs: 1000 });
    const secondLogin = await login(server.url, 'agent2');
    const customer = await connectCustomer(server);
    const id = customer.interactionId;
    const first = await connectAgent(server, 'agent1');
    const offered = await nextFrame<ServerMessageOf<'offer'>>(first.ws, isOffer(id));
    const second = await wsConnect(server.url, secondLogin.token);

    const withdrawn = await nextFrame<ServerMessageOf<'offer.withdrawn'>>(first.ws, isType('offer.withdrawn'));
    expect(withdrawn).toMatchObject({ interactionId: id, reason: 'timeout' });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(offered.expiresAt) - 5);
    await nextFrame(second, isOffer(id));
    // Too late for the first agent: it is the second agent's offer now.
    first.ws.send({ type: 'offer.accept', interactionId: id, id: 'late' });
    second.send({ type: 'offer.accept', interactionId: id });
    expect((await nextFrame<ServerMessageOf<'error'>>(first.ws, isErrorRef('conflict', 'late'))).message).toMatch(/not offered to you/);
    await nextFrame(second, isType('interaction.opened'));
    await nextFrame(customer.ws, (f) => f.type === 'customer.state' && f.state === 'connected' && f.agentName === 'Ben Agent');

    const d = await detail(server, secondLogin.token, id);
    expect(d.timeline.map((e: Json) => [e.type, e.actor])).toEqual([
      ['queued', null],
      ['offered', 'agent1'],
      ['offer_timeout', 'agent1'],
      ['offered', 'agent2'],
      ['answered', 'agent2'],
    ]);
  });

  it('a declined offer goes to the next agent; the decline is on the timeline', async () => {
    server = await startInteractionsBackend();
    const customer = await connectCustomer(server);
    const id = customer.interactionId;
    const first = await connectAgent(server, 'agent1');
    await nextFrame(first.ws, isOffer(id));
    const second = await connectAgent(server, 'agent2');
    first.ws.send({ type: 'offer.decline', interactionId: id });
    await nextFrame(first.ws, (f) => f.type === 'offer.withdrawn' && f.reason === 'declined');
    await nextFrame(second.ws, isOffer(id));
    first.ws.send({ type: 'offer.decline', interactionId: id, id: 'twice' });
    await nextFrame(first.ws, isErrorRef('conflict', 'twice'));
    const d = await detail(server, (await login(server.url, 'super1')).token, id);
    expect(timelineTypes(d)).toEqual(['queued', 'offered', 'declined', 'offered']);
    expect(d.status).toBe('offered');
  });

  it('capacity: an agent takes chatCapacity chats; the next waits until one is wrapped up', async () => {
    server = await startInteractionsBackend({ chatCapacity: 2 });
    const agent = await connectAgent(server, 'agent1');
    const a = await connected(server, agent);
    const b = await connected(server, agent);
    const c = await connectCustomer(server);
    const waiting = await nextFrame<StateFrame>(c.ws, isState('waiting'));
    expect(waiting.position).toBe(1);
    expect(waiting.estimatedWaitSeconds).toBeGreaterThan(0);
    await roundTrip(agent.ws);
    expect(agent.ws.frames.filter(isOffer(c.interactionId))).toEqual([]);

    // Ending one frees capacity only after its wrap-up.
    agent.ws.send({ type: 'interaction.end', interactionId: a.interactionId });
    const required = await nextFrame<ServerMessageOf<'wrapup.required'>>(agent.ws, isType('wrapup.required'));
    await roundTrip(agent.ws);
    expect(agent.ws.frames.filter(isOffer(c.interactionId))).toEqual([]);
    agent.ws.send({ type: 'wrapup.submit', interactionId: a.interactionId, disposition: required.dispositions[0]! });
    await nextFrame(agent.ws, isType('wrapup.done'));
    await nextFrame(agent.ws, isOffer(c.interactionId));
    await nextFrame(c.ws, isState('ringing'));
    void b;
  });

  it('waiting customers see their position move as the queue moves', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    agent.ws.send({ type: 'presence.set', presence: 'busy' });
    await nextFrame(agent.ws, (f) => f.type === 'presence.self' && f.presence === 'busy');
    const first = await connectCustomer(server);
    const second = await connectCustomer(server);
    // Signed in but busy: waiting (not "no agents"), in order.
    expect((await nextFrame<StateFrame>(first.ws, isState('waiting'))).position).toBe(1);
    expect((await nextFrame<StateFrame>(second.ws, isState('waiting'))).position).toBe(2);
    first.ws.send({ type: 'interaction.end', interactionId: first.interactionId });
    await nextFrame(first.ws, isState('ended'));
    expect((await nextFrame<StateFrame>(second.ws, isState('waiting'))).position).toBe(1);
    // Available again: the offer goes out and the customer hears it ring.
    agent.ws.send({ type: 'presence.set', presence: 'available' });
    await nextFrame(agent.ws, isOffer(second.interactionId));
    await nextFrame(second.ws, isState('ringing'));
    const d = await detail(server, (await login(server.url, 'super1')).token, first.interactionId);
    expect(d).toMatchObject({ status: 'abandoned', answeredAt: null });
    expect(timelineTypes(d)).toEqual(['queued', 'abandoned']);
  });

  it('nobody signed in: the customer sees no_agents, can leave a message, and is offered once a member signs in', async () => {
    server = await startInteractionsBackend();
    const queues = await api(server.url, '/api/widget/queues');
    expect(queues.body.queues).toEqual([
      { id: 'billing', name: 'Billing', membersSignedIn: 0, membersAvailable: 0 },
      { id: 'general', name: 'General', membersSignedIn: 0, membersAvailable: 0 },
    ]);
    const customer = await connectCustomer(server, { customer: { name: 'Nora' } });
    const state = await nextFrame<StateFrame>(customer.ws, isState('no_agents'));
    expect(state.position).toBe(1);

    const left = await api(server.url, '/api/widget/messages', { json: { queueId: GENERAL, customer: { name: 'Nora', email: 'nora@example.com' }, text: 'Please call me back.' } });
    expect(left.status).toBe(201);
    const supervisor = await login(server.url, 'super1');
    const message = await detail(server, supervisor.token, left.body.interactionId);
    expect(message).toMatchObject({ kind: 'message', status: 'closed', queueId: GENERAL, customer: { name: 'Nora', email: 'nora@example.com' }, agentId: null });
    expect(message.messages).toEqual([expect.objectContaining({ seq: 1, from: 'customer', text: 'Please call me back.', authorName: 'Nora' })]);
    expect(timelineTypes(message)).toEqual(['message_left']);
    const list = await api(server.url, '/api/interactions', { token: supervisor.token });
    expect(list.body.interactions.map((i: Json) => [i.kind, i.status])).toEqual([
      ['message', 'closed'],
      ['chat', 'queued'],
    ]);

    // Still in the queue: the first member to sign in gets it.
    const agent = await connectAgent(server, 'agent2');
    await nextFrame(agent.ws, isOffer(customer.interactionId));
    await nextFrame(customer.ws, isState('ringing'));
    expect((await api(server.url, '/api/widget/queues')).body.queues.find((q: Json) => q.id === GENERAL)).toMatchObject({ membersSignedIn: 1, membersAvailable: 1 });
  });

  it('a queued customer whose socket stays closed for customerGoneMs has abandoned; the offer is withdrawn', async () => {
    server = await startInteractionsBackend({ customerGoneMs: 300 });
    const customer = await connectCustomer(server);
    const agent = await connectAgent(server, 'agent1');
    await nextFrame(agent.ws, isOffer(customer.interactionId));
    const closedAt = Date.now();
    await customer.ws.close();
    await nextFrame(agent.ws, (f) => f.type === 'offer.withdrawn' && f.reason === 'customer_left', 3000);
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(280);
    const d = await detail(server, (await login(server.url, 'super1')).token, customer.interactionId);
    expect(d.status).toBe('abandoned');
    expect(d.timeline.at(-1)).toMatchObject({ type: 'abandoned', details: { reason: 'customer_gone' } });
    // Its token still opens the widget, which shows that it ended.
    const ws = await wsConnect(server.url);
    ws.send({ type: 'hello', protocol: 1, token: customer.token });
    await nextFrame(ws, isType('hello.customer'));
    await nextFrame(ws, isState('ended'));
  });

  it('a customer who never connects also counts as gone; a forged token is refused', async () => {
    server = await startInteractionsBackend({ customerGoneMs: 200 });
    const res = await api(server.url, '/api/widget/interactions', { json: { kind: 'call', queueId: GENERAL } });
    expect(res.status).toBe(201);
    expect(res.body.customerToken).toMatch(/^vc_/);
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(3 * 3600_000);
    await waitFor(async () => (await server.db.kysely.selectFrom('interactions').select('status').where('id', '=', res.body.interactionId).executeTakeFirst())?.status === 'abandoned', 3000, 'abandoned');
    // Only the hash is stored.
    const row = await server.db.kysely.selectFrom('interactions').selectAll().where('id', '=', res.body.interactionId).executeTakeFirstOrThrow();
    expect(row.customer_token_hash).not.toContain(res.body.customerToken);

    const forged = await wsConnect(server.url);
    forged.send({ type: 'hello', protocol: 1, token: 'vc_forged' });
    expect((await forged.closed).code).toBe(4401);
  });

  it('an agent who reloads gets their open interactions, pending offer and owed wrap-up again', async () => {
    server = await startInteractionsBackend({ presenceGraceMs: 5000 });
    const agent = await connectAgent(server, 'agent1');
    const a = await connected(server, agent);
    const b = await connected(server, agent);
    const c = await connectCustomer(server);
    await nextFrame(agent.ws, isOffer(c.interactionId));
    agent.ws.send({ type: 'interaction.end', interactionId: b.interactionId });
    await nextFrame(agent.ws, isType('wrapup.required'));
    await agent.ws.close();

    const again = await wsConnect(server.url, agent.login.token);
    const opened = await nextFrame<ServerMessageOf<'interaction.opened'>>(again, (f) => f.type === 'interaction.opened' && f.interaction.id === a.interactionId);
    expect(opened.interaction.status).toBe('active');
    const wrapping = await nextFrame<ServerMessageOf<'interaction.opened'>>(again, (f) => f.type === 'interaction.opened' && f.interaction.id === b.interactionId);
    expect(wrapping.interaction.status).toBe('wrapup');
    const owed = await nextFrame<ServerMessageOf<'wrapup.required'>>(again, isType('wrapup.required'));
    expect(owed).toMatchObject({ interactionId: b.interactionId, dispositions: ['Resolved', 'Follow-up needed', 'Not resolved', 'Spam'] });
    // In wrap-up the pending offer was withdrawn ('unavailable'); after the wrap-up it comes back.
    again.send({ type: 'wrapup.submit', interactionId: b.interactionId, disposition: 'Resolved' });
    await nextFrame(again, isOffer(c.interactionId));
    again.send({ type: 'offer.accept', interactionId: c.interactionId });
    await nextFrame(again, (f) => f.type === 'interaction.opened' && f.interaction.id === c.interactionId);
  });

  it('a pending offer survives a reload', async () => {
    server = await startInteractionsBackend({ presenceGraceMs: 5000 });
    const agent = await connectAgent(server, 'agent1');
    const customer = await connectCustomer(server);
    const first = await nextFrame<ServerMessageOf<'offer'>>(agent.ws, isOffer(customer.interactionId));
    await agent.ws.close();
    const again = await wsConnect(server.url, agent.login.token);
    const resent = await nextFrame<ServerMessageOf<'offer'>>(again, isOffer(customer.interactionId));
    expect(resent.expiresAt).toBe(first.expiresAt);
    again.send({ type: 'offer.accept', interactionId: customer.interactionId });
    await nextFrame(again, isType('interaction.opened'));
  });

  it('supervisors get the board after hello and on changes, throttled', async () => {
    server = await startInteractionsBackend();
    const supervisor = await wsConnect(server.url, (await login(server.url, 'super1')).token);
    const initial = await nextFrame<BoardFrame>(supervisor, isType('board'));
    expect(initial.queues.map((q) => [q.queueId, q.waiting, q.membersSignedIn])).toEqual([
      ['billing', 0, 0],
      ['general', 0, 0],
    ]);
    expect(initial.agents.map((a) => [a.username, a.activity])).toEqual([
      ['agent1', 'offline'],
      ['agent2', 'offline'],
      ['agent3', 'offline'],
    ]);

    const customer = await connectCustomer(server);
    const queued = await nextFrame<BoardFrame>(supervisor, (f) => f.type === 'board' && f.queues.some((q) => q.queueId === GENERAL && q.waiting === 1));
    expect(queued.queues.find((q) => q.queueId === GENERAL)!.oldestWaitingSince).not.toBeNull();
    const agent = await connectAgent(server, 'agent1');
    await nextFrame(agent.ws, isOffer(customer.interactionId));
    agent.ws.send({ type: 'offer.accept', interactionId: customer.interactionId });
    const busy = await nextFrame<BoardFrame>(supervisor, (f) => f.type === 'board' && f.agents.some((a) => a.username === 'agent1' && a.activity === 'chat'));
    const row = busy.agents.find((a) => a.username === 'agent1')!;
    expect(row).toMatchObject({ presence: 'available', interactions: [{ id: customer.interactionId, kind: 'chat', status: 'active' }] });
    expect(busy.queues.find((q) => q.queueId === GENERAL)).toMatchObject({ waiting: 0, membersSignedIn: 1, membersAvailable: 1, membersBusy: 1 });

    // A burst of changes (ten typing-free messages do not touch the board; ten starts do) is folded.
    const boardsBefore = supervisor.frames.filter(isType('board')).length;
    const started = Date.now();
    await Promise.all(Array.from({ length: 8 }, () => api(server.url, '/api/widget/interactions', { json: { kind: 'chat', queueId: GENERAL } })));
    await nextFrame(supervisor, (f) => f.type === 'board' && f.queues.some((q) => q.queueId === GENERAL && q.waiting >= 8));
    const elapsed = Date.now() - started;
    const sent = supervisor.frames.filter(isType('board')).length - boardsBefore;
    expect(sent).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 1);
    // Agents do not get the board.
    expect(agent.ws.frames.filter(isType('board'))).toEqual([]);
    expect((await rowCounts(server)).interactions).toBe(9);
  });

  it('after a restart, waiting customers queue again and connected ones go to wrap-up', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const talking = await connected(server, agent);
    const waiting = await connectCustomer(server, { queueId: BILLING });
    await nextFrame(agent.ws, isOffer(waiting.interactionId));
    // What a crash leaves on disk: a consistent copy of the database as it is now.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-int-'));
    await copyDatabase({ dataDir: server.dataDir, vacuumInto: async (file) => void (await sql`vacuum into ${file}`.execute(server.db.kysely)) }, dataDir);
    const restarted = await startInProcess({ ...INTERACTION_DEFAULTS, dataDir });
    try {
      const again = await wsConnect(restarted.url, agent.login.token);
      const ended = await nextFrame<ServerMessageOf<'interaction.opened'>>(again, (f) => f.type === 'interaction.opened' && f.interaction.id === talking.interactionId);
      expect(ended.interaction.status).toBe('wrapup');
      expect(ended.interaction.timeline.at(-1)).toMatchObject({ type: 'ended', actor: null, details: { by: 'system', reason: 'server_restart' } });
      await nextFrame(again, (f) => f.type === 'wrapup.required' && f.interactionId === talking.interactionId);
      const customer = await wsConnect(restarted.url);
      customer.send({ type: 'hello', protocol: 1, token: waiting.token });
      await nextFrame(customer, isType('hello.customer'));
      await nextFrame(customer, (f) => f.type === 'customer.state' && (f.state === 'waiting' || f.state === 'no_agents'));
      // Offers resume once the wrap-up is done.
      again.send({ type: 'wrapup.submit', interactionId: talking.interactionId, disposition: 'Resolved' });
      await nextFrame(again, isOffer(waiting.interactionId));
      await nextFrame(customer, isState('ringing'));
    } finally {
      await restarted.close();
      await dropTestDatabase(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
