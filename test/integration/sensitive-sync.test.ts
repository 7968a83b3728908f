import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncChange } from '../../shared/api/sync';
import { AuditAction } from '../../server/modules/audit/actions';
import { api, login, waitFor, type Json, type TestBackend } from './helpers';
import { connectAgent, connected, startInteractionsBackend, type Agent } from './interactions-support';
import { head, interactionBundle, pullAll } from './sync-support';

/** Issue 15: sync follows the sensitive mark; a cache that already had the interaction gets a tombstone. */
describe('sync of a sensitive interaction', () => {
  let server: TestBackend;
  let agent: Agent;
  let id: string;
  const tokens: Record<string, string> = {};
  const cursors: Record<string, string> = {};

  const reads = async (): Promise<Json[]> => (await api(server.url, `/api/audit?action=${AuditAction.interactionSensitiveRead}&limit=500`, { token: tokens.admin })).body.entries;
  const ofInteraction = (changes: SyncChange[]): SyncChange[] => changes.filter((c) => c.interactionId === id);

  beforeAll(async () => {
    server = await startInteractionsBackend();
    agent = await connectAgent(server, 'agent1');
    for (const name of ['super1', 'super2', 'admin', 'agent2']) tokens[name] = (await login(server.url, name)).token;
    tokens.agent1 = agent.login.token;
    const customer = await connected(server, agent);
    id = customer.interactionId;
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c1', text: 'about my diagnosis' });
    // Everyone's cache holds it (and its message) before the mark.
    for (const who of ['agent1', 'super1', 'super2']) {
      await waitFor(async () => ofInteraction((await pullAll(server.url, tokens[who]!)).changes).some((c) => c.kind === 'message'), 5000, `${who} synced the message`);
      cursors[who] = (await pullAll(server.url, tokens[who]!)).cursor;
    }
    expect((await api(server.url, `/api/interactions/${id}/sensitive`, { token: tokens.agent1, json: { category: 'health' } })).status).toBe(200);
  });
  afterAll(() => server.close());

  it('super2 (no permission) gets a tombstone of the interaction and none of its records; head and the bundle leave it out', async () => {
    const next = ofInteraction((await pullAll(server.url, tokens.super2!, cursors.super2)).changes);
    expect(next).toEqual([expect.objectContaining({ kind: 'interaction', id, op: 'tombstone', reason: 'deleted' })]);
    // From scratch nothing but the tombstone.
    const fresh = ofInteraction((await pullAll(server.url, tokens.super2!)).changes);
    expect(fresh.map((c) => [c.kind, c.op])).toEqual([['interaction', 'tombstone']]);
    expect((await head(server.url, tokens.super2!)).changes.some((c) => c.interactionId === id)).toBe(false);
    expect((await interactionBundle(server.url, tokens.super2!, id)).status).toBe(403);
    expect((await interactionBundle(server.url, tokens.agent2!, id)).status).toBe(403);
  });

  it('the agent and super1 keep it (all its records come again); their bundle reads are audited', async () => {
    for (const who of ['agent1', 'super1']) {
      const next = ofInteraction((await pullAll(server.url, tokens[who]!, cursors[who])).changes);
      expect(next.some((c) => c.kind === 'interaction' && c.op === 'upsert')).toBe(true);
      expect(next.some((c) => c.kind === 'message' && c.op === 'upsert')).toBe(true);
      expect((await head(server.url, tokens[who]!)).changes.some((c) => c.interactionId === id)).toBe(true);
      const bundle = await interactionBundle(server.url, tokens[who]!, id);
      expect(bundle.status).toBe(200);
    }
    const entries = await reads();
    expect(entries.map((e: Json) => [e.actorName, e.details.what])).toEqual([
      ['agent1', 'sync_bundle'],
      ['super1', 'sync_bundle'],
    ]);
  });

  it('unmarked again, super2 gets it back with its records', async () => {
    const before = (await pullAll(server.url, tokens.super2!)).cursor;
    expect((await api(server.url, `/api/interactions/${id}/sensitive`, { token: tokens.super1, json: { category: null } })).status).toBe(200);
    const next = ofInteraction((await pullAll(server.url, tokens.super2!, before)).changes);
    expect(next.some((c) => c.kind === 'interaction' && c.op === 'upsert')).toBe(true);
    expect(next.some((c) => c.kind === 'message' && c.op === 'upsert')).toBe(true);
  });
});
