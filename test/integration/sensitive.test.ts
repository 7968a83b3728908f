import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditAction } from '../../server/modules/audit/actions';
import type { ServerMessageOf } from '../../shared/api/ws';
import { api, login, nextFrame, type Json, type TestBackend } from './helpers';
import { connectAgent, connected, startInteractionsBackend, type Agent } from './interactions-support';

/** Issue 15: an interaction marked sensitive is open only to its agents, supervisors with the permission and admins. */
describe('sensitive interactions', () => {
  let server: TestBackend;
  let agent1: Agent;
  let tokens: Record<'agent1' | 'agent2' | 'super1' | 'super2' | 'admin', string>;
  let marked: string;
  let plain: string;

  const auditOf = async (action: string): Promise<Json[]> => (await api(server.url, `/api/audit?action=${action}&limit=500`, { token: tokens.admin })).body.entries;
  const mark = (token: string, id: string, category: string | null) => api(server.url, `/api/interactions/${id}/sensitive`, { token, json: { category } });
  const historyIds = async (token: string): Promise<string[]> => (await api(server.url, '/api/interactions?limit=200', { token })).body.interactions.map((i: Json) => i.id);

  beforeAll(async () => {
    server = await startInteractionsBackend();
    agent1 = await connectAgent(server, 'agent1');
    tokens = {
      agent1: agent1.login.token,
      agent2: (await login(server.url, 'agent2')).token,
      super1: (await login(server.url, 'super1')).token,
      super2: (await login(server.url, 'super2')).token,
      admin: (await login(server.url, 'admin')).token,
    };
    marked = (await connected(server, agent1)).interactionId;
    plain = (await connected(server, agent1)).interactionId;
  });
  afterAll(() => server.close());

  it('the handling agent marks it (audited with the category, no text); others may not', async () => {
    expect((await mark(tokens.agent2, marked, 'health')).status).toBe(403);
    expect((await mark(tokens.agent1, marked, 'not-a-category')).status).toBe(400);
    expect((await mark(tokens.agent1, 'no-such-id', 'health')).status).toBe(404);

    const res = await mark(tokens.agent1, marked, 'health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ interactionId: marked, sensitive: { category: 'health', markedBy: agent1.id } });
    // The chat is in progress: the agent's windows get the mark in interaction.updated.
    const updated = await nextFrame<ServerMessageOf<'interaction.updated'>>(agent1.ws, (f) => f.type === 'interaction.updated' && f.interaction.id === marked && f.interaction.sensitive !== undefined);
    expect(updated.interaction.sensitive).toMatchObject({ category: 'health' });

    const entries = await auditOf(AuditAction.interactionMarkedSensitive);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorName: 'agent1', target: marked, details: { interactionId: marked, category: 'health' } });
  });

  it('history: super2 (no permission) and another agent are refused; the list leaves it out for super2', async () => {
    expect((await api(server.url, `/api/interactions/${marked}`, { token: tokens.super2 })).status).toBe(403);
    expect((await api(server.url, `/api/interactions/${marked}`, { token: tokens.agent2 })).status).toBe(403);
    const super2Ids = await historyIds(tokens.super2);
    expect(super2Ids).toContain(plain);
    expect(super2Ids).not.toContain(marked);
    // The agent's own list and super1's keep it, with the mark.
    for (const token of [tokens.agent1, tokens.super1, tokens.admin]) expect(await historyIds(token)).toContain(marked);
    const row = (await api(server.url, '/api/interactions?limit=200', { token: tokens.super1 })).body.interactions.find((i: Json) => i.id === marked);
    expect(row.sensitive).toMatchObject({ category: 'health' });
    // Nothing was read by a refused caller.
    expect(await auditOf(AuditAction.interactionSensitiveRead)).toHaveLength(0);
  });

  it('every transcript read by an allowed user is audited (ids only); an unmarked one is not', async () => {
    for (const who of ['agent1', 'super1', 'admin'] as const) {
      const res = await api(server.url, `/api/interactions/${marked}`, { token: tokens[who] });
      expect(res.status).toBe(200);
      expect(res.body.sensitive).toMatchObject({ category: 'health' });
    }
    expect((await api(server.url, `/api/interactions/${plain}`, { token: tokens.super2 })).status).toBe(200);
    const reads = await auditOf(AuditAction.interactionSensitiveRead);
    expect(reads.map((e: Json) => e.actorName)).toEqual(['agent1', 'super1', 'admin']);
    for (const entry of reads) expect(entry).toMatchObject({ target: marked, details: { interactionId: marked, what: 'transcript' } });
  });

  it('a supervisor without the permission may mark an unmarked one but not change or remove a mark; super1 may remove it', async () => {
    expect((await mark(tokens.super2, marked, 'religion')).status).toBe(403);
    expect((await mark(tokens.super2, marked, null)).status).toBe(403);
    expect((await mark(tokens.agent1, marked, null)).status).toBe(403);

    const other = (await connected(server, agent1)).interactionId;
    expect((await mark(tokens.super2, other, 'politics')).status).toBe(200);
    expect((await api(server.url, `/api/interactions/${other}`, { token: tokens.super2 })).status).toBe(403);

    const removed = await mark(tokens.super1, other, null);
    expect(removed.status).toBe(200);
    expect(removed.body.sensitive).toBeNull();
    expect((await api(server.url, `/api/interactions/${other}`, { token: tokens.super2 })).status).toBe(200);
    const unmarks = await auditOf(AuditAction.interactionUnmarkedSensitive);
    expect(unmarks).toHaveLength(1);
    expect(unmarks[0]).toMatchObject({ actorName: 'super1', target: other, details: { interactionId: other, previous: 'politics' } });
  });
});
