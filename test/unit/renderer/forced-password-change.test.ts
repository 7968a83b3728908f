import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from './fake-websocket';
import { agentUser, fakeApi, makeStore, memoryStorage } from './store-harness';

/** Issue 19: a password an admin set is changed before the app opens its live connection. */

function answer(status: number, body: unknown) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('forced password change', () => {
  it('signs in to the change-password screen only; a refused change says why; a done one opens the app', async () => {
    const api = fakeApi({ login: vi.fn(async () => ({ token: 'tok-1', user: agentUser, expiresAt: '2099-01-01T00:00:00.000Z', mustChangePassword: true })) });
    const { store } = makeStore({ api });
    await store.getState().start();
    expect(await store.getState().signIn({ serverUrl: 'http://server.test', username: 'agent1', password: 'temporary-1' })).toBe(true);
    expect(store.getState().auth).toMatchObject({ status: 'signed-in', mustChangePassword: true });
    expect(FakeWebSocket.instances).toHaveLength(0);

    const refused = answer(403, { error: { code: 'forbidden', message: 'The current password is wrong.' } });
    vi.stubGlobal('fetch', refused);
    expect(await store.getState().changePassword('nope', 'my-own-pass')).toBe('The current password is wrong.');
    expect(store.getState().auth.mustChangePassword).toBe(true);
    expect(FakeWebSocket.instances).toHaveLength(0);

    const done = answer(200, { ok: true, otherSessionsEnded: 0 });
    vi.stubGlobal('fetch', done);
    expect(await store.getState().changePassword('temporary-1', 'my-own-pass')).toBeNull();
    const [url, init] = done.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://server.test/api/auth/password');
    expect(JSON.parse(String(init.body))).toEqual({ currentPassword: 'temporary-1', newPassword: 'my-own-pass' });
    expect(store.getState().auth.mustChangePassword).toBe(false);
    await vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
  });

  it('a restored session that must still change the password does not connect', async () => {
    const api = fakeApi({ me: vi.fn(async () => ({ user: agentUser, expiresAt: '2099-01-01T00:00:00.000Z', mustChangePassword: true })) });
    const storage = memoryStorage();
    storage.setItem('veildesk.session', JSON.stringify({ token: 'tok-9', serverUrl: 'http://server.test' }));
    const { store } = makeStore({ api, storage });
    await store.getState().start();
    expect(store.getState().auth).toMatchObject({ status: 'signed-in', mustChangePassword: true });
    expect(FakeWebSocket.instances).toHaveLength(0);
  });
});
