import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION, WsClose } from '../../../shared';
import { selectCanSeeRoster } from '../../../renderer/features/auth/auth-slice';
import { selectDisplayedPresence } from '../../../renderer/features/presence/presence-slice';
import { ApiError } from '../../../renderer/net/api-client';
import { FakeWebSocket } from './fake-websocket';
import { agentUser, fakeApi, makeStore, memoryStorage, supervisorUser } from './store-harness';

const SESSION_KEY = 'veildesk.session';

function acceptHello(user = agentUser, presence = 'available') {
  const socket = FakeWebSocket.latest();
  socket.serverOpen();
  socket.serverSend({ type: 'hello.ok', protocol: PROTOCOL_VERSION, serverVersion: '0.1.0', heartbeatMs: 1000, user, presence });
  return socket;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('start', () => {
  it('shows sign-in with the bridge server URL when no session is stored', async () => {
    const { store } = makeStore();
    await store.getState().start();
    expect(store.getState().auth).toMatchObject({ status: 'signed-out', serverUrl: 'http://server.test', error: null });
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it('resumes a stored session after GET /api/me and connects', async () => {
    const storage = memoryStorage();
    storage.setItem(SESSION_KEY, JSON.stringify({ token: 'tok-9', serverUrl: 'http://server.test' }));
    const api = fakeApi();
    const { store } = makeStore({ storage, api });
    await store.getState().start();
    expect(api.me).toHaveBeenCalledWith('tok-9');
    expect(store.getState().auth).toMatchObject({ status: 'signed-in', token: 'tok-9', user: agentUser });
    expect(FakeWebSocket.latest().url).toBe('ws://server.test/ws');
  });

  it('drops a stored token the server rejects and asks to sign in', async () => {
    const storage = memoryStorage();
    storage.setItem(SESSION_KEY, JSON.stringify({ token: 'old', serverUrl: 'http://server.test' }));
    const api = fakeApi({
      me: vi.fn(async () => {
        throw new ApiError('unauthenticated', 'Session expired', 401);
      }),
    });
    const { store } = makeStore({ storage, api });
    await store.getState().start();
    expect(store.getState().auth.status).toBe('signed-out');
    expect(store.getState().auth.error).toMatch(/sign in again/i);
    expect(storage.map.has(SESSION_KEY)).toBe(false);
  });
});

describe('signIn', () => {
  it('stores the token in session storage, remembers the server and connects', async () => {
    const { store, api, storage, bridge } = makeStore();
    await store.getState().start();
    const ok = await store.getState().signIn({ serverUrl: 'http://server.test/', username: ' Agent1 ', password: 'demo' });
    expect(ok).toBe(true);
    expect(api.login).toHaveBeenCalledWith({ username: 'agent1', password: 'demo' });
    // The user is kept too, so a reload without the server can open their local data.
    expect(JSON.parse(storage.map.get(SESSION_KEY) ?? '{}')).toEqual({ token: 'tok-1', serverUrl: 'http://server.test', user: expect.objectContaining({ id: expect.any(String) }) });
    expect(bridge.saved).toEqual(['http://server.test']);
    expect(store.getState().auth.status).toBe('signed-in');

    const socket = acceptHello(agentUser, 'busy');
    expect(socket.frames[0]).toMatchObject({ type: 'hello', token: 'tok-1' });
    expect(store.getState().connection.state).toBe('open');
    expect(selectDisplayedPresence(store.getState())).toBe('busy');
    expect(selectCanSeeRoster(store.getState())).toBe(false);
  });

  it('shows the server message on wrong credentials', async () => {
    const api = fakeApi({
      login: vi.fn(async () => {
        throw new ApiError('unauthenticated', 'Wrong username or password.', 401);
      }),
    });
    const { store, storage } = makeStore({ api });
    await store.getState().start();
    const ok = await store.getState().signIn({ serverUrl: 'http://server.test', username: 'agent1', password: 'nope' });
    expect(ok).toBe(false);
    expect(store.getState().auth).toMatchObject({ status: 'signed-out', error: 'Wrong username or password.' });
    expect(storage.map.size).toBe(0);
  });

  it('refuses a server address that is not http(s) without calling the server', async () => {
    const { store, api } = makeStore();
    await store.getState().start();
    await store.getState().signIn({ serverUrl: 'ftp://server.test', username: 'agent1', password: 'demo' });
    expect(store.getState().auth.error).toMatch(/http:\/\/ or https:\/\//);
    expect(api.login).not.toHaveBeenCalled();
  });

  it('says to update when the server speaks another protocol', async () => {
    const api = fakeApi({ config: vi.fn(async () => ({ version: '9', protocolVersion: PROTOCOL_VERSION + 1, heartbeatMs: 1000, iceServers: [] })) });
    const { store } = makeStore({ api });
    await store.getState().start();
    await store.getState().signIn({ serverUrl: 'http://server.test', username: 'agent1', password: 'demo' });
    expect(store.getState().auth.error).toMatch(/reload/i);
    expect(api.login).not.toHaveBeenCalled();
  });
});

describe('live session', () => {
  async function signedIn(user = agentUser) {
    const api = fakeApi({ login: vi.fn(async () => ({ token: 'tok-1', user, expiresAt: '2099-01-01T00:00:00.000Z' })) });
    const harness = makeStore({ api });
    await harness.store.getState().start();
    await harness.store.getState().signIn({ serverUrl: 'http://server.test', username: user.username, password: 'demo' });
    return harness;
  }

  it('feeds roster frames into the store for supervisors', async () => {
    const { store } = await signedIn(supervisorUser);
    const socket = acceptHello(supervisorUser);
    const row = { userId: 'a1', username: 'agent1', displayName: 'Agent One', role: 'agent', presence: 'available', since: '2024-01-01T00:00:00.000Z' };
    socket.serverSend({ type: 'roster.snapshot', agents: [row] });
    socket.serverSend({ type: 'roster.changed', agent: { ...row, presence: 'busy' } });
    expect(selectCanSeeRoster(store.getState())).toBe(true);
    expect(store.getState().roster.agents.a1?.presence).toBe('busy');
  });

  it('shows the chosen presence until the server confirms it', async () => {
    const { store } = await signedIn();
    const socket = acceptHello(agentUser, 'available');
    store.getState().choosePresence('away');
    expect(selectDisplayedPresence(store.getState())).toBe('away');
    expect(socket.framesOfType('presence.set')).toHaveLength(1);
    socket.serverSend({ type: 'presence.self', presence: 'away', since: '2024-01-01T00:00:00.000Z' });
    expect(store.getState().presence).toMatchObject({ current: 'away', requested: null, since: '2024-01-01T00:00:00.000Z' });
  });

  it('shows offline and a reconnect countdown after a drop', async () => {
    const { store } = await signedIn();
    acceptHello();
    FakeWebSocket.latest().serverClose(1006);
    expect(store.getState().connection).toMatchObject({ state: 'reconnecting', attempt: 1, retryAt: 1_000_500 });
    expect(selectDisplayedPresence(store.getState())).toBe('offline');
  });

  it('returns to sign-in with an explanation when the server ends the session', async () => {
    const { store, storage } = await signedIn();
    acceptHello();
    FakeWebSocket.latest().serverClose(WsClose.signedOut, 'signed out');
    expect(store.getState().auth.status).toBe('signed-out');
    expect(store.getState().auth.error).toMatch(/sign in again/i);
    expect(storage.map.size).toBe(0);
  });

  it('keeps the reason the server closed with when a refused request (401) ends the session after it', async () => {
    const { store } = await signedIn();
    acceptHello();
    FakeWebSocket.latest().serverClose(WsClose.accountChanged, 'account changed');
    expect(store.getState().auth.error).toMatch(/administrator/i);
    store.getState().endSession('Your session has ended. Sign in again.');
    expect(store.getState().auth).toMatchObject({ status: 'signed-out' });
    expect(store.getState().auth.error).toMatch(/administrator/i);
  });

  it('keeps the shell and explains when the protocol is refused', async () => {
    const { store } = await signedIn();
    FakeWebSocket.latest().serverOpen();
    FakeWebSocket.latest().serverClose(WsClose.protocolMismatch, 'protocol');
    expect(store.getState().auth.status).toBe('signed-in');
    expect(store.getState().connection.state).toBe('closed');
    expect(store.getState().connection.problem).toMatch(/reload/i);
  });

  it('signs out: closes the socket before logging out, clears the token, resets state', async () => {
    const { store, api, storage } = await signedIn(supervisorUser);
    const socket = acceptHello(supervisorUser);
    socket.serverSend({ type: 'roster.snapshot', agents: [] });
    await store.getState().signOut();
    expect(socket.closedByClient?.code).toBe(1000);
    expect(api.logout).toHaveBeenCalledWith('tok-1');
    expect(storage.map.size).toBe(0);
    expect(store.getState().auth).toMatchObject({ status: 'signed-out', user: null, token: null, error: null });
    expect(store.getState().roster.loaded).toBe(false);
    expect(store.getState().connection.state).toBe('closed');
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});
