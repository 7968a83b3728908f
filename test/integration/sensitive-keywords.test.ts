import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import { AuditAction } from '../../server/modules/audit/actions';
import { SensitiveKeywordsService } from '../../server/modules/sensitive-keywords/service';
import { api, login, nextFrame, roundTrip, type Json, type TestBackend } from './helpers';
import { connectAgent, connectCustomer, connected, detail, isOffer, startInteractionsBackend } from './interactions-support';

type ChatFrame = ServerMessageOf<'chat.message'>;
const isSuggestion = (f: { type: string }) => f.type === 'sensitive.suggested';

describe('keyword rules suggest the sensitive mark to the agent', () => {
  let server: TestBackend | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a customer typing "my prescription" suggests health to the handling agent once; nobody else hears of it and nothing is marked', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    const other = await connectAgent(server, 'agent2');
    const id = customer.interactionId;

    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c1', text: 'About my Prescription…' });
    const suggestion = await nextFrame<ServerMessageOf<'sensitive.suggested'>>(agent.ws, isSuggestion);
    expect(suggestion).toEqual({ type: 'sensitive.suggested', interactionId: id, category: 'health' });
    // No message text travels with it.
    expect(JSON.stringify(suggestion)).not.toContain('rescription');

    // Again from the customer and from the agent: no second suggestion for health; religion is new.
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c2', text: 'the prescription from the hospital' });
    await nextFrame<ChatFrame>(agent.ws, (f) => f.type === 'chat.message' && f.clientMsgId === undefined && f.message.text.includes('hospital'));
    agent.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'a1', text: 'Is that near the mosque?' });
    await nextFrame(agent.ws, (f) => f.type === 'sensitive.suggested' && f.category === 'religion');
    // Once the customer has the agent's message, every frame the server sent them before it has arrived too.
    await nextFrame<ChatFrame>(customer.ws, (f) => f.type === 'chat.message' && f.message.text.includes('mosque'));
    await roundTrip(agent.ws);
    await roundTrip(other.ws);
    expect(agent.ws.frames.filter(isSuggestion).map((f) => (f as ServerMessageOf<'sensitive.suggested'>).category)).toEqual(['health', 'religion']);
    expect(customer.ws.frames.filter(isSuggestion)).toEqual([]);
    expect(other.ws.frames.filter(isSuggestion)).toEqual([]);

    // A suggestion marks nothing.
    expect((await detail(server, agent.login.token, id)).sensitive).toBeUndefined();
  });

  it('a message written while the chat waits is suggested to the agent who accepts it, on accept', async () => {
    server = await startInteractionsBackend();
    const customer = await connectCustomer(server);
    const id = customer.interactionId;
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c1', text: 'I was at the synagogue' });
    await nextFrame<ChatFrame>(customer.ws, (f) => f.type === 'chat.message' && f.clientMsgId === 'c1');
    const agent = await connectAgent(server, 'agent1');
    await nextFrame(agent.ws, isOffer(id));
    // Offered is not handling: nothing yet.
    await roundTrip(agent.ws);
    expect(agent.ws.frames.filter(isSuggestion)).toEqual([]);
    agent.ws.send({ type: 'offer.accept', interactionId: id });
    await nextFrame(agent.ws, (f) => f.type === 'interaction.opened' && f.interaction.id === id);
    expect(await nextFrame(agent.ws, isSuggestion)).toEqual({ type: 'sensitive.suggested', interactionId: id, category: 'religion' });
    expect(customer.ws.frames.filter(isSuggestion)).toEqual([]);
  });

  it('after a transfer the agent who takes over is told what matched before, once; the first agent is not told again', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    const id = customer.interactionId;
    const target = await connectAgent(server, 'agent2');
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c1', text: 'my prescription ran out' });
    await nextFrame(agent.ws, isSuggestion);

    agent.ws.send({ type: 'interaction.transfer', interactionId: id, to: { kind: 'agent', userId: target.id } });
    await nextFrame(target.ws, isOffer(id));
    target.ws.send({ type: 'offer.accept', interactionId: id });
    await nextFrame(target.ws, (f) => f.type === 'interaction.opened' && f.interaction.id === id);
    expect(await nextFrame(target.ws, isSuggestion)).toEqual({ type: 'sensitive.suggested', interactionId: id, category: 'health' });

    // The same word again: the new agent has already been told.
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c2', text: 'the prescription again' });
    await nextFrame<ChatFrame>(target.ws, (f) => f.type === 'chat.message' && f.message.text.includes('again'));
    await roundTrip(target.ws);
    await roundTrip(agent.ws);
    expect(target.ws.frames.filter(isSuggestion)).toHaveLength(1);
    expect(agent.ws.frames.filter(isSuggestion)).toHaveLength(1);
  });

  it('a marked interaction gets no suggestions', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    const id = customer.interactionId;
    const marked = await api(server.url, `/api/interactions/${id}/sensitive`, { token: agent.login.token, method: 'POST', json: { category: 'politics' } });
    expect(marked.status).toBe(200);
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c1', text: 'my diagnosis' });
    await nextFrame<ChatFrame>(agent.ws, (f) => f.type === 'chat.message' && f.message.text === 'my diagnosis');
    await roundTrip(agent.ws);
    expect(agent.ws.frames.filter(isSuggestion)).toEqual([]);
  });

  it('admins read and replace the rules (audited without the words; bad rules refused with the reason); the next message uses them', async () => {
    server = await startInteractionsBackend();
    const admin = await login(server.url, 'admin');
    const path = '/api/admin/sensitive-keywords';
    const current = await api(server.url, path, { token: admin.token });
    expect(current.status).toBe(200);
    expect((current.body.rules as Json[]).find((r) => r.category === 'health')?.keywords).toContain('prescription');

    for (const user of ['agent1', 'super1']) {
      const token = (await login(server.url, user)).token;
      expect((await api(server.url, path, { token })).status).toBe(403);
      expect((await api(server.url, path, { token, method: 'PUT', json: { rules: [] } })).status).toBe(403);
    }
    expect((await api(server.url, path)).status).toBe(401);

    const tooShort = await api(server.url, path, { token: admin.token, method: 'PUT', json: { rules: [{ category: 'health', keywords: ['x'] }] } });
    expect(tooShort.status).toBe(400);
    expect(JSON.stringify(tooShort.body)).toContain('at least 2 characters');
    expect((await api(server.url, path, { token: admin.token, method: 'PUT', json: { rules: [{ category: 'weather', keywords: ['rain'] }] } })).status).toBe(400);
    expect((await api(server.url, path, { token: admin.token, method: 'PUT', json: { rules: [], extra: 1 } })).status).toBe(400);
    expect((await api(server.url, path, { token: admin.token })).body).toEqual(current.body);

    const next = { rules: [{ category: 'politics', keywords: ['ballot box', ' election '] }] };
    const saved = await api(server.url, path, { token: admin.token, method: 'PUT', json: next });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ rules: [{ category: 'politics', keywords: ['ballot box', 'election'] }] });
    expect((await SensitiveKeywordsService.open(server.db, server.audit)).get()).toEqual(saved.body);

    const audit = await api(server.url, `/api/audit?limit=50&action=${AuditAction.sensitiveKeywordsChanged}`, { token: admin.token });
    const entry = (audit.body.entries as Json[]).find((e) => e.action === AuditAction.sensitiveKeywordsChanged);
    expect(entry?.details.after).toEqual({ politics: 2 });
    expect(JSON.stringify(entry)).not.toContain('ballot');

    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    customer.ws.send({ type: 'chat.send', interactionId: customer.interactionId, clientMsgId: 'c1', text: 'my prescription and the ELECTION' });
    const suggestion = await nextFrame<ServerMessageOf<'sensitive.suggested'>>(agent.ws, isSuggestion);
    expect(suggestion.category).toBe('politics');
    await roundTrip(agent.ws);
    expect(agent.ws.frames.filter(isSuggestion)).toHaveLength(1);
  });
});
