import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIpcHandlers } from '../../../main/ipc/handlers';
import { type InvokeEvent, registerIpcHandlers } from '../../../main/ipc/register';
import { createLocalDataBindings } from '../../../main/local-data-binding';
import { LOCAL_KEYS_FILE, type SafeStorageLike, createLocalKeyStore } from '../../../main/local-data-keys';
import { createAppStore } from '../../../renderer/app/store';
import { createElectronBridge } from '../../../preload/bridge';
import { localKeyProviderFor } from '../../../renderer/data/crypto/local-key';
import { LocalDb, dbNameFor, localScope } from '../../../renderer/data/db';
import { createSessionStore } from '../../../renderer/features/auth/session-store';
import { WsClient } from '../../../renderer/net/ws-client';
import { FakeWebSocket } from '../renderer/fake-websocket';
import { agentUser, fakeApi, fakeBridge, memoryStorage } from '../renderer/store-harness';
import { FakeSyncServer } from './fake-sync-server';
import { freshIdb } from './helpers';

/**
 * The desktop's whole key path in Node: the real key store (main/local-data-keys.ts) over a fake
 * safeStorage (the OS keychain is the boundary), the real IPC handlers and user binding, the real
 * app store with its local data on fake IndexedDB.
 */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'veildesk-keychain-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const serverUrl = 'http://server.test';
const scope = localScope(agentUser.id, serverUrl);

function keychain() {
  const state = { available: true, failDecrypt: false };
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x33));
  const safeStorage: SafeStorageLike = {
    isEncryptionAvailable: () => state.available,
    encryptString: (t) => xor(Buffer.from(t)),
    decryptString: (b) => {
      if (state.failDecrypt) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return xor(b).toString();
    },
    getSelectedStorageBackend: () => 'gnome_libsecret',
  };
  return { state, safeStorage };
}

/** One run of the desktop app: a fresh main (same profile dir) and a fresh renderer (same IndexedDB). */
function desktopApp(o: { safeStorage: SafeStorageLike; idb: ReturnType<typeof freshIdb>; server: FakeSyncServer; signInCheckDown?: () => boolean }) {
  const me = async () => {
    if (o.signInCheckDown?.()) throw new TypeError('fetch failed');
    return new Response(JSON.stringify({ user: agentUser, expiresAt: '2099-01-01T00:00:00.000Z' }));
  };
  const handlers = createIpcHandlers({
    getVersion: () => '1',
    platform: 'linux',
    settings: { getServerUrl: async () => serverUrl, setServerUrl: async () => undefined },
    openClickedLink: async () => undefined,
    localKeys: { store: createLocalKeyStore({ dir, safeStorage: o.safeStorage, platform: 'linux' }), bindings: createLocalDataBindings({ fetch: me as unknown as typeof fetch }) },
  });
  // main's registration and the preload's bridge, joined the way ipcRenderer.invoke joins them.
  const window = { id: 1 };
  const listeners = new Map<string, (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>>();
  registerIpcHandlers({ handle: (channel, listener) => void listeners.set(channel, listener) }, handlers, { appOrigin: 'app://veildesk', isOurWebContents: (s) => s === window });
  const invoke = (channel: string, ...args: unknown[]) => listeners.get(channel)!({ sender: window, senderFrame: { url: 'app://veildesk/index.html', parent: null } }, ...args);
  const keys = localKeyProviderFor(createElectronBridge(invoke));
  const timers: { fn: () => void; ms: number }[] = [];
  const storage = memoryStorage();
  storage.setItem('veildesk.session', JSON.stringify({ token: 'tok-1', serverUrl, user: agentUser }));
  const store = createAppStore({
    bridge: fakeBridge(serverUrl),
    session: createSessionStore(storage),
    createApi: () => fakeApi(),
    createConnection: (opts) => new WsClient({ ...opts, WebSocket: FakeWebSocket, logger: { warn: () => {}, info: () => {} } }),
    localData: { keys, createTransport: () => o.server, ...o.idb, locks: null, setTimer: (fn, ms) => timers.push({ fn, ms }), clearTimer: () => undefined },
  });
  return { store, timers };
}

/** What the database holds, read without its key (counts only). */
async function stored(idb: ReturnType<typeof freshIdb>) {
  const db = new LocalDb(dbNameFor(scope), idb);
  try {
    return { messages: await db.messages.count(), outbox: await db.outbox.count(), keyCheck: !!(await db.meta.get('keyCheck')) };
  } finally {
    db.close();
  }
}

describe('a keychain failure on the desktop', () => {
  for (const failure of ['keychain_unavailable', 'unseal_failed'] as const) {
    it(`(${failure}) keeps the outbox, the database and the sealed key file untouched, says so, and opens the data once the keychain is back`, async () => {
      const server = new FakeSyncServer();
      server.seedInteraction('i-1', { messages: 2 });
      const idb = freshIdb();
      const { state, safeStorage } = keychain();

      // First run: data synced, then a wrap-up written while the server is unreachable.
      const first = desktopApp({ safeStorage, idb, server });
      await first.store.getState().start();
      await expect.poll(() => first.store.getState().localData.status).toBe('ready');
      const session = first.store.getState().localData.session!;
      session.startSync();
      await expect.poll(() => session.db.messages.count()).toBe(2);
      server.offline = true;
      await session.writeWrapup('i-1', 'Resolved', 'written during the outage');
      first.store.getState().closeLocalData();
      const keysFile = await readFile(path.join(dir, LOCAL_KEYS_FILE));
      expect(await stored(idb)).toEqual({ messages: 2, outbox: 1, keyCheck: true });

      // Next run: the keychain fails.
      if (failure === 'keychain_unavailable') state.available = false;
      else state.failDecrypt = true;
      const second = desktopApp({ safeStorage, idb, server });
      await second.store.getState().start();
      await expect.poll(() => second.store.getState().localData.status).toBe('locked');
      expect(second.store.getState().localData.session).toBeNull();
      expect(second.store.getState().localData.error).toMatch(/stays locked.*Nothing has been deleted/);
      // Tried again on a timer, and by hand: still locked, still nothing touched.
      expect(second.timers.map((t) => t.ms)).toEqual([2000]);
      second.timers.shift()!.fn();
      await expect.poll(() => second.timers.length).toBe(1);
      await second.store.getState().retryLocalData();
      expect(second.store.getState().localData).toMatchObject({ status: 'locked', lockedTries: 3 });
      expect(await stored(idb)).toEqual({ messages: 2, outbox: 1, keyCheck: true });
      expect(await readFile(path.join(dir, LOCAL_KEYS_FILE))).toEqual(keysFile);
      expect((await idb.indexedDB.databases()).map((d) => d.name)).toContain(dbNameFor(scope));

      // The keychain is back: the next try opens the same data, and the waiting wrap-up is delivered.
      state.available = true;
      state.failDecrypt = false;
      second.timers.at(-1)!.fn();
      await expect.poll(() => second.store.getState().localData.status).toBe('ready');
      const reopened = second.store.getState().localData.session!;
      expect(await reopened.db.outbox.count()).toBe(1);
      expect(await reopened.hasPendingWrapup('i-1')).toBe(true);
      server.offline = false;
      reopened.startSync();
      await expect.poll(() => reopened.db.outbox.count()).toBe(0);
      expect(server.entities('wrapup').map((c) => (c.op === 'upsert' && c.kind === 'wrapup' ? c.data.notes : null))).toEqual(['written during the outage']);
      expect(await readFile(path.join(dir, LOCAL_KEYS_FILE))).toEqual(keysFile);
      second.store.getState().closeLocalData();
    });
  }

  it('a sign-in main cannot confirm (server unreachable from main) keeps the data locked and untouched, and it opens once confirmed', async () => {
    const server = new FakeSyncServer();
    server.seedInteraction('i-1', { messages: 1 });
    const idb = freshIdb();
    const { safeStorage } = keychain();
    let down = true;
    const app = desktopApp({ safeStorage, idb, server, signInCheckDown: () => down });
    await app.store.getState().start();
    await expect.poll(() => app.store.getState().localData.status).toBe('locked');
    expect(app.store.getState().localData.error).toMatch(/could not be reached to confirm your sign-in/);
    expect((await idb.indexedDB.databases()).map((d) => d.name)).not.toContain(dbNameFor(scope));
    down = false;
    app.timers.at(-1)!.fn();
    await expect.poll(() => app.store.getState().localData.status).toBe('ready');
    app.store.getState().closeLocalData();
  });

  it('data no key opens stays closed with its waiting changes counted, until the user chooses to remove it', async () => {
    const server = new FakeSyncServer();
    server.seedInteraction('i-1', { messages: 1 });
    const idb = freshIdb();
    const { safeStorage } = keychain();
    const first = desktopApp({ safeStorage, idb, server });
    await first.store.getState().start();
    await expect.poll(() => first.store.getState().localData.status).toBe('ready');
    server.offline = true;
    await first.store.getState().localData.session!.writeNote('i-1', 'not sent yet');
    first.store.getState().closeLocalData();
    // The key is gone from the keychain's file (e.g. a profile restored without it).
    await rm(path.join(dir, LOCAL_KEYS_FILE));

    const second = desktopApp({ safeStorage, idb, server });
    await second.store.getState().start();
    await expect.poll(() => second.store.getState().localData.status).toBe('unreadable');
    expect(second.store.getState().localData.unreadable).toEqual({ scope, waiting: 1 });
    expect(second.timers).toEqual([]);
    expect(await stored(idb)).toMatchObject({ outbox: 1 });

    server.offline = false;
    await second.store.getState().removeUnreadableLocalData();
    await expect.poll(() => second.store.getState().localData.status).toBe('ready');
    const fresh = second.store.getState().localData.session!;
    expect(await fresh.db.outbox.count()).toBe(0);
    fresh.startSync();
    await expect.poll(() => fresh.db.messages.count()).toBe(1);
    second.store.getState().closeLocalData();
  });
});
