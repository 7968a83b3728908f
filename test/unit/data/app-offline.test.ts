import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../renderer/app/store';
import { webKeyProvider } from '../../../renderer/data/crypto/local-key';
import { createSessionStore } from '../../../renderer/features/auth/session-store';
import { ApiError } from '../../../renderer/net/api-client';
import { WsClient } from '../../../renderer/net/ws-client';
import { FakeWebSocket } from '../renderer/fake-websocket';
import { agentUser, fakeApi, fakeBridge, memoryStorage } from '../renderer/store-harness';
import { FakeSyncServer } from './fake-sync-server';
import { freshIdb } from './helpers';

/** The real store with local data on fake IndexedDB and an in-memory sync server; the API is unreachable. */
function offlineApp(server: FakeSyncServer, idb = freshIdb(), storage = memoryStorage()) {
  const api = fakeApi({
    me: async () => {
      throw new ApiError('network', 'Cannot reach the server.', 0);
    },
  });
  const store = createAppStore({
    bridge: fakeBridge(),
    session: createSessionStore(storage),
    createApi: () => api,
    createConnection: (opts) => new WsClient({ ...opts, WebSocket: FakeWebSocket, logger: { warn: () => {}, info: () => {} } }),
    localData: { keys: webKeyProvider(idb.indexedDB, idb.IDBKeyRange), createTransport: () => server, ...idb, locks: null },
  });
  return { store, storage, idb };
}

describe('the app without the server', () => {
  it('a reload with a saved session opens the cached user and their local data; a wrap-up goes to the outbox', async () => {
    const server = new FakeSyncServer();
    server.seedInteraction('i-1', { messages: 2 });
    const storage = memoryStorage();
    storage.setItem('veildesk.session', JSON.stringify({ token: 'tok-1', serverUrl: 'http://server.test', user: agentUser }));
    const { store } = offlineApp(server, freshIdb(), storage);

    await store.getState().start();
    expect(store.getState().auth).toMatchObject({ status: 'signed-in', user: agentUser });
    await expect.poll(() => store.getState().localData.status).toBe('ready');
    const session = store.getState().localData.session!;
    await expect.poll(() => session.db.messages.count()).toBe(2);
    server.offline = true;

    store.getState().applyWrapupRequired({ type: 'wrapup.required', interactionId: 'i-1', dispositions: ['Resolved'], deadline: '2099-01-01T00:00:00.000Z' });
    store.getState().setWrapupField('i-1', 'disposition', 'Resolved');
    store.getState().setWrapupField('i-1', 'notes', 'finished offline');
    expect(store.getState().submitWrapup('i-1')).toBe(true);
    await expect.poll(() => store.getState().wrapups.order.length).toBe(0);
    const [queued] = await session.db.outbox.toArray();
    expect(queued).toMatchObject({ type: 'wrapup.submit', interactionId: 'i-1' });
    expect(store.getState().workspace.notices.at(-1)?.text).toMatch(/saved on this computer/);

    // Asked again after a reconnect while it still waits: not shown again.
    store.getState().applyWrapupRequired({ type: 'wrapup.required', interactionId: 'i-1', dispositions: ['Resolved'], deadline: '2099-01-01T00:00:00.000Z' });
    await expect.poll(() => store.getState().wrapups.order.length).toBe(0);

    // Back online: the wrap-up reaches the server once and leaves the outbox.
    server.offline = false;
    store.getState().syncOnline();
    await expect.poll(() => session.db.outbox.count()).toBe(0);
    expect(server.entities('wrapup').map((c) => (c.op === 'upsert' && c.kind === 'wrapup' ? c.data.notes : null))).toEqual(['finished offline']);
  });

  it('without a cached user (older session) the sign-in screen explains; after sign-out the data can be removed from the sign-in screen', async () => {
    const server = new FakeSyncServer();
    const storage = memoryStorage();
    storage.setItem('veildesk.session', JSON.stringify({ token: 'tok-1', serverUrl: 'http://server.test' }));
    const first = offlineApp(server, freshIdb(), storage);
    await first.store.getState().start();
    expect(first.store.getState().auth.status).toBe('signed-out');
    expect(first.store.getState().auth.error).toMatch(/Cannot reach/);

    const idb = freshIdb();
    const withUser = memoryStorage();
    withUser.setItem('veildesk.session', JSON.stringify({ token: 'tok-1', serverUrl: 'http://server.test', user: agentUser }));
    const { store } = offlineApp(server, idb, withUser);
    await store.getState().start();
    await expect.poll(() => store.getState().localData.status).toBe('ready');
    const name = store.getState().localData.session!.db.name;
    await store.getState().signOut();
    expect(store.getState().localData.leftBehind).toMatchObject({ name: agentUser.displayName });
    await store.getState().removeLeftBehindData();
    expect(store.getState().localData.leftBehind).toBeNull();
    expect((await idb.indexedDB.databases()).map((d) => d.name)).not.toContain(name);
  });
});
