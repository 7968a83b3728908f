import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../../shared';
import { createAppStore } from '../../../renderer/app/store';
import { webKeyProvider } from '../../../renderer/data/crypto/local-key';
import { createSessionStore } from '../../../renderer/features/auth/session-store';
import { WsClient } from '../../../renderer/net/ws-client';
import { FakeWebSocket } from '../renderer/fake-websocket';
import { detail, message } from '../renderer/fixtures';
import { agentUser, fakeApi, fakeBridge, memoryStorage } from '../renderer/store-harness';
import { FakeSyncServer } from './fake-sync-server';
import { freshIdb } from './helpers';

/**
 * The agent's chat messages go to the durable local outbox before the socket sends them and leave
 * it only on the server's echo; after a reload they are resent under the same clientMsgId (the
 * server stores an id once), so nothing typed during a dead link is lost or doubled.
 */

type Idb = ReturnType<typeof freshIdb>;

async function app(idb: Idb, storage: ReturnType<typeof memoryStorage>) {
  const store = createAppStore({
    bridge: fakeBridge(),
    session: createSessionStore(storage),
    createApi: () => fakeApi(),
    createConnection: (opts) => new WsClient({ ...opts, WebSocket: FakeWebSocket, logger: { warn: () => {}, info: () => {} } }),
    localData: { keys: webKeyProvider(idb.indexedDB, idb.IDBKeyRange), createTransport: () => new FakeSyncServer(), ...idb, locks: null },
  });
  FakeWebSocket.reset();
  await store.getState().start();
  await expect.poll(() => store.getState().localData.status).toBe('ready');
  await expect.poll(() => FakeWebSocket.instances.length).toBeGreaterThan(0);
  return { store, session: store.getState().localData.session! };
}

function accept(): FakeWebSocket {
  const ws = FakeWebSocket.latest();
  ws.serverOpen();
  ws.serverSend({ type: 'hello.ok', protocol: PROTOCOL_VERSION, serverVersion: '0.1.0', heartbeatMs: 15_000, user: agentUser, presence: 'available' });
  return ws;
}

const chat = detail({ messages: [message(1)] });

describe('chat messages in the durable outbox', () => {
  it('stored before sent, shown waiting, removed on the echo', async () => {
    const storage = memoryStorage();
    storage.setItem('veildesk.session', JSON.stringify({ token: 'tok-1', serverUrl: 'http://server.test', user: agentUser }));
    const { store, session } = await app(freshIdb(), storage);
    const ws = accept();
    store.getState().openChat(chat, true);
    store.getState().setChatDraft('i-1', 'hello from the agent');
    expect(store.getState().sendChat('i-1')).toBe(true);
    // Waiting at once, before anything went out.
    expect(store.getState().chats.byId['i-1']!.outbox).toMatchObject([{ text: 'hello from the agent', state: 'queued' }]);
    expect(ws.framesOfType('chat.send')).toHaveLength(0);
    // On disk (sealed), then sent.
    await expect.poll(() => ws.framesOfType('chat.send').length).toBe(1);
    const [row] = await session.db.chatOutbox.toArray();
    const sent = ws.framesOfType('chat.send')[0]!;
    expect(row).toMatchObject({ clientMsgId: sent.clientMsgId, interactionId: 'i-1' });
    expect(new TextDecoder().decode(row!.sealed)).not.toContain('hello from the agent');
    expect(store.getState().chats.byId['i-1']!.outbox[0]!.state).toBe('sending');

    // The server's echo acknowledges it: gone from memory and disk.
    store.getState().applyChatMessage({ type: 'chat.message', interactionId: 'i-1', clientMsgId: sent.clientMsgId as string, message: message(2, { from: 'agent', authorName: 'Agent One', text: 'hello from the agent' }) });
    expect(store.getState().chats.byId['i-1']!.outbox).toHaveLength(0);
    await expect.poll(() => session.db.chatOutbox.count()).toBe(0);
  });

  it('a message typed on a dead link survives a reload and is resent under the same id', async () => {
    const idb = freshIdb();
    const storage = memoryStorage();
    storage.setItem('veildesk.session', JSON.stringify({ token: 'tok-1', serverUrl: 'http://server.test', user: agentUser }));
    const first = await app(idb, storage);
    const ws = accept();
    first.store.getState().openChat(chat, true);
    first.store.getState().setChatDraft('i-1', 'typed while the link was dead');
    first.store.getState().sendChat('i-1');
    // Sent into the black hole: no echo ever comes.
    await expect.poll(() => ws.framesOfType('chat.send').length).toBe(1);
    const clientMsgId = ws.framesOfType('chat.send')[0]!.clientMsgId;
    expect(await first.session.db.chatOutbox.count()).toBe(1);
    first.store.getState().disconnect();
    first.session.close();

    // The reload: same profile, a new app; the server re-opens the chat after hello.
    const second = await app(idb, storage);
    const ws2 = accept();
    second.store.getState().openChat(chat, true);
    await expect.poll(() => ws2.framesOfType('chat.send').length).toBe(1);
    expect(ws2.framesOfType('chat.send')[0]).toMatchObject({ interactionId: 'i-1', clientMsgId, text: 'typed while the link was dead' });
    expect(second.store.getState().chats.byId['i-1']!.outbox).toMatchObject([{ clientMsgId, state: 'sending' }]);
    second.store.getState().applyChatMessage({ type: 'chat.message', interactionId: 'i-1', clientMsgId: clientMsgId as string, message: message(2, { from: 'agent', authorName: 'Agent One', text: 'typed while the link was dead' }) });
    await expect.poll(() => second.session.db.chatOutbox.count()).toBe(0);
  });

  it('a waiting message of a chat that ended meanwhile is shown as not delivered, and goes with the chat', async () => {
    const idb = freshIdb();
    const storage = memoryStorage();
    storage.setItem('veildesk.session', JSON.stringify({ token: 'tok-1', serverUrl: 'http://server.test', user: agentUser }));
    const { store, session } = await app(idb, storage);
    await session.storeChatMessage({ clientMsgId: 'c-old', interactionId: 'i-1', text: 'too late', createdAt: 1 });
    const ws = accept();
    store.getState().openChat(detail({ status: 'wrapup', messages: [message(1)] }), true);
    await expect.poll(() => store.getState().chats.byId['i-1']!.outbox.length).toBe(1);
    expect(store.getState().chats.byId['i-1']!.outbox[0]).toMatchObject({ clientMsgId: 'c-old', state: 'failed' });
    expect(ws.framesOfType('chat.send')).toHaveLength(0);
    store.getState().removeChat('i-1');
    await expect.poll(() => session.db.chatOutbox.count()).toBe(0);
  });
});
