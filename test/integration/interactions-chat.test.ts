import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import { MAX_CHAT_TEXT } from '../../shared/domain/interactions';
import { PROTOCOL_VERSION } from '../../shared/version';
import { AuditAction } from '../../server/modules/audit/actions';
import { startInProcess } from '../support/in-process';
import { copyDatabase, dropTestDatabase } from '../support/test-database';
import { api, isType, login, nextFrame, roundTrip, waitFor, wsConnect, type Json, type TestBackend } from './helpers';
import {
  BILLING,
  GENERAL,
  INTERACTION_DEFAULTS,
  connectAgent,
  connectCustomer,
  connectCustomerSocket,
  type Customer,
  connected,
  detail,
  isErrorRef,
  isOffer,
  isState,
  rowCounts,
  startInteractionsBackend,
} from './interactions-support';

type ChatFrame = ServerMessageOf<'chat.message'>;
const chatFrames = (frames: { type: string }[]) => frames.filter((f): f is ChatFrame => f.type === 'chat.message');

describe('chat', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('customer starts → agent offered → accept → messages in order, exactly once, stored as text', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connectCustomer(server, { kind: 'chat', queueId: GENERAL, customer: { name: 'Casey Customer', email: 'casey@example.com' } });
    const id = customer.interactionId;
    expect(customer.hello).toMatchObject({ type: 'hello.customer', protocol: PROTOCOL_VERSION, interactionId: id, kind: 'chat', messages: [] });

    const offer = await nextFrame<ServerMessageOf<'offer'>>(agent.ws, isOffer(id));
    expect(offer.interaction).toMatchObject({ id, kind: 'chat', status: 'offered', queueId: GENERAL, queueName: 'General', customer: { name: 'Casey Customer' }, agentId: null });
    expect(Date.parse(offer.expiresAt)).toBeGreaterThan(Date.now());
    await nextFrame(customer.ws, isState('ringing'));

    agent.ws.send({ type: 'offer.accept', interactionId: id });
    const opened = await nextFrame<ServerMessageOf<'interaction.opened'>>(agent.ws, isType('interaction.opened'));
    expect(opened.interaction).toMatchObject({ id, status: 'active', agentId: agent.id, agentName: 'Ada Agent', messages: [], customerConnected: true });
    expect(opened.interaction.timeline.map((e) => e.type)).toEqual(['queued', 'offered', 'answered']);
    const state = await nextFrame<ServerMessageOf<'customer.state'>>(customer.ws, isState('connected'));
    expect(state.agentName).toBe('Ada Agent');

    // Three messages back to back, then a resend of the second (a client that missed the ack).
    const texts = ['Hi', 'I have a question', '<b>not html</b> & <script>x</script>'];
    texts.forEach((text, i) => customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: `c${i + 1}`, text }));
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c2', text: 'I have a question' });
    for (const n of [1, 2, 3]) await nextFrame(customer.ws, (f) => f.type === 'chat.message' && f.clientMsgId === `c${n}`);
    const resendAck = await nextFrame<ChatFrame>(customer.ws, (f) => f.type === 'chat.message' && f.clientMsgId === 'c2');

    agent.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'a1', text: 'Hello Casey, how can I help?' });
    const agentAck = await nextFrame<ChatFrame>(agent.ws, (f) => f.type === 'chat.message' && f.clientMsgId === 'a1');
    const toCustomer = await nextFrame<ChatFrame>(customer.ws, (f) => f.type === 'chat.message' && f.message.from === 'agent');
    expect(toCustomer.clientMsgId).toBeUndefined(); // only the sender's copy carries the ack
    expect(toCustomer.message).toEqual(agentAck.message);
    expect(agentAck.message).toMatchObject({ seq: 4, from: 'agent', authorName: 'Ada Agent' });

    // The agent got each customer message once, in order, without the client ids.
    const atAgent = chatFrames(agent.ws.frames).filter((f) => f.message.from === 'customer');
    expect(atAgent.map((f) => [f.message.seq, f.message.text, f.clientMsgId])).toEqual(texts.map((t, i) => [i + 1, t, undefined]));
    expect(atAgent[0]!.message.authorName).toBe('Casey Customer');
    // The resend was answered with the stored message: same id and seq.
    const firstAck = chatFrames(customer.ws.frames).find((f) => f.clientMsgId === 'c2')!;
    expect(resendAck.message).toEqual(firstAck.message);

    const stored = await detail(server, agent.login.token, id);
    expect(stored.messages.map((m: Json) => [m.seq, m.from, m.text])).toEqual([
      [1, 'customer', 'Hi'],
      [2, 'customer', 'I have a question'],
      [3, 'customer', texts[2]],
      [4, 'agent', 'Hello Casey, how can I help?'],
    ]);
    expect((await rowCounts(server)).messages).toBe(4);
  });

  it('typing and read receipts are relayed to the other party only', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    const id = customer.interactionId;
    customer.ws.send({ type: 'chat.typing', interactionId: id });
    await nextFrame(agent.ws, (f) => f.type === 'chat.typing' && f.from === 'customer' && f.interactionId === id);
    agent.ws.send({ type: 'chat.typing', interactionId: id });
    await nextFrame(customer.ws, (f) => f.type === 'chat.typing' && f.from === 'agent');
    agent.ws.send({ type: 'chat.seen', interactionId: id, upToSeq: 3 });
    await nextFrame(customer.ws, (f) => f.type === 'chat.seen' && f.by === 'agent' && f.upToSeq === 3);
    customer.ws.send({ type: 'chat.seen', interactionId: id, upToSeq: 1 });
    await nextFrame(agent.ws, (f) => f.type === 'chat.seen' && f.by === 'customer' && f.upToSeq === 1);
    await roundTrip(agent.ws);
    await roundTrip(customer.ws);
    expect(agent.ws.frames.filter((f) => f.type === 'chat.typing' && f.from === 'agent')).toEqual([]);
    expect(customer.ws.frames.filter((f) => f.type === 'chat.seen' && f.by === 'customer')).toEqual([]);
  });

  it('a customer who reconnects gets the transcript and state; the agent hears of the blip', async () => {
    server = await startInteractionsBackend({ customerGoneMs: 300 });
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    const id = customer.interactionId;
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c1', text: 'before the blip' });
    await nextFrame(agent.ws, (f) => f.type === 'chat.message');

    await customer.ws.close();
    const closedAt = Date.now();
    const away = await nextFrame<ServerMessageOf<'interaction.updated'>>(agent.ws, (f) => f.type === 'interaction.updated' && f.interaction.customerConnected === false);
    expect(away.interaction.status).toBe('active');
    // Longer than customerGoneMs: a connected conversation is not ended by a blip.
    agent.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'a1', text: 'while you were away' });
    await nextFrame(agent.ws, (f) => f.type === 'chat.message' && f.clientMsgId === 'a1');
    await waitFor(() => Date.now() >= closedAt + 450, 2000, 'customerGoneMs to pass');

    const back = await connectCustomerSocket(server, id, customer.token);
    expect(back.hello.messages.map((m) => m.text)).toEqual(['before the blip', 'while you were away']);
    await nextFrame(back.ws, isState('connected'));
    await nextFrame(agent.ws, (f) => f.type === 'interaction.updated' && f.interaction.customerConnected === true);
  });

  it('only the two parties may write: another agent, another customer and a supervisor are refused', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    const id = customer.interactionId;
    const other = await connectAgent(server, 'agent3');
    const otherCustomer = await connectCustomer(server, { queueId: BILLING, customer: { name: 'Other' } });
    const supervisor = await wsConnect(server.url, (await login(server.url, 'super1')).token);

    other.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'x1', text: 'intruder', id: 'r1' });
    const e1 = await nextFrame<ServerMessageOf<'error'>>(other.ws, isErrorRef('forbidden', 'r1'));
    expect(e1.message).toMatch(/not the agent assigned/);
    otherCustomer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'x2', text: 'intruder', id: 'r2' });
    const e2 = await nextFrame<ServerMessageOf<'error'>>(otherCustomer.ws, isErrorRef('forbidden', 'r2'));
    expect(e2.message).toMatch(/your own conversation/);
    supervisor.send({ type: 'chat.send', interactionId: id, clientMsgId: 'x3', text: 'intruder', id: 'r3' });
    await nextFrame(supervisor, isErrorRef('forbidden', 'r3'));
    otherCustomer.ws.send({ type: 'chat.typing', interactionId: id });
    await nextFrame(otherCustomer.ws, isErrorRef('forbidden', 'chat.typing'));

    await roundTrip(agent.ws);
    await roundTrip(customer.ws);
    expect(chatFrames(agent.ws.frames).concat(chatFrames(customer.ws.frames))).toEqual([]);
    expect(agent.ws.frames.filter((f) => f.type === 'chat.typing')).toEqual([]);
    expect((await rowCounts(server)).messages).toBe(0);
  });

  it('accepting twice, or someone else’s offer, is a conflict with a clear message', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    const id = customer.interactionId;
    agent.ws.send({ type: 'offer.accept', interactionId: id, id: 'again' });
    const again = await nextFrame<ServerMessageOf<'error'>>(agent.ws, isErrorRef('conflict', 'again'));
    expect(again.message).toBe('You already accepted this interaction.');

    const late = await connectAgent(server, 'agent2');
    late.ws.send({ type: 'offer.accept', interactionId: id, id: 'late' });
    expect((await nextFrame<ServerMessageOf<'error'>>(late.ws, isErrorRef('conflict', 'late'))).message).toBe('Another agent already answered this interaction.');
    late.ws.send({ type: 'offer.accept', interactionId: 'no-such-interaction', id: 'ghost' });
    await nextFrame(late.ws, isErrorRef('not_found', 'ghost'));
    // A customer cannot accept anything.
    customer.ws.send({ type: 'offer.accept', interactionId: id, id: 'cust' });
    await nextFrame(customer.ws, isErrorRef('forbidden', 'cust'));

    const d = await detail(server, agent.login.token, id);
    expect(d.timeline.filter((e: Json) => e.type === 'answered')).toHaveLength(1);
  });

  it('bad chat input is refused with a clear error and nothing is stored', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    const id = customer.interactionId;
    const before = await rowCounts(server);

    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'big', text: 'x'.repeat(MAX_CHAT_TEXT + 1), id: 'big' });
    const big = await nextFrame<ServerMessageOf<'error'>>(customer.ws, isErrorRef('bad_request', 'big'));
    expect(big.message).toMatch(/^Invalid chat.send message: text: /);
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'blank', text: '   ', id: 'blank' });
    expect((await nextFrame<ServerMessageOf<'error'>>(customer.ws, isErrorRef('bad_request', 'blank'))).message).toMatch(/message is empty/);
    customer.ws.send({ type: 'chat.send', interactionId: id, text: 'no client id', id: 'noid' });
    expect((await nextFrame<ServerMessageOf<'error'>>(customer.ws, isErrorRef('bad_request', 'noid'))).message).toMatch(/clientMsgId/);
    agent.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'html', text: 'ok', extra: '<img>', id: 'extra' });
    await nextFrame(agent.ws, isErrorRef('bad_request', 'extra'));

    await roundTrip(agent.ws);
    expect(chatFrames(agent.ws.frames)).toEqual([]);
    expect(await rowCounts(server)).toEqual(before);
  });

  it('after the end nobody can write, and a second end is a conflict', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    const id = customer.interactionId;
    customer.ws.send({ type: 'interaction.end', interactionId: id, id: 'bye' });
    await nextFrame(customer.ws, isState('ended'));
    await nextFrame(agent.ws, (f) => f.type === 'interaction.updated' && f.interaction.status === 'wrapup');
    customer.ws.send({ type: 'interaction.end', interactionId: id, id: 'bye2' });
    expect((await nextFrame<ServerMessageOf<'error'>>(customer.ws, isErrorRef('conflict', 'bye2'))).message).toMatch(/already ended/);
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'late', text: 'one more thing', id: 'late' });
    await nextFrame(customer.ws, isErrorRef('conflict', 'late'));
    agent.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'late', text: 'one more thing', id: 'late' });
    await nextFrame(agent.ws, isErrorRef('conflict', 'late'));
    expect((await rowCounts(server)).messages).toBe(0);

    // Personal data stays out of the audit log: ids only.
    const admin = await login(server.url, 'admin');
    const audit = await api(server.url, '/api/audit?limit=500', { token: admin.token });
    const interactionEntries = audit.body.entries.filter((e: Json) => String(e.action).startsWith('interaction.'));
    expect(interactionEntries.map((e: Json) => e.action)).toEqual([AuditAction.interactionAccepted, AuditAction.interactionEnded]);
    expect(interactionEntries.every((e: Json) => e.target === id)).toBe(true);
    expect(JSON.stringify(audit.body)).not.toMatch(/Casey/);
  });

  it('several chats at once, both sides writing back to back: each chat numbered 1..n in send order, every message acknowledged and delivered once', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customers: Customer[] = [];
    for (let i = 0; i < 3; i++) customers.push(await connected(server, agent, { customer: { name: `Customer ${i}` } }));
    const PER_CUSTOMER = 25;
    const PER_AGENT = 10;
    // Everything sent without waiting: the chats' messages interleave on the server.
    for (let n = 1; n <= PER_CUSTOMER; n++) {
      for (const c of customers) {
        c.ws.send({ type: 'chat.send', interactionId: c.interactionId, clientMsgId: `c${n}`, text: `customer ${n}` });
        if (n <= PER_AGENT) agent.ws.send({ type: 'chat.send', interactionId: c.interactionId, clientMsgId: `a${n}`, text: `agent ${n}` });
      }
    }
    const of = (frames: { type: string }[], id: string) => chatFrames(frames).filter((f) => f.interactionId === id);
    await waitFor(
      () => customers.every((c) => of(agent.ws.frames, c.interactionId).length === PER_CUSTOMER + PER_AGENT && of(c.ws.frames, c.interactionId).length === PER_CUSTOMER + PER_AGENT),
      15_000,
      'every message acknowledged and delivered',
    );
    for (const c of customers) {
      const atAgent = of(agent.ws.frames, c.interactionId);
      const atCustomer = of(c.ws.frames, c.interactionId);
      // Each side: its own messages acknowledged once and in order, the other's delivered once and in order.
      expect(atAgent.filter((f) => f.message.from === 'customer').map((f) => f.message.text)).toEqual(Array.from({ length: PER_CUSTOMER }, (_, i) => `customer ${i + 1}`));
      expect(atAgent.filter((f) => f.message.from === 'agent').map((f) => f.clientMsgId)).toEqual(Array.from({ length: PER_AGENT }, (_, i) => `a${i + 1}`));
      expect(atCustomer.filter((f) => f.message.from === 'agent').map((f) => f.message.text)).toEqual(Array.from({ length: PER_AGENT }, (_, i) => `agent ${i + 1}`));
      expect(atCustomer.filter((f) => f.message.from === 'customer').map((f) => f.clientMsgId)).toEqual(Array.from({ length: PER_CUSTOMER }, (_, i) => `c${i + 1}`));
      // Both sides saw the same numbering, increasing in the order they received it.
      for (const frames of [atAgent, atCustomer]) expect(frames.map((f) => f.message.seq)).toEqual(Array.from({ length: PER_CUSTOMER + PER_AGENT }, (_, i) => i + 1));
      const stored = await detail(server, agent.login.token, c.interactionId);
      expect(stored.messages.map((m: Json) => [m.seq, m.text])).toEqual(atAgent.map((f) => [f.message.seq, f.message.text]));
    }
    expect((await rowCounts(server)).messages).toBe(3 * (PER_CUSTOMER + PER_AGENT));
  });

  it('a waiting customer’s numbering and resends survive a server restart', async () => {
    server = await startInteractionsBackend();
    // Nobody signed in: the customer waits and may write meanwhile.
    const customer = await connectCustomer(server);
    const id = customer.interactionId;
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'w1', text: 'Anyone there?' });
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'w2', text: 'I will wait' });
    const acked = await nextFrame<ChatFrame>(customer.ws, (f) => f.type === 'chat.message' && f.clientMsgId === 'w2');
    expect(acked.message.seq).toBe(2);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-int-'));
    await copyDatabase({ dataDir: server.dataDir, vacuumInto: async (file) => void (await sql`vacuum into ${file}`.execute(server.db.kysely)) }, dataDir);
    const restarted = await startInProcess({ ...INTERACTION_DEFAULTS, dataDir });
    try {
      const again = await connectCustomerSocket(restarted, id, customer.token);
      expect(again.hello.messages.map((m) => m.seq)).toEqual([1, 2]);
      // The resend is answered with the stored message; the next one continues the numbering.
      again.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'w2', text: 'I will wait' });
      expect((await nextFrame<ChatFrame>(again.ws, (f) => f.type === 'chat.message' && f.clientMsgId === 'w2')).message).toEqual(acked.message);
      again.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'w3', text: 'Still here' });
      expect((await nextFrame<ChatFrame>(again.ws, (f) => f.type === 'chat.message' && f.clientMsgId === 'w3')).message.seq).toBe(3);
      const count = await restarted.db.kysely.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('interaction_id', '=', id).executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(3);
    } finally {
      await restarted.close();
      await dropTestDatabase(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
