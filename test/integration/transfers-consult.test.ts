import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage, ServerMessageOf } from '../../shared/api/ws';
import { AuditAction } from '../../server/modules/audit/actions';
import { api, isType, login, nextFrame, roundTrip, wsConnect, type Json, type TestBackend } from './helpers';
import { agent1ConnectedThenAgent2, BILLING, connectAgent, connectCustomer, detail, isErrorRef, isOffer, isState, startInteractionsBackend, timelineTypes } from './interactions-support';

type ConsultState = ServerMessageOf<'consult.state'>;
const OFFER = { type: 'offer', sdp: 'v=0\r\n' };

const isConsult =
  (state: ConsultState['consult']['state']) =>
  (f: ServerMessage): boolean =>
    f.type === 'consult.state' && f.consult.state === state;

async function auditActions(server: TestBackend, action: string): Promise<Json[]> {
  const admin = await login(server.url, 'admin');
  return (await api(server.url, `/api/audit?action=${action}`, { token: admin.token })).body.entries;
}

describe('consult transfer', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('start puts the customer on hold, only the two agents signal each other, cancel brings the first agent back', async () => {
    server = await startInteractionsBackend();
    const { agent1, customer, agent2 } = await agent1ConnectedThenAgent2(server);
    const id = customer.interactionId;
    const agent3 = await connectAgent(server, 'agent3');

    // Who may start it: not the customer, not another agent, not to oneself or a non-agent.
    customer.ws.send({ type: 'consult.start', interactionId: id, toUserId: agent2.id, id: 'cust' });
    await nextFrame(customer.ws, isErrorRef('forbidden', 'cust'));
    agent3.ws.send({ type: 'consult.start', interactionId: id, toUserId: agent2.id, id: 'other' });
    await nextFrame(agent3.ws, isErrorRef('forbidden', 'other'));
    agent1.ws.send({ type: 'consult.start', interactionId: id, toUserId: agent1.id, id: 'self' });
    await nextFrame(agent1.ws, isErrorRef('bad_request', 'self'));
    const supervisor = await login(server.url, 'super1');
    agent1.ws.send({ type: 'consult.start', interactionId: id, toUserId: supervisor.user.id, id: 'sup' });
    await nextFrame(agent1.ws, isErrorRef('bad_request', 'sup'));

    agent1.ws.send({ type: 'consult.start', interactionId: id, toUserId: agent2.id });
    const ringing = await nextFrame<ConsultState>(agent2.ws, isConsult('ringing'));
    expect(ringing.consult).toMatchObject({ interactionId: id, fromUserId: agent1.id, fromName: 'Ada Agent', toUserId: agent2.id, toName: 'Ben Agent', queueName: 'General' });
    // The customer is held first, then both agents hear of the consult.
    await nextFrame(agent1.ws, (f) => f.type === 'interaction.updated' && f.interaction.onHold);
    await nextFrame(agent1.ws, isConsult('ringing'));
    await nextFrame(customer.ws, isState('on_hold'));
    const consultId = ringing.consult.id;

    // A second consult, completing before the answer, and a stranger's signals are refused.
    agent1.ws.send({ type: 'consult.start', interactionId: id, toUserId: agent3.id, id: 'again' });
    await nextFrame(agent1.ws, isErrorRef('conflict', 'again'));
    agent1.ws.send({ type: 'consult.complete', consultId, id: 'early' });
    await nextFrame(agent1.ws, isErrorRef('conflict', 'early'));
    agent3.ws.send({ type: 'consult.signal', consultId, signal: OFFER });
    await nextFrame(agent3.ws, isErrorRef('not_found', 'consult.signal'));
    agent1.ws.send({ type: 'consult.accept', consultId, id: 'mine' });
    await nextFrame(agent1.ws, isErrorRef('forbidden', 'mine'));

    agent2.ws.send({ type: 'consult.accept', consultId });
    await nextFrame(agent1.ws, isConsult('talking'));
    await nextFrame(agent2.ws, isConsult('talking'));
    agent2.ws.send({ type: 'consult.complete', consultId, id: 'notyours' });
    await nextFrame(agent2.ws, isErrorRef('forbidden', 'notyours'));
    agent1.ws.send({ type: 'consult.signal', consultId, signal: OFFER });
    expect(await nextFrame(agent2.ws, isType('consult.signal'))).toEqual({ type: 'consult.signal', consultId, signal: OFFER });
    await roundTrip(customer.ws);
    await roundTrip(agent3.ws);
    expect(customer.ws.frames.filter(isType('consult.signal'))).toEqual([]);
    expect(customer.ws.frames.filter(isType('call.signal'))).toEqual([]);
    expect(agent3.ws.frames.filter(isType('consult.signal'))).toEqual([]);

    agent1.ws.send({ type: 'consult.cancel', consultId });
    expect((await nextFrame<ConsultState>(agent2.ws, isConsult('cancelled'))).consult.reason).toBe('cancelled');
    await nextFrame(customer.ws, isState('connected'));
    await nextFrame(agent1.ws, (f) => f.type === 'interaction.updated' && !f.interaction.onHold && f.interaction.agentId === agent1.id);
    agent1.ws.send({ type: 'consult.signal', consultId, signal: OFFER });
    await nextFrame(agent1.ws, isErrorRef('not_found', 'consult.signal'));

    const d = await detail(server, supervisor.token, id);
    expect(timelineTypes(d).filter((t) => t.startsWith('consult') || t === 'held' || t === 'resumed')).toEqual(['held', 'consult_started', 'consult_answered', 'consult_cancelled', 'resumed']);
    expect(d).toMatchObject({ status: 'active', agentId: agent1.id, onHold: false });
    expect(await auditActions(server, AuditAction.consultStarted)).toEqual([expect.objectContaining({ actorName: 'agent1', target: id })]);
    expect(await auditActions(server, AuditAction.consultCancelled)).toEqual([expect.objectContaining({ actorName: 'agent1', target: id })]);
  });

  it('complete hands the call to the agent consulted: no offer, the customer re-offers audio to them, a transfer in reports', async () => {
    server = await startInteractionsBackend();
    const { agent1, customer, agent2 } = await agent1ConnectedThenAgent2(server);
    const id = customer.interactionId;

    agent1.ws.send({ type: 'consult.start', interactionId: id, toUserId: agent2.id });
    const consultId = (await nextFrame<ConsultState>(agent2.ws, isConsult('ringing'))).consult.id;
    agent2.ws.send({ type: 'consult.accept', consultId });
    await nextFrame(agent1.ws, isConsult('talking'));
    agent1.ws.send({ type: 'consult.complete', consultId });

    const opened = await nextFrame<ServerMessageOf<'interaction.opened'>>(agent2.ws, isType('interaction.opened'));
    expect(opened.interaction).toMatchObject({ id, status: 'active', agentId: agent2.id, onHold: false });
    await nextFrame(agent1.ws, (f) => f.type === 'interaction.updated' && f.interaction.agentId === agent2.id);
    await nextFrame(agent1.ws, isConsult('completed'));
    await nextFrame(customer.ws, (f) => f.type === 'customer.state' && f.state === 'connected' && f.agentName === 'Ben Agent');
    expect(agent2.ws.frames.filter(isOffer(id))).toEqual([]);

    // The customer's new offer goes to agent2; agent1 no longer signals or ends it.
    customer.ws.send({ type: 'call.signal', interactionId: id, signal: OFFER });
    await nextFrame(agent2.ws, (f) => f.type === 'call.signal' && f.interactionId === id);
    agent1.ws.send({ type: 'interaction.end', interactionId: id, id: 'gone' });
    await nextFrame(agent1.ws, isErrorRef('forbidden', 'gone'));
    await roundTrip(agent1.ws);
    expect(agent1.ws.frames.filter(isType('wrapup.required'))).toEqual([]);

    // Agent2 has the call: ends it and owes the wrap-up.
    agent2.ws.send({ type: 'interaction.end', interactionId: id });
    await nextFrame(agent2.ws, isType('wrapup.required'));
    const supervisor = await login(server.url, 'super1');
    const d = await detail(server, supervisor.token, id);
    expect(d.timeline.find((e: Json) => e.type === 'transferred')).toMatchObject({ actor: 'agent1', details: { from: 'agent1', consult: true, to: { kind: 'agent', username: 'agent2' } } });
    expect(await auditActions(server, AuditAction.consultCompleted)).toEqual([expect.objectContaining({ actorName: 'agent1', target: id })]);
  });

  it('the customer hanging up ends the consult for both agents; the agent consulted may decline', async () => {
    server = await startInteractionsBackend();
    const { agent1, customer, agent2 } = await agent1ConnectedThenAgent2(server);

    agent1.ws.send({ type: 'consult.start', interactionId: customer.interactionId, toUserId: agent2.id });
    const first = (await nextFrame<ConsultState>(agent2.ws, isConsult('ringing'))).consult.id;
    agent2.ws.send({ type: 'consult.cancel', consultId: first });
    expect((await nextFrame<ConsultState>(agent1.ws, isConsult('cancelled'))).consult.reason).toBe('declined');
    await nextFrame(customer.ws, isState('connected'));

    agent1.ws.send({ type: 'consult.start', interactionId: customer.interactionId, toUserId: agent2.id });
    await nextFrame(agent2.ws, (f) => f.type === 'consult.state' && f.consult.state === 'ringing' && f.consult.id !== first);
    customer.ws.send({ type: 'interaction.end', interactionId: customer.interactionId });
    const ended = await nextFrame<ConsultState>(agent2.ws, (f) => f.type === 'consult.state' && f.consult.state === 'cancelled' && f.consult.id !== first);
    expect(ended.consult.reason).toBe('call_ended');
    await nextFrame(agent1.ws, isType('wrapup.required'));
  });

  it('chats cannot be consulted on', async () => {
    server = await startInteractionsBackend();
    const { agent1, customer: chat, agent2 } = await agent1ConnectedThenAgent2(server, 'chat');
    agent1.ws.send({ type: 'consult.start', interactionId: chat.interactionId, toUserId: agent2.id, id: 'chat' });
    expect((await nextFrame<ServerMessageOf<'error'>>(agent1.ws, isErrorRef('conflict', 'chat'))).message).toMatch(/consult transfers are for calls/);
  });
});

describe('transfer targets', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('the assigned agent sees every other agent with their live state and whether they can take it now; others may not ask', async () => {
    server = await startInteractionsBackend();
    const { agent1, customer, agent2 } = await agent1ConnectedThenAgent2(server);
    const id = customer.interactionId;
    const agent3 = await connectAgent(server, 'agent3');
    agent3.ws.send({ type: 'presence.set', presence: 'away' });
    await roundTrip(agent3.ws);

    const res = await api(server.url, `/api/interactions/${id}/transfer-targets`, { token: agent1.login.token });
    expect(res.status).toBe(200);
    expect(res.body.agents).toEqual([
      { userId: agent2.id, username: 'agent2', displayName: 'Ben Agent', presence: 'available', activity: 'idle', canTake: true, why: null },
      { userId: agent3.id, username: 'agent3', displayName: 'Cleo Agent', presence: 'away', activity: 'idle', canTake: false, why: 'not available' },
    ]);
    expect((await api(server.url, `/api/interactions/${id}/transfer-targets`, { token: agent2.login.token })).status).toBe(403);
    const supervisor = await login(server.url, 'super1');
    expect((await api(server.url, `/api/interactions/${id}/transfer-targets`, { token: supervisor.token })).body.agents.map((a: Json) => a.username)).toEqual(['agent2', 'agent3']);
    expect((await api(server.url, '/api/interactions/nope/transfer-targets', { token: agent1.login.token })).status).toBe(404);
  });
});

describe('board move', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('a supervisor moves a waiting interaction to another queue, then its offer to a named agent; agents may not', async () => {
    server = await startInteractionsBackend();
    const customer = await connectCustomer(server, { kind: 'call' });
    const id = customer.interactionId;
    const superSession = await login(server.url, 'super1');
    const supervisor = await wsConnect(server.url, superSession.token);
    const billing = await connectAgent(server, 'agent3');

    billing.ws.send({ type: 'interaction.move', interactionId: id, to: { kind: 'queue', queueId: BILLING }, id: 'agent' });
    await nextFrame(billing.ws, isErrorRef('forbidden', 'agent'));
    supervisor.send({ type: 'interaction.move', interactionId: id, to: { kind: 'queue', queueId: 'nope' }, id: 'nope' });
    await nextFrame(supervisor, isErrorRef('not_found', 'nope'));

    supervisor.send({ type: 'interaction.move', interactionId: id, to: { kind: 'queue', queueId: BILLING } });
    await nextFrame(billing.ws, isOffer(id));
    await nextFrame(customer.ws, isState('ringing'));

    // Offered to agent3: moved on to agent2 by name; agent3's offer is withdrawn as moved.
    const agent2 = await connectAgent(server, 'agent2');
    supervisor.send({ type: 'interaction.move', interactionId: id, to: { kind: 'agent', userId: agent2.id } });
    expect(await nextFrame(billing.ws, isType('offer.withdrawn'))).toMatchObject({ interactionId: id, reason: 'moved' });
    await nextFrame(agent2.ws, isOffer(id));
    agent2.ws.send({ type: 'offer.accept', interactionId: id });
    await nextFrame(agent2.ws, isType('interaction.opened'));

    const d = await detail(server, superSession.token, id);
    expect(d.timeline.filter((e: Json) => e.type === 'moved')).toEqual([
      expect.objectContaining({ actor: 'super1', details: { to: { kind: 'queue', queueId: BILLING, queueName: 'Billing' } } }),
      expect.objectContaining({ actor: 'super1', details: { to: { kind: 'agent', userId: agent2.id, username: 'agent2' } } }),
    ]);
    expect(await auditActions(server, AuditAction.interactionMoved)).toHaveLength(2);
  });

  it('a supervisor moves a live interaction away from its agent: a transfer on their behalf; an agent who cannot take it is refused', async () => {
    server = await startInteractionsBackend();
    const { agent1, customer, agent2 } = await agent1ConnectedThenAgent2(server, 'chat');
    const id = customer.interactionId;
    const superSession = await login(server.url, 'super1');
    const supervisor = await wsConnect(server.url, superSession.token);

    agent2.ws.send({ type: 'presence.set', presence: 'away' });
    await roundTrip(agent2.ws);
    supervisor.send({ type: 'interaction.move', interactionId: id, to: { kind: 'agent', userId: agent2.id }, id: 'away' });
    expect((await nextFrame<ServerMessageOf<'error'>>(supervisor, isErrorRef('conflict', 'away'))).message).toMatch(/Ben Agent is not available/);
    supervisor.send({ type: 'interaction.move', interactionId: id, to: { kind: 'agent', userId: agent1.id }, id: 'same' });
    await nextFrame(supervisor, isErrorRef('bad_request', 'same'));

    agent2.ws.send({ type: 'presence.set', presence: 'available' });
    await roundTrip(agent2.ws);
    supervisor.send({ type: 'interaction.move', interactionId: id, to: { kind: 'agent', userId: agent2.id } });
    await nextFrame(agent1.ws, (f) => f.type === 'interaction.updated' && f.interaction.status === 'queued');
    await nextFrame(agent2.ws, isOffer(id));
    const d = await detail(server, superSession.token, id);
    expect(d.timeline.find((e: Json) => e.type === 'transferred')).toMatchObject({ actor: 'super1', details: { from: 'agent1', by: 'super1' } });
    await roundTrip(agent1.ws);
    expect(agent1.ws.frames.filter(isType('wrapup.required'))).toEqual([]);
  });
});
