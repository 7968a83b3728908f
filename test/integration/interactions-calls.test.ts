import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import { MAX_SIGNAL_BYTES } from '../../shared/api/ws-interactions';
import { isType, login, nextFrame, roundTrip, waitFor, wsConnect, type Json, type TestBackend } from './helpers';
import {
  BILLING,
  connectAgent,
  connectCustomer,
  connected,
  detail,
  isErrorRef,
  isState,
  rowCounts,
  startInteractionsBackend,
  timelineTypes,
} from './interactions-support';

type SignalFrame = ServerMessageOf<'call.signal'>;
const signals = (frames: { type: string }[]) => frames.filter((f): f is SignalFrame => f.type === 'call.signal');

const OFFER = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n' };
const ANSWER = { type: 'answer', sdp: 'v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\n' };
const CANDIDATE = { candidate: { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 } };

describe('calls', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('signals are relayed, in order and untouched, only between the customer and the assigned agent', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent, { kind: 'call' });
    const id = customer.interactionId;
    const third = await connectAgent(server, 'agent3');
    const otherCustomer = await connectCustomer(server, { kind: 'call', queueId: BILLING });
    const supervisor = await wsConnect(server.url, (await login(server.url, 'super1')).token);

    customer.ws.send({ type: 'call.signal', interactionId: id, signal: OFFER });
    customer.ws.send({ type: 'call.signal', interactionId: id, signal: CANDIDATE });
    await nextFrame(agent.ws, (f) => f.type === 'call.signal' && 'candidate' in f.signal);
    expect(signals(agent.ws.frames).map((f) => f.signal)).toEqual([OFFER, CANDIDATE]);
    agent.ws.send({ type: 'call.signal', interactionId: id, signal: ANSWER });
    expect((await nextFrame<SignalFrame>(customer.ws, isType('call.signal'))).signal).toEqual(ANSWER);

    third.ws.send({ type: 'call.signal', interactionId: id, signal: OFFER });
    expect((await nextFrame<ServerMessageOf<'error'>>(third.ws, isErrorRef('forbidden', 'call.signal'))).message).toMatch(/not the agent assigned/);
    otherCustomer.ws.send({ type: 'call.signal', interactionId: id, signal: OFFER });
    await nextFrame(otherCustomer.ws, isErrorRef('forbidden', 'call.signal'));
    supervisor.send({ type: 'call.signal', interactionId: id, signal: OFFER });
    await nextFrame(supervisor, isErrorRef('forbidden', 'call.signal'));
    // The other customer's call is not connected: nothing to signal to yet.
    otherCustomer.ws.send({ type: 'call.signal', interactionId: otherCustomer.interactionId, signal: OFFER });
    expect((await nextFrame<ServerMessageOf<'error'>>(otherCustomer.ws, isErrorRef('conflict', 'call.signal'))).message).toMatch(/not connected yet/);

    await roundTrip(agent.ws);
    await roundTrip(customer.ws);
    expect(signals(agent.ws.frames)).toHaveLength(2);
    expect(signals(customer.ws.frames)).toHaveLength(1);
    for (const ws of [third.ws, otherCustomer.ws, supervisor]) expect(signals(ws.frames)).toEqual([]);
  });

  it('a malformed or oversized signal, or one for a chat, is refused and not relayed', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const call = await connected(server, agent, { kind: 'call' });
    customerSend(call.ws, { type: 'call.signal', interactionId: call.interactionId, signal: { sdp: 'no type' } });
    expect((await nextFrame<ServerMessageOf<'error'>>(call.ws, isErrorRef('bad_request', 'call.signal'))).message).toMatch(/signal must have a type or a candidate/);
    customerSend(call.ws, { type: 'call.signal', interactionId: call.interactionId, signal: 'offer' });
    await nextFrame(call.ws, isErrorRef('bad_request', 'call.signal'));
    customerSend(call.ws, { type: 'call.signal', interactionId: call.interactionId, signal: { type: 'offer', sdp: 'x'.repeat(MAX_SIGNAL_BYTES) } });
    expect((await nextFrame<ServerMessageOf<'error'>>(call.ws, isErrorRef('bad_request', 'call.signal'))).message).toMatch(/larger than/);

    const chat = await connected(server, agent, { kind: 'chat' });
    chat.ws.send({ type: 'call.signal', interactionId: chat.interactionId, signal: OFFER });
    expect((await nextFrame<ServerMessageOf<'error'>>(chat.ws, isErrorRef('conflict', 'call.signal'))).message).toMatch(/is a chat, not a call/);
    await roundTrip(agent.ws);
    expect(signals(agent.ws.frames)).toEqual([]);
  });

  it('hold and resume: the customer hears it, the timeline and durations record it; mute is recorded', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent, { kind: 'call' });
    const id = customer.interactionId;

    agent.ws.send({ type: 'call.hold', interactionId: id, held: true });
    expect((await nextFrame<ServerMessageOf<'interaction.updated'>>(agent.ws, isType('interaction.updated'))).interaction.onHold).toBe(true);
    await nextFrame(customer.ws, isState('on_hold'));
    customer.ws.send({ type: 'call.hold', interactionId: id, held: false, id: 'cust' });
    await nextFrame(customer.ws, isErrorRef('forbidden', 'cust'));
    customer.ws.send({ type: 'call.mute', interactionId: id, muted: true });
    agent.ws.send({ type: 'call.mute', interactionId: id, muted: true });
    const heldAt = Date.now();
    await waitFor(() => Date.now() >= heldAt + 60, 1000, 'a measurable hold');
    agent.ws.send({ type: 'call.hold', interactionId: id, held: false });
    expect((await nextFrame<ServerMessageOf<'interaction.updated'>>(agent.ws, isType('interaction.updated'))).interaction.onHold).toBe(false);
    await nextFrame(customer.ws, (f) => f.type === 'customer.state' && f.state === 'connected' && f.agentName === 'Ada Agent');
    agent.ws.send({ type: 'call.mute', interactionId: id, muted: false });

    // Hang up: the customer's call ends; a second hang-up from either side is a conflict.
    agent.ws.send({ type: 'interaction.end', interactionId: id });
    await nextFrame(customer.ws, isState('ended'));
    agent.ws.send({ type: 'interaction.end', interactionId: id, id: 'again' });
    expect((await nextFrame<ServerMessageOf<'error'>>(agent.ws, isErrorRef('conflict', 'again'))).message).toMatch(/already ended/);
    customer.ws.send({ type: 'interaction.end', interactionId: id, id: 'again' });
    await nextFrame(customer.ws, isErrorRef('conflict', 'again'));
    agent.ws.send({ type: 'call.hold', interactionId: id, held: true, id: 'late-hold' });
    await nextFrame(agent.ws, isErrorRef('conflict', 'late-hold'));

    const d = await detail(server, agent.login.token, id);
    expect(timelineTypes(d)).toEqual(['queued', 'offered', 'answered', 'held', 'muted', 'muted', 'resumed', 'unmuted', 'ended']);
    const mutes = d.timeline.filter((e: Json) => e.type === 'muted').map((e: Json) => [e.actor, e.details.by]);
    expect(mutes).toHaveLength(2);
    expect(mutes).toEqual(expect.arrayContaining([['agent1', 'agent'], [null, 'customer']]));
    expect(d.timeline.at(-1)).toMatchObject({ type: 'ended', actor: 'agent1', details: { by: 'agent' } });
    expect(d).toMatchObject({ status: 'wrapup', onHold: false });
    expect(d.durations.holdMs).toBeGreaterThanOrEqual(50);
    expect(d.durations.waitMs).toBeGreaterThanOrEqual(0);
    expect(d.durations.talkMs).toBe(Date.parse(d.endedAt) - Date.parse(d.answeredAt) - d.durations.holdMs);
    expect(d.durations.totalMs).toBe(Date.parse(d.endedAt) - Date.parse(d.createdAt));
  });

  it('a customer who hangs up while queued abandons; nothing goes to wrap-up', async () => {
    server = await startInteractionsBackend();
    const customer = await connectCustomer(server, { kind: 'call' });
    customer.ws.send({ type: 'interaction.end', interactionId: customer.interactionId });
    await nextFrame(customer.ws, isState('ended'));
    customer.ws.send({ type: 'interaction.end', interactionId: customer.interactionId, id: 'twice' });
    await nextFrame(customer.ws, isErrorRef('conflict', 'twice'));
    const agent = await connectAgent(server, 'agent1');
    await roundTrip(agent.ws);
    expect(agent.ws.frames.filter((f) => f.type === 'offer' || f.type === 'wrapup.required')).toEqual([]);
    const row = await server.db.kysely.selectFrom('interactions').selectAll().where('id', '=', customer.interactionId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'abandoned', agent_id: null });
    expect((await rowCounts(server)).interactions).toBe(1);
  });
});

/** Sends a frame as-is (also shapes the contract's types would not allow). */
function customerSend(ws: { send(message: unknown): void }, message: unknown): void {
  ws.send(message);
}
