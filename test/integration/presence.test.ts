import { afterEach, describe, expect, it } from 'vitest';
import type { LoginResponse } from '../../shared/api/http';
import { WsClose, type ServerMessage, type ServerMessageOf } from '../../shared/api/ws';
import { PROTOCOL_VERSION } from '../../shared/version';
import type { ServerConfig } from '../../server/config';
import { api, isRosterChange, isType, login, nextFrame, roundTrip, startBackend, waitFor, withTimeout, wsConnect, type TestBackend, type TestSocket } from './helpers';

const GRACE_MS = 300;

/** Roster frames about one agent going offline, among everything a socket received. */
const offlineFrames = (socket: TestSocket, username: string): ServerMessage[] => socket.frames.filter(isRosterChange(username, 'offline'));

/**
 * Waits until the grace period that started at `since` is well over, then makes a round trip on
 * `socket` so any frame the server sent before that has arrived. Used to show that something did
 * NOT happen: absence can only be observed by letting the deadline pass.
 */
async function afterGrace(socket: TestSocket, since: number, graceMs = GRACE_MS): Promise<void> {
  await waitFor(() => Date.now() >= since + graceMs * 2, graceMs * 4, 'grace period to pass');
  await roundTrip(socket);
}

describe('presence', () => {
  let server: TestBackend;
  let agent: LoginResponse;
  let supervisor: TestSocket;

  async function start(overrides: Partial<ServerConfig> = {}): Promise<void> {
    server = await startBackend({ presenceGraceMs: GRACE_MS, heartbeatMs: 1000, ...overrides });
    const [a, s] = await Promise.all([login(server.url, 'agent1'), login(server.url, 'super1')]);
    agent = a;
    supervisor = await wsConnect(server.url, s.token);
  }

  afterEach(async () => {
    await server.close();
  });

  it('a supervisor gets the roster after hello: every agent, offline before they connect', async () => {
    await start();
    const snapshot = await nextFrame<ServerMessageOf<'roster.snapshot'>>(supervisor, isType('roster.snapshot'));
    expect(snapshot.agents.map((a) => [a.username, a.role, a.presence])).toEqual([
      ['agent1', 'agent', 'offline'],
      ['agent2', 'agent', 'offline'],
      ['agent3', 'agent', 'offline'],
    ]);
    expect(snapshot.agents.find((a) => a.username === 'agent1')?.userId).toBe(agent.user.id);
    // hello.ok came first, carrying the supervisor's own identity.
    const helloOk = supervisor.frames.find((f) => f.type === 'hello.ok');
    expect(helloOk).toMatchObject({ protocol: PROTOCOL_VERSION, user: { username: 'super1', role: 'supervisor' } });
    expect(supervisor.frames.indexOf(helloOk!)).toBeLessThan(supervisor.frames.indexOf(snapshot));
  });

  it('agent connects → available; sets busy → supervisor sees busy and the agent gets presence.self', async () => {
    await start();
    const ws = await wsConnect(server.url, agent.token);
    expect(ws.frames.find((f) => f.type === 'hello.ok')).toMatchObject({ presence: 'available', user: { username: 'agent1' } });
    const online = await nextFrame<ServerMessageOf<'roster.changed'>>(supervisor, isRosterChange('agent1', 'available'));
    expect(online.agent).toMatchObject({ userId: agent.user.id, displayName: 'Ada Agent', role: 'agent' });

    ws.send({ type: 'presence.set', presence: 'busy', id: 'b1' });
    const changed = await nextFrame<ServerMessageOf<'roster.changed'>>(supervisor, isRosterChange('agent1', 'busy'));
    const self = await nextFrame<ServerMessageOf<'presence.self'>>(ws, (f) => f.type === 'presence.self' && f.presence === 'busy');
    expect(self.since).toBe(changed.agent.since);
    expect(new Date(self.since).getTime()).toBeGreaterThan(new Date(online.agent.since).getTime() - 1);

    // Choosing the same presence again announces nothing new.
    ws.send({ type: 'presence.set', presence: 'busy' });
    await roundTrip(ws);
    await roundTrip(supervisor);
    expect(supervisor.frames.filter(isRosterChange('agent1', 'busy'))).toHaveLength(1);
  });

  it('when the agent’s socket closes, the supervisor sees offline only after the grace period', async () => {
    await start();
    const ws = await wsConnect(server.url, agent.token);
    await nextFrame(supervisor, isRosterChange('agent1', 'available'));
    const closedAt = Date.now();
    await ws.close();
    await nextFrame(supervisor, isRosterChange('agent1', 'offline'), GRACE_MS + 5000);
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(GRACE_MS - 20);
    expect(server.presence.get(agent.user.id)?.presence).toBe('offline');
  });

  it('a reconnect within the grace period keeps busy: no offline frame, hello.ok says busy', async () => {
    // A longer grace period than elsewhere, so that a slow machine still reconnects inside it.
    const graceMs = 1000;
    await start({ presenceGraceMs: graceMs });
    const first = await wsConnect(server.url, agent.token);
    first.send({ type: 'presence.set', presence: 'busy' });
    const busy = await nextFrame<ServerMessageOf<'roster.changed'>>(supervisor, isRosterChange('agent1', 'busy'));
    const closedAt = Date.now();
    await first.close();
    const second = await wsConnect(server.url, agent.token);
    expect(Date.now() - closedAt).toBeLessThan(graceMs); // otherwise this run proves nothing
    expect(second.frames.find((f) => f.type === 'hello.ok')).toMatchObject({ presence: 'busy' });

    await afterGrace(supervisor, closedAt, graceMs);
    expect(offlineFrames(supervisor, 'agent1')).toEqual([]);
    expect(supervisor.frames.filter(isRosterChange('agent1', 'available'))).toHaveLength(1); // only the first connect
    // The state keeps the time it began, so "busy for 5 min" does not restart on a network blip.
    expect(server.presence.get(agent.user.id)).toMatchObject({ presence: 'busy', since: busy.agent.since });
  });

  it('a peer that stops answering heartbeats is dropped and goes offline after the grace period', async () => {
    await start({ heartbeatMs: 300 });
    const ws = await wsConnect(server.url, agent.token, { autoPong: false });
    await nextFrame(supervisor, isRosterChange('agent1', 'available'));
    // It sends nothing and ignores pings: within two beats the server terminates it (1006 here).
    const closed = await withTimeout(ws.closed, 5000, 'silent peer dropped');
    expect(closed.code).toBe(1006);
    await nextFrame(supervisor, isRosterChange('agent1', 'offline'), GRACE_MS + 5000);
    // The supervisor, whose client answers pings, is still connected.
    await roundTrip(supervisor);
  });

  it('logout closes the agent’s socket with 4409 and the agent goes offline at once', async () => {
    // A grace period far longer than the wait below: an offline frame can only come from the sign-out.
    await start({ presenceGraceMs: 60_000 });
    const ws = await wsConnect(server.url, agent.token);
    ws.send({ type: 'presence.set', presence: 'away' });
    await nextFrame(supervisor, isRosterChange('agent1', 'away'));

    expect((await api(server.url, '/api/auth/logout', { method: 'POST', token: agent.token })).status).toBe(200);
    const closed = await ws.closed;
    expect(closed.code).toBe(WsClose.signedOut);
    expect(ws.frames.at(-1)).toMatchObject({ type: 'error', code: 'unauthenticated' });
    await nextFrame(supervisor, isRosterChange('agent1', 'offline'), 5000);
    expect(server.presence.get(agent.user.id)?.presence).toBe('offline');
  });

  it('a client that closes its socket first and then signs out goes offline at once, not after the grace period', async () => {
    await start({ presenceGraceMs: 60_000 });
    const ws = await wsConnect(server.url, agent.token);
    await nextFrame(supervisor, isRosterChange('agent1', 'available'));
    await ws.close();
    // The server has seen the close (only the supervisor's socket is left): the grace period runs.
    await waitFor(() => server.app.websocketServer.clients.size === 1, 5000, 'server to see the close');
    expect(server.presence.get(agent.user.id)?.presence).toBe('available');
    expect((await api(server.url, '/api/auth/logout', { method: 'POST', token: agent.token })).status).toBe(200);
    await nextFrame(supervisor, isRosterChange('agent1', 'offline'), 5000);
    expect(offlineFrames(supervisor, 'agent1')).toHaveLength(1);
  });

  it('signing out one session leaves the agent’s other session connected and present', async () => {
    await start({ presenceGraceMs: 60_000 });
    const other = await login(server.url, 'agent1');
    const phone = await wsConnect(server.url, other.token);
    const desk = await wsConnect(server.url, agent.token);
    await api(server.url, '/api/auth/logout', { method: 'POST', token: agent.token });
    expect((await desk.closed).code).toBe(WsClose.signedOut);
    await roundTrip(phone);
    await roundTrip(supervisor);
    expect(offlineFrames(supervisor, 'agent1')).toEqual([]);
    expect(server.presence.get(agent.user.id)?.presence).toBe('available');
  });

  it('with two connections of the same user, closing one keeps presence; closing both ends it', async () => {
    await start();
    const a = await wsConnect(server.url, agent.token);
    const b = await wsConnect(server.url, agent.token);
    a.send({ type: 'presence.set', presence: 'busy' });
    // Both connections of the user hear about it.
    await nextFrame(a, (f) => f.type === 'presence.self' && f.presence === 'busy');
    await nextFrame(b, (f) => f.type === 'presence.self' && f.presence === 'busy');

    const closedAt = Date.now();
    await a.close();
    await afterGrace(supervisor, closedAt);
    expect(offlineFrames(supervisor, 'agent1')).toEqual([]);
    expect(server.presence.get(agent.user.id)?.presence).toBe('busy');
    await roundTrip(b);

    await b.close();
    await nextFrame(supervisor, isRosterChange('agent1', 'offline'), GRACE_MS + 5000);
  });

  // Regression: both hellos once passed the "already authenticated" check (it ran before the
  // awaited token lookup), registered two presence connections for one socket, and the agent then
  // stayed available forever after the socket closed. The refusal may arrive before hello.ok.
  it('two hellos sent back to back on one socket: one hello.ok, one conflict, and offline after close', async () => {
    await start();
    const ws = await wsConnect(server.url);
    const hello = { type: 'hello', protocol: PROTOCOL_VERSION, token: agent.token };
    ws.send(hello);
    ws.send(hello);
    await nextFrame(ws, isType('hello.ok'));
    await roundTrip(ws);
    const closedAt = Date.now();
    const answers = ws.frames.filter((f) => f.type === 'hello.ok' || (f.type === 'error' && f.code === 'conflict'));
    await ws.close();
    await afterGrace(supervisor, closedAt);
    expect(offlineFrames(supervisor, 'agent1')).toHaveLength(1);
    expect(answers.map((f) => f.type).sort()).toEqual(['error', 'hello.ok']);
  });
});
