import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIpcHandlers } from '../../../main/ipc/handlers';
import { type InvokeEvent, wrapIpcHandler } from '../../../main/ipc/register';
import { createLocalDataBindings } from '../../../main/local-data-binding';
import { createLocalKeyStore } from '../../../main/local-data-keys';
import { type User } from '../../../shared';

const alice: User = { id: 'u-alice', username: 'alice', displayName: 'Alice', role: 'agent' };
const bob: User = { id: 'u-bob', username: 'bob', displayName: 'Bob', role: 'agent' };
const server = 'https://desk.example';

/** A server that knows two sessions; counts the sign-in checks it answered. */
function fakeServer(sessions: Record<string, User> = { 'tok-alice': alice, 'tok-bob': bob }) {
  const state = { checks: 0, down: false };
  const fetchImpl = (async (url: URL | string, init?: RequestInit) => {
    if (state.down) throw new TypeError('fetch failed');
    state.checks += 1;
    expect(String(url)).toBe(`${server}/api/me`);
    const token = String((init?.headers as Record<string, string>).authorization).replace('Bearer ', '');
    const user = sessions[token];
    if (!user) return new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'no' } }), { status: 401 });
    return new Response(JSON.stringify({ user, expiresAt: '2099-01-01T00:00:00.000Z' }), { status: 200 });
  }) as unknown as typeof fetch;
  return { fetchImpl, state };
}

const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (t: string) => Buffer.from(t).reverse(),
  decryptString: (b: Buffer) => Buffer.from(b).reverse().toString(),
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'veildesk-bind-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The real IPC wrapper over the real handlers, as main registers them; one webContents per window. */
function app() {
  const srv = fakeServer();
  const bindings = createLocalDataBindings({ fetch: srv.fetchImpl });
  const handlers = createIpcHandlers({
    getVersion: () => '1',
    platform: 'linux',
    settings: { getServerUrl: async () => server, setServerUrl: async () => undefined },
    openClickedLink: async () => undefined,
    localKeys: { store: createLocalKeyStore({ dir, safeStorage, platform: 'darwin' }), bindings },
  });
  const windows = [{ id: 1 }, { id: 2 }];
  const policy = { appOrigin: 'app://veildesk', isOurWebContents: (s: unknown) => windows.includes(s as { id: number }) };
  const event = (win: number): InvokeEvent => ({ sender: windows[win], senderFrame: { url: 'app://veildesk/index.html', parent: null } });
  const call = (channel: 'local-data:bind-user' | 'local-data:release-user' | 'local-data:key' | 'local-data:forget-key', win: number, ...args: unknown[]) =>
    wrapIpcHandler(channel, handlers[channel] as never, policy)(event(win), ...args);
  return { call, srv };
}

describe('local-data key IPC bound to the signed-in user', () => {
  it('hands a window only the key of the user its session is, and that server’s recorder key', async () => {
    const { call } = app();
    // Not bound yet: no key, and no key file entry is made for anyone.
    expect(await call('local-data:key', 0, 'u-alice@desk.example')).toMatchObject({ ok: true, value: { status: 'unavailable', reason: 'not_signed_in' } });

    expect(await call('local-data:bind-user', 0, { serverUrl: server, userId: alice.id, token: 'tok-alice' })).toEqual({ ok: true, value: undefined });
    expect(await call('local-data:key', 0, 'u-alice@desk.example')).toMatchObject({ ok: true, value: { status: 'ready' } });
    expect(await call('local-data:key', 0, '~recorder@desk.example')).toMatchObject({ ok: true, value: { status: 'ready' } });
    // Another user's scope, or the same user on another server: refused.
    expect(await call('local-data:key', 0, 'u-bob@desk.example')).toMatchObject({ ok: true, value: { status: 'unavailable', reason: 'not_signed_in' } });
    expect(await call('local-data:key', 0, 'u-alice@evil.example')).toMatchObject({ ok: true, value: { status: 'unavailable', reason: 'not_signed_in' } });
    expect(await call('local-data:forget-key', 0, 'u-bob@desk.example')).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    // The other window is bound to nobody.
    expect(await call('local-data:key', 1, 'u-alice@desk.example')).toMatchObject({ ok: true, value: { status: 'unavailable', reason: 'not_signed_in' } });
  });

  it('refuses a claim the server does not confirm: another user’s id, or a token it does not know; bad proofs never reach the server', async () => {
    const { call, srv } = app();
    expect(await call('local-data:bind-user', 0, { serverUrl: server, userId: bob.id, token: 'tok-alice' })).toMatchObject({ ok: false, error: { code: 'forbidden_sender', message: /another user/ } });
    expect(await call('local-data:bind-user', 0, { serverUrl: server, userId: bob.id, token: 'stolen' })).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(await call('local-data:key', 0, 'u-bob@desk.example')).toMatchObject({ ok: true, value: { status: 'unavailable', reason: 'not_signed_in' } });
    const checks = srv.state.checks;
    for (const bad of [{}, { serverUrl: 'file:///etc', userId: 'u', token: 't' }, { serverUrl: server, userId: '', token: 't' }, { serverUrl: server, userId: 'u', token: 'x'.repeat(5000) }]) {
      expect(await call('local-data:bind-user', 0, bad)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
    expect(srv.state.checks).toBe(checks);
  });

  it('a reload with the same session binds without the server (offline); after sign-out only forgetting the key of the user who left remains', async () => {
    const { call, srv } = app();
    const proof = { serverUrl: server, userId: alice.id, token: 'tok-alice' };
    await call('local-data:bind-user', 0, proof);
    srv.state.down = true;
    expect(await call('local-data:bind-user', 0, proof)).toEqual({ ok: true, value: undefined });
    expect(await call('local-data:bind-user', 0, { ...proof, token: 'tok-new' })).toMatchObject({ ok: false, error: { code: 'handler_failed', message: /could not be reached/ } });
    srv.state.down = false;
    expect(await call('local-data:release-user', 0)).toEqual({ ok: true, value: undefined });
    expect(await call('local-data:key', 0, 'u-alice@desk.example')).toMatchObject({ ok: true, value: { status: 'unavailable', reason: 'not_signed_in' } });
    expect(await call('local-data:forget-key', 0, 'u-alice@desk.example')).toEqual({ ok: true, value: undefined });
    // Bob signs in in the same window: Alice's key is no longer this window's to forget.
    await call('local-data:bind-user', 0, { serverUrl: server, userId: bob.id, token: 'tok-bob' });
    expect(await call('local-data:forget-key', 0, 'u-alice@desk.example')).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(await call('local-data:key', 0, 'u-bob@desk.example')).toMatchObject({ ok: true, value: { status: 'ready' } });
  });
});
