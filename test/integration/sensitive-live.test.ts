import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditAction } from '../../server/modules/audit/actions';
import type { ServerMessage, ServerMessageOf } from '../../shared/api/ws';
import { api, login, nextFrame, wsConnect, type Json, type TestBackend, type TestSocket } from './helpers';
import { connectAgent, connected, isErrorRef, type Agent } from './interactions-support';
import { fakeMonitorMedia, startMonitoringBackend } from './monitoring-support';

type Board = ServerMessageOf<'board'>;
type State = ServerMessageOf<'monitor.state'>;

/**
 * Issue 15, principle 4 on the live side: the supervisors' board and live monitoring over the real
 * WebSocket. A supervisor without the `sensitive` permission sees a marked call as metadata only and
 * may not listen in; super1 (with it) and admins keep full access, and each listen is audited.
 */
describe('sensitive interactions on the live board and in monitoring', () => {
  let server: TestBackend;
  let media: ReturnType<typeof fakeMonitorMedia>;
  let adminToken: string;

  const connectStaff = async (username: string): Promise<{ id: string; token: string; ws: TestSocket }> => {
    const session = await login(server.url, username);
    return { id: session.user.id, token: session.token, ws: await wsConnect(server.url, session.token) };
  };
  const mark = (token: string, id: string, category: string | null) => api(server.url, `/api/interactions/${id}/sensitive`, { token, json: { category } });
  const auditOf = async (action: string): Promise<Json[]> => (await api(server.url, `/api/audit?action=${action}&limit=500`, { token: adminToken })).body.entries;
  /** The next board whose row for the agent shows the interaction with this mark (undefined: unmarked). */
  const boardShowing = (ws: TestSocket, agentId: string, interactionId: string, sensitive: unknown) =>
    nextFrame<Board>(ws, (f: ServerMessage) => {
      if (f.type !== 'board') return false;
      const item = f.agents.find((a) => a.userId === agentId)?.interactions.find((i) => i.id === interactionId);
      return item !== undefined && JSON.stringify(item.sensitive) === JSON.stringify(sensitive);
    });
  const isMonState = (interactionId: string, status?: State['status']) => (f: ServerMessage) =>
    f.type === 'monitor.state' && f.interactionId === interactionId && (status === undefined || f.status === status);

  beforeEach(async () => {
    media = fakeMonitorMedia();
    server = await startMonitoringBackend(media);
    adminToken = (await login(server.url, 'admin')).token;
  });
  afterEach(async () => {
    await server?.close();
  });

  it('a marked call: super2 sees only that it is sensitive and is refused listening (error frame, audited); super1 and the admin see the category and listen, each listen audited as a read', async () => {
    const agent: Agent = await connectAgent(server, 'agent1');
    const super1 = await connectStaff('super1');
    const super2 = await connectStaff('super2');
    const admin = await connectStaff('admin');
    const { interactionId } = await connected(server, agent, { kind: 'call', customer: { name: 'Jordan Patient', email: 'jordan@example.com' } });
    expect((await mark(agent.login.token, interactionId, 'health')).status).toBe(200);

    const withheld = await boardShowing(super2.ws, agent.id, interactionId, { category: null });
    const row = withheld.agents.find((a) => a.userId === agent.id)!;
    // Metadata only: kind, status, the agent and since when; no category, no customer data anywhere in the frame.
    expect(row.interactions).toEqual([{ id: interactionId, kind: 'call', status: 'active', sensitive: { category: null } }]);
    expect(JSON.stringify(withheld)).not.toMatch(/health|Jordan|jordan@/);
    await boardShowing(super1.ws, agent.id, interactionId, { category: 'health' });
    await boardShowing(admin.ws, agent.id, interactionId, { category: 'health' });

    // A window opened after the mark gets the same split in its first board.
    const super2Again = await wsConnect(server.url, super2.token);
    await boardShowing(super2Again, agent.id, interactionId, { category: null });

    super2.ws.send({ type: 'monitor.start', interactionId, id: 'm2' });
    const refused = await nextFrame<ServerMessageOf<'error'>>(super2.ws, isErrorRef('forbidden', 'm2'));
    expect(refused.message).toMatch(/marked sensitive.*sensitive permission/);
    expect(media.rooms).toHaveLength(0);
    expect(super2.ws.frames.some((f) => f.type === 'monitor.state')).toBe(false);
    expect(agent.ws.frames.some((f) => f.type === 'monitor.publish')).toBe(false);
    const refusals = (await auditOf(AuditAction.monitoringRefused)).filter((e) => e.target === interactionId);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ actorName: 'super2', details: { interactionId, reason: 'sensitive' } });
    // Nor the transcript: history and the sync bundle refuse it too.
    expect((await api(server.url, `/api/interactions/${interactionId}`, { token: super2.token })).status).toBe(403);
    expect((await api(server.url, `/api/sync/interactions/${interactionId}`, { token: super2.token })).status).toBe(403);

    super1.ws.send({ type: 'monitor.start', interactionId, id: 'm1' });
    expect(await nextFrame<State>(super1.ws, isMonState(interactionId, 'connecting'))).toMatchObject({ ref: 'm1', agentName: 'agent1' });
    admin.ws.send({ type: 'monitor.start', interactionId, id: 'ma' });
    await nextFrame<State>(admin.ws, isMonState(interactionId, 'connecting'));
    const room = media.rooms.at(-1)!;
    expect(room.options.mayConsume(super1.id)).toBe(true);
    expect(room.options.mayConsume(admin.id)).toBe(true);
    expect(room.options.mayConsume(super2.id)).toBe(false);

    const reads = (await auditOf(AuditAction.interactionSensitiveRead)).filter((e) => e.target === interactionId && e.details.what === 'live_audio');
    expect(reads.map((e) => e.actorName).sort()).toEqual(['admin', 'super1']);
    expect(JSON.stringify(reads)).not.toMatch(/Jordan|jordan@/);
    agent.ws.send({ type: 'interaction.end', interactionId });
  });

  it('marked while super2 and super1 listen: super2 is stopped at once (reason sensitive) and its consumer dropped; super1 goes on, audited; removing the mark shows the call to super2 again', async () => {
    const agent: Agent = await connectAgent(server, 'agent1');
    const super1 = await connectStaff('super1');
    const super2 = await connectStaff('super2');
    const { interactionId } = await connected(server, agent, { kind: 'call' });
    await boardShowing(super2.ws, agent.id, interactionId, undefined);

    super2.ws.send({ type: 'monitor.start', interactionId });
    await nextFrame<State>(super2.ws, isMonState(interactionId, 'connecting'));
    super1.ws.send({ type: 'monitor.start', interactionId });
    await nextFrame<State>(super1.ws, isMonState(interactionId, 'connecting'));
    const room = media.rooms.at(-1)!;
    expect(room.options.mayConsume(super2.id)).toBe(true);

    expect((await mark(agent.login.token, interactionId, 'religion')).status).toBe(200);
    const ended = await nextFrame<State>(super2.ws, isMonState(interactionId, 'ended'));
    expect(ended).toMatchObject({ reason: 'sensitive' });
    expect(ended.message).toMatch(/marked sensitive/);
    expect(room.dropped).toEqual([super2.id]);
    expect(room.options.mayConsume(super2.id)).toBe(false);
    expect(room.options.mayConsume(super1.id)).toBe(true);
    expect(room.closed).toBe(false);
    // The agent's notice now names super1 alone.
    await nextFrame(agent.ws, (f) => f.type === 'monitor.publish' && f.interactionId === interactionId && f.listeners?.map((l) => l.username).join() === 'super1');
    await boardShowing(super2.ws, agent.id, interactionId, { category: null });

    const stopped = (await auditOf(AuditAction.monitoringStopped)).filter((e) => e.target === interactionId);
    expect(stopped.map((e) => [e.details.listener, e.details.reason])).toEqual([['super2', 'sensitive']]);
    const reads = (await auditOf(AuditAction.interactionSensitiveRead)).filter((e) => e.target === interactionId);
    expect(reads.map((e) => [e.actorName, e.details.what])).toEqual([['super1', 'live_audio']]);

    // super1 (with the permission) removes the mark: super2 sees the call as before and may listen again.
    expect((await mark(super1.token, interactionId, null)).status).toBe(200);
    await boardShowing(super2.ws, agent.id, interactionId, undefined);
    super2.ws.send({ type: 'monitor.start', interactionId, id: 'again' });
    expect(await nextFrame<State>(super2.ws, isMonState(interactionId, 'connecting'))).toMatchObject({ ref: 'again' });
    agent.ws.send({ type: 'interaction.end', interactionId });
  });
});
