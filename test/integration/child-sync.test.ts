import { afterEach, describe, expect, it } from 'vitest';
import type { SyncChange } from '../../shared/api/sync';
import { api, login, nextFrame, type TestBackend } from './helpers';
import { connectAgent, connected, startInteractionsBackend, type Agent, type Customer } from './interactions-support';
import { interactionBundle, pullAll } from './sync-support';

const WORDS = ['Robin', 'Elm Primary', 'robin@example.com'];

/** The customer says something identifying; the agent answers; both see it. */
async function talk(agent: Agent, customer: Customer, text: string, clientMsgId: string): Promise<void> {
  const id = customer.interactionId;
  customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId, text });
  await nextFrame(agent.ws, (f) => f.type === 'chat.message' && f.message.text === text);
}

const messagesOf = (changes: readonly SyncChange[], id: string) => changes.filter((c) => c.kind === 'message' && c.interactionId === id);

/**
 * Issue 15, principle 7: nothing of a child's conversation is synced to local caches, also while
 * it is in progress: the sync bundle and the pull of a flagged conversation hold none of its
 * messages from the flag on, and caches that already had some get tombstones at the flag.
 */
describe('sync never hands out a child-protected conversation', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('flagged mid-chat: at once the bundle has no messages, caches get tombstones for those synced before, a new cache gets none; the server still shows the agent the transcript until the end', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const supervisor = await login(server.url, 'super1');
    const customer = await connected(server, agent, { kind: 'chat', customer: { name: 'Robin Child', email: 'robin@example.com' } });
    const id = customer.interactionId;
    await talk(agent, customer, 'I am Robin', 'c1');
    agent.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'a1', text: 'Hello there' });
    await nextFrame(customer.ws, (f) => f.type === 'chat.message' && f.message.from === 'agent');

    // Before the flag the agent's and the supervisor's caches hold both messages (an ordinary chat).
    const before = { agent: await pullAll(server.url, agent.login.token), supervisor: await pullAll(server.url, supervisor.token) };
    expect(messagesOf(before.agent.changes, id).filter((c) => c.op === 'upsert')).toHaveLength(2);
    const bundleBefore = await interactionBundle(server.url, agent.login.token, id);
    expect(bundleBefore.status).toBe(200);
    expect(messagesOf((bundleBefore.body as { changes: SyncChange[] }).changes, id)).toHaveLength(2);

    agent.ws.send({ type: 'interaction.child_flag', interactionId: id, id: 'flag' });
    await nextFrame(agent.ws, (f) => f.type === 'interaction.updated' && f.interaction.id === id && f.interaction.childProtected === true);
    await talk(agent, customer, 'my school is Elm Primary', 'c2');

    // The conversation is still in progress: the bundle holds its metadata, no message.
    for (const token of [agent.login.token, supervisor.token]) {
      const bundle = await interactionBundle(server.url, token, id);
      expect(bundle.status).toBe(200);
      const changes = (bundle.body as { changes: SyncChange[] }).changes;
      expect(messagesOf(changes, id)).toEqual([]);
      expect(changes.find((c) => c.kind === 'interaction')).toBeDefined();
      expect(JSON.stringify(changes)).not.toMatch(/Robin|Elm Primary|robin@/);
    }
    // Caches that had the messages: the next pull takes them back (tombstones) and clears the contact.
    for (const [token, from] of [
      [agent.login.token, before.agent.cursor],
      [supervisor.token, before.supervisor.cursor],
    ] as const) {
      const { changes } = await pullAll(server.url, token, from);
      const messages = messagesOf(changes, id);
      expect(messages).toHaveLength(2);
      expect(messages.every((c) => c.op === 'tombstone' && c.reason === 'erased')).toBe(true);
      expect(changes.find((c) => c.kind === 'contact' && c.interactionId === id)).toMatchObject({ op: 'upsert', data: { name: null, email: null } });
      for (const word of WORDS) expect(JSON.stringify(changes)).not.toContain(word);
    }
    // A cache starting now never sees a message of it.
    const fresh = await pullAll(server.url, supervisor.token);
    expect(messagesOf(fresh.changes, id).filter((c) => c.op === 'upsert')).toEqual([]);
    for (const word of WORDS) expect(JSON.stringify(fresh.changes)).not.toContain(word);

    // The server keeps the transcript while it lasts (the agent and the customer read it), in memory and the database only.
    const detail = await api(server.url, `/api/interactions/${id}`, { token: agent.login.token });
    expect(detail.body.messages).toHaveLength(3);
    agent.ws.send({ type: 'interaction.end', interactionId: id });
    await nextFrame(agent.ws, (f) => f.type === 'wrapup.required' && f.interactionId === id);
    expect(await server.db.kysely.selectFrom('messages').select('id').where('interaction_id', '=', id).execute()).toEqual([]);
  });

  it('child-protected from the start (the age question): the bundle and pulls carry no message at any time', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent, { kind: 'chat', birthYear: new Date().getUTCFullYear() - 9 });
    const id = customer.interactionId;
    await talk(agent, customer, 'I am Robin from Elm Primary', 'c1');
    const bundle = await interactionBundle(server.url, agent.login.token, id);
    expect(bundle.status).toBe(200);
    expect(messagesOf((bundle.body as { changes: SyncChange[] }).changes, id)).toEqual([]);
    const { changes } = await pullAll(server.url, agent.login.token);
    expect(messagesOf(changes, id)).toEqual([]);
    for (const word of WORDS) expect(JSON.stringify(changes)).not.toContain(word);
    agent.ws.send({ type: 'interaction.end', interactionId: id });
    await nextFrame(agent.ws, (f) => f.type === 'wrapup.required' && f.interactionId === id);
  });
});
