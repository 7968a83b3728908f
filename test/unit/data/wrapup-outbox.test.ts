import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type SyncMutation, type SyncPushResponse } from '../../../shared';
import { createAppStore } from '../../../renderer/app/store';
import { webKeyProvider } from '../../../renderer/data/crypto/local-key';
import { type SyncTransport } from '../../../renderer/data/sync/transport';
import { createSessionStore } from '../../../renderer/features/auth/session-store';
import { WsClient } from '../../../renderer/net/ws-client';
import { FakeWebSocket } from '../renderer/fake-websocket';
import { agentUser, fakeApi, fakeBridge, memoryStorage } from '../renderer/store-harness';
import { FakeSyncServer } from './fake-sync-server';
import { freshIdb } from './helpers';

/**
 * Every wrap-up is stored in the durable outbox before it is sent, even with the socket open, and
 * leaves it only on the server's answer: a link that dies mid-submit (the request hangs, the
 * answer is lost) keeps it waiting, never leaves the form on "Submitting…", and a resend is
 * applied once.
 */

/** The fake server behind a switch that black-holes pushes: they hang until the link is back. */
class HoleyLink implements SyncTransport {
  private holed = false;
  private waiting: (() => void)[] = [];
  constructor(readonly server: FakeSyncServer) {}
  /** Pushes stuck in the black hole. */
  get stuck(): number {
    return this.waiting.length;
  }
  cut(): void {
    this.holed = true;
  }
  restore(): void {
    this.holed = false;
    for (const go of this.waiting.splice(0)) go();
  }
  head = (limit: number) => this.server.head(limit);
  pull = (after: string, limit: number) => this.server.pull(after, limit);
  interaction = (id: string) => this.server.interaction(id);
  async push(mutations: SyncMutation[]): Promise<SyncPushResponse> {
    if (this.holed) await new Promise<void>((go) => this.waiting.push(go));
    return this.server.push(mutations);
  }
}

async function onlineApp(link: HoleyLink) {
  const idb = freshIdb();
  const storage = memoryStorage();
  storage.setItem('veildesk.session', JSON.stringify({ token: 'tok-1', serverUrl: 'http://server.test', user: agentUser }));
  const store = createAppStore({
    bridge: fakeBridge(),
    session: createSessionStore(storage),
    createApi: () => fakeApi(),
    createConnection: (opts) => new WsClient({ ...opts, WebSocket: FakeWebSocket, logger: { warn: () => {}, info: () => {} } }),
    localData: {
      keys: webKeyProvider(idb.indexedDB, idb.IDBKeyRange),
      createTransport: () => link,
      ...idb,
      locks: null,
      engine: { backoff: { initialMs: 10, maxMs: 40, jitter: 0 } },
    },
  });
  FakeWebSocket.reset();
  await store.getState().start();
  await expect.poll(() => store.getState().localData.status).toBe('ready');
  await expect.poll(() => FakeWebSocket.instances.length).toBeGreaterThan(0);
  const ws = FakeWebSocket.latest();
  ws.serverOpen();
  ws.serverSend({ type: 'hello.ok', protocol: PROTOCOL_VERSION, serverVersion: '0.1.0', heartbeatMs: 15_000, user: agentUser, presence: 'available' });
  expect(store.getState().connection.state).toBe('open');
  return { store, ws, session: store.getState().localData.session! };
}

function wrapUp(store: Awaited<ReturnType<typeof onlineApp>>['store'], id: string, notes: string) {
  store.getState().applyWrapupRequired({ type: 'wrapup.required', interactionId: id, dispositions: ['Resolved'], deadline: '2099-01-01T00:00:00.000Z' });
  store.getState().setWrapupField(id, 'disposition', 'Resolved');
  store.getState().setWrapupField(id, 'notes', notes);
  return store.getState().submitWrapup(id);
}

describe('wrap-ups go through the durable outbox', () => {
  it('online too: stored before it is sent, never over the socket, waiting while the link hangs, removed on the answer', async () => {
    const server = new FakeSyncServer();
    server.seedInteraction('i-1', { messages: 1 });
    const link = new HoleyLink(server);
    const { store, ws, session } = await onlineApp(link);
    await expect.poll(() => session.db.interactions.count()).toBe(1);

    link.cut();
    expect(wrapUp(store, 'i-1', 'sent while the link died')).toBe(true);
    // Stored locally and the form gone at once: nothing waits on the network.
    await expect.poll(() => store.getState().wrapups.order.length).toBe(0);
    expect(ws.framesOfType('wrapup.submit')).toHaveLength(0);
    const [waiting] = await session.db.outbox.toArray();
    expect(waiting).toMatchObject({ type: 'wrapup.submit', interactionId: 'i-1' });
    expect((await session.db.wrapups.get('i-1'))?.pending).toBe(1);
    // The push is stuck in the black hole: the change stays waiting.
    await expect.poll(() => link.stuck).toBe(1);
    expect(server.calls.filter((c) => c.startsWith('push'))).toHaveLength(0);
    expect(await session.db.outbox.count()).toBe(1);

    link.restore();
    await expect.poll(() => session.db.outbox.count()).toBe(0);
    expect((await session.db.wrapups.get('i-1'))?.pending).toBe(0);
    expect(server.applied).toEqual([waiting!.mutationId]);
  });

  it('an answer lost on the way back keeps it in the outbox; the resend is applied once', async () => {
    const server = new FakeSyncServer();
    server.seedInteraction('i-2', { messages: 1 });
    const link = new HoleyLink(server);
    const { store, session } = await onlineApp(link);
    await expect.poll(() => session.db.interactions.count()).toBe(1);

    server.loseNextPushResponse = true;
    expect(wrapUp(store, 'i-2', 'answer lost')).toBe(true);
    await expect.poll(() => store.getState().wrapups.order.length).toBe(0);
    await expect.poll(() => server.applied.length).toBe(1);
    await expect.poll(() => session.db.outbox.count()).toBe(0);
    // Sent twice under the same mutation id, applied once, stored once.
    expect(server.calls.filter((c) => c.startsWith('push')).length).toBeGreaterThanOrEqual(2);
    expect(server.applied).toHaveLength(1);
    expect(server.entities('wrapup').map((c) => (c.kind === 'wrapup' && c.op === 'upsert' ? c.data.notes : null))).toEqual(['answer lost']);
  });
});
