import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION } from '../../../shared';
import { selectChatTabs, selectSelectedChat } from '../../../renderer/features/chats/chats-slice';
import { selectOfferCount } from '../../../renderer/features/offers/offers-slice';
import { FakeWebSocket } from './fake-websocket';
import { detail, message, summary } from './fixtures';
import { fakeApi } from './store-harness';
import { reconnect, signedInWork } from './work-harness';

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

const offerFrame = (id = 'i-1', kind: 'chat' | 'call' = 'chat') => ({
  type: 'offer',
  interaction: summary({ id, kind, status: 'offered', agentId: null, agentName: null, answeredAt: null }),
  expiresAt: '2099-01-01T00:00:00.000Z',
});

describe('offers', () => {
  it('shows an offer, accepts it, and opens the chat in front', async () => {
    const { store, socket } = await signedInWork();
    socket.serverSend(offerFrame());
    expect(selectOfferCount(store.getState())).toBe(1);

    store.getState().acceptOffer('i-1');
    const [accept] = socket.framesOfType('offer.accept');
    expect(accept).toMatchObject({ type: 'offer.accept', interactionId: 'i-1', id: expect.any(String) });
    expect(store.getState().offers.byId['i-1']?.pending).toBe('accept');
    // A second click does not send twice.
    store.getState().acceptOffer('i-1');
    expect(socket.framesOfType('offer.accept')).toHaveLength(1);

    socket.serverSend({ type: 'offer.withdrawn', interactionId: 'i-1', reason: 'accepted' });
    socket.serverSend({ type: 'interaction.opened', interaction: detail({ messages: [message(1)] }) });
    expect(selectOfferCount(store.getState())).toBe(0);
    expect(store.getState().offers.notices).toEqual([]);
    expect(selectChatTabs(store.getState())).toEqual([{ id: 'i-1', customerName: 'Carla Customer', unread: 1, ended: false }]);
    expect(store.getState().chats.selectedId).toBe('i-1');
  });

  it('explains a withdrawn offer briefly', async () => {
    const { store, socket } = await signedInWork();
    socket.serverSend(offerFrame('i-2', 'call'));
    socket.serverSend({ type: 'offer.withdrawn', interactionId: 'i-2', reason: 'timeout' });
    expect(selectOfferCount(store.getState())).toBe(0);
    expect(store.getState().offers.notices.map((n) => n.text)).toEqual(['Offer timed out (call from Carla Customer)']);
  });

  it('shows the server refusal on the card and allows another try', async () => {
    const { store, socket } = await signedInWork();
    socket.serverSend(offerFrame());
    store.getState().acceptOffer('i-1');
    const id = socket.framesOfType('offer.accept')[0]?.id;
    socket.serverSend({ type: 'error', code: 'conflict', message: 'The offer is no longer available.', ref: id });
    expect(store.getState().offers.byId['i-1']).toMatchObject({ pending: null, error: 'The offer is no longer available.' });
  });

  it('declines', async () => {
    const { store, socket } = await signedInWork();
    socket.serverSend(offerFrame());
    store.getState().declineOffer('i-1');
    expect(socket.framesOfType('offer.decline')[0]).toMatchObject({ interactionId: 'i-1' });
    socket.serverSend({ type: 'offer.withdrawn', interactionId: 'i-1', reason: 'declined' });
    expect(store.getState().offers.notices).toEqual([]);
  });
});

describe('chats', () => {
  async function withChat() {
    const h = await signedInWork();
    h.socket.serverSend({ type: 'interaction.opened', interaction: detail({ messages: [message(1), message(2)] }) });
    return h;
  }

  it('sends with a clientMsgId, shows sending, and drops it from the outbox on the echo', async () => {
    const { store, socket } = await withChat();
    store.getState().setChatDraft('i-1', '  Hello <b>there</b> https://example.test  ');
    expect(store.getState().sendChat('i-1')).toBe(true);
    const [send] = socket.framesOfType('chat.send');
    expect(send).toMatchObject({ interactionId: 'i-1', clientMsgId: 'm-id-1', text: 'Hello <b>there</b> https://example.test' });
    expect(selectSelectedChat(store.getState())?.outbox.map((o) => o.state)).toEqual(['sending']);
    expect(selectSelectedChat(store.getState())?.draft).toBe('');

    socket.serverSend({
      type: 'chat.message',
      interactionId: 'i-1',
      clientMsgId: 'm-id-1',
      message: message(3, { from: 'agent', authorName: 'Agent One', text: String(send?.text) }),
    });
    const chat = selectSelectedChat(store.getState());
    expect(chat?.outbox).toEqual([]);
    expect(chat?.messages.map((m) => m.seq)).toEqual([1, 2, 3]);

    socket.serverSend({ type: 'chat.seen', interactionId: 'i-1', upToSeq: 3, by: 'customer' });
    expect(selectSelectedChat(store.getState())?.customerSeenUpTo).toBe(3);
  });

  it('refuses empty and too long messages locally', async () => {
    const { store, socket } = await withChat();
    store.getState().setChatDraft('i-1', '   ');
    expect(store.getState().sendChat('i-1')).toBe(false);
    store.getState().setChatDraft('i-1', 'x'.repeat(4001));
    expect(store.getState().sendChat('i-1')).toBe(false);
    expect(selectSelectedChat(store.getState())?.inputError).toMatch(/too long/);
    expect(socket.framesOfType('chat.send')).toHaveLength(0);
  });

  it('queues while offline and resends unacknowledged messages with the same clientMsgId after a reconnect', async () => {
    const { store, socket } = await withChat();
    store.getState().setChatDraft('i-1', 'first');
    store.getState().sendChat('i-1'); // sent, but the echo never comes
    socket.serverClose(1006);
    store.getState().setChatDraft('i-1', 'second');
    store.getState().sendChat('i-1'); // offline: queued
    expect(selectSelectedChat(store.getState())?.outbox.map((o) => [o.clientMsgId, o.state])).toEqual([
      ['m-id-1', 'sending'],
      ['m-id-2', 'queued'],
    ]);

    vi.advanceTimersByTime(500);
    const next = FakeWebSocket.latest();
    expect(next).not.toBe(socket);
    next.serverOpen();
    expect(next.framesOfType('chat.send')).toHaveLength(0); // nothing before hello.ok
    reconnectAccept(next);
    expect(next.framesOfType('chat.send').map((f) => [f.clientMsgId, f.text])).toEqual([
      ['m-id-1', 'first'],
      ['m-id-2', 'second'],
    ]);
    expect(selectSelectedChat(store.getState())?.outbox.map((o) => o.state)).toEqual(['sending', 'sending']);

    // The server re-sends the open interaction: the transcript merges without duplicates.
    next.serverSend({ type: 'interaction.opened', interaction: detail({ messages: [message(1), message(2), message(3, { from: 'agent', text: 'first' })] }) });
    next.serverSend({ type: 'chat.message', interactionId: 'i-1', clientMsgId: 'm-id-1', message: message(3, { from: 'agent', text: 'first' }) });
    next.serverSend({ type: 'chat.message', interactionId: 'i-1', clientMsgId: 'm-id-2', message: message(4, { from: 'agent', text: 'second' }) });
    const chat = selectSelectedChat(store.getState());
    expect(chat?.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(chat?.outbox).toEqual([]);
    expect(selectChatTabs(store.getState())).toHaveLength(1);
  });

  it('keeps a refused message as not sent, with the reason', async () => {
    const { store, socket } = await withChat();
    store.getState().setChatDraft('i-1', 'hello');
    store.getState().sendChat('i-1');
    const id = socket.framesOfType('chat.send')[0]?.id;
    socket.serverSend({ type: 'error', code: 'conflict', message: 'The chat has ended.', ref: id });
    expect(selectSelectedChat(store.getState())?.outbox[0]).toMatchObject({ state: 'failed', error: 'The chat has ended.', text: 'hello' });
    // Not resent automatically after a reconnect.
    const next = reconnect();
    expect(next.framesOfType('chat.send')).toHaveLength(0);
  });

  it('throttles chat.typing while the agent types', async () => {
    const { store, socket, clock } = await withChat();
    for (let i = 1; i <= 10; i += 1) {
      store.getState().setChatDraft('i-1', 'h'.repeat(i));
      clock.now += 500; // a keystroke every half second for five seconds
    }
    expect(socket.framesOfType('chat.typing')).toHaveLength(2);
    expect(socket.framesOfType('chat.typing')[0]).toEqual({ type: 'chat.typing', interactionId: 'i-1' });
  });

  it('reports displayed messages as seen once and clears the unread count', async () => {
    const { store, socket } = await withChat();
    expect(selectChatTabs(store.getState())[0]?.unread).toBe(2);
    store.getState().markChatSeen('i-1');
    store.getState().markChatSeen('i-1');
    expect(socket.framesOfType('chat.seen')).toEqual([{ type: 'chat.seen', interactionId: 'i-1', upToSeq: 2 }]);
    expect(selectChatTabs(store.getState())[0]?.unread).toBe(0);
    socket.serverSend({ type: 'chat.message', interactionId: 'i-1', message: message(3) });
    expect(selectChatTabs(store.getState())[0]?.unread).toBe(1);
  });

  it('shows the customer typing until their message arrives', async () => {
    const { store, socket } = await withChat();
    socket.serverSend({ type: 'chat.typing', interactionId: 'i-1', from: 'customer' });
    expect(selectSelectedChat(store.getState())?.customerTypingAt).toBe(1_000_000);
    socket.serverSend({ type: 'chat.message', interactionId: 'i-1', message: message(3) });
    expect(selectSelectedChat(store.getState())?.customerTypingAt).toBeNull();
  });

  it('works several chats in tabs; unread counts per tab', async () => {
    const { store, socket } = await withChat();
    socket.serverSend({ type: 'interaction.opened', interaction: detail({ id: 'i-2', customer: { name: 'Dan' }, messages: [message(1, { interactionId: 'i-2' })] }) });
    // Not accepted from an offer in this window: the agent's current chat stays selected.
    expect(store.getState().chats.selectedId).toBe('i-1');
    // Accepted here: withdrawn as "accepted" first, then opened; it comes to the front.
    socket.serverSend(offerFrame('i-3'));
    store.getState().acceptOffer('i-3');
    socket.serverSend({ type: 'offer.withdrawn', interactionId: 'i-3', reason: 'accepted' });
    socket.serverSend({ type: 'interaction.opened', interaction: detail({ id: 'i-3', customer: { name: 'Eve' } }) });
    expect(store.getState().chats.selectedId).toBe('i-3');
    expect(store.getState().offers.accepted).toEqual([]);
    store.getState().removeChat('i-3');
    expect(selectChatTabs(store.getState()).map((t) => [t.customerName, t.unread])).toEqual([
      ['Carla Customer', 2],
      ['Dan', 1],
    ]);
    store.getState().selectChat('i-2');
    expect(selectSelectedChat(store.getState())?.id).toBe('i-2');
  });

  it('ends a chat, then wraps up: the tab closes on wrapup.done', async () => {
    const { store, socket } = await withChat();
    expect(store.getState().endChat('i-1')).toBe(true);
    expect(socket.framesOfType('interaction.end')[0]).toMatchObject({ interactionId: 'i-1' });

    socket.serverSend({ type: 'interaction.updated', interaction: summary({ status: 'wrapup', endedAt: '2024-05-01T10:05:00.000Z' }) });
    socket.serverSend({ type: 'wrapup.required', interactionId: 'i-1', dispositions: ['Resolved', 'Escalated'], deadline: '2099-01-01T00:00:00.000Z' });
    expect(selectSelectedChat(store.getState())?.ended).toBe(true);
    expect(store.getState().wrapups.byId['i-1']?.summary?.customer.name).toBe('Carla Customer');

    expect(store.getState().submitWrapup('i-1')).toBe(false);
    expect(store.getState().wrapups.byId['i-1']?.error).toBe('Choose a disposition.');

    store.getState().setWrapupField('i-1', 'disposition', 'Resolved');
    store.getState().setWrapupField('i-1', 'notes', 'Reset the password.');
    expect(store.getState().submitWrapup('i-1')).toBe(true);
    const submit = socket.framesOfType('wrapup.submit')[0];
    expect(submit).toMatchObject({ interactionId: 'i-1', disposition: 'Resolved', notes: 'Reset the password.' });

    socket.serverSend({ type: 'error', code: 'bad_request', message: 'notes: too long', ref: submit?.id });
    expect(store.getState().wrapups.byId['i-1']).toMatchObject({ submitting: false, error: 'notes: too long' });

    store.getState().submitWrapup('i-1');
    socket.serverSend({ type: 'wrapup.done', interactionId: 'i-1', timedOut: false });
    expect(store.getState().wrapups.order).toEqual([]);
    expect(selectChatTabs(store.getState())).toEqual([]);
  });

  it('closes the tab with a notice when the chat is transferred away', async () => {
    const { store, socket } = await withChat();
    store.getState().transferInteraction('i-1', { kind: 'queue', queueId: 'q-billing' });
    expect(socket.framesOfType('interaction.transfer')[0]).toMatchObject({ interactionId: 'i-1', to: { kind: 'queue', queueId: 'q-billing' } });
    socket.serverSend({ type: 'interaction.updated', interaction: summary({ status: 'queued', agentId: null, agentName: null, queueName: 'Billing' }) });
    expect(selectChatTabs(store.getState())).toEqual([]);
    expect(store.getState().workspace.notices.map((n) => n.text)).toEqual(['Chat with Carla Customer was transferred to the Billing queue.']);
  });
});

function reconnectAccept(socket: FakeWebSocket) {
  socket.serverSend({
    type: 'hello.ok',
    protocol: PROTOCOL_VERSION,
    serverVersion: '0.1.0',
    heartbeatMs: 60_000,
    user: { id: 'u-agent1', username: 'agent1', displayName: 'Agent One', role: 'agent' },
    presence: 'available',
  });
}

describe('after a reconnect', () => {
  it('drops stale offers (the server re-sends the live one)', async () => {
    const { store, socket } = await signedInWork();
    socket.serverSend(offerFrame('i-1'));
    const next = reconnect();
    expect(selectOfferCount(store.getState())).toBe(0);
    next.serverSend(offerFrame('i-1'));
    expect(selectOfferCount(store.getState())).toBe(1);
  });

  it('asks about chats the server did not re-open and closes the ones that ended meanwhile', async () => {
    const interaction = vi.fn(async (_token: string, id: string) =>
      id === 'i-1' ? detail({ status: 'closed', endedAt: '2024-05-01T10:05:00.000Z' }) : detail({ id, status: 'active' }),
    );
    const { store, socket } = await signedInWork({ api: fakeApi({ interaction }) });
    socket.serverSend({ type: 'interaction.opened', interaction: detail() });
    socket.serverSend({ type: 'interaction.opened', interaction: detail({ id: 'i-2' }) });
    reconnect();
    expect(interaction).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(3000);
    expect(interaction.mock.calls.map(([, id]) => id).sort()).toEqual(['i-1', 'i-2']);
    expect(store.getState().chats.byId['i-1']?.ended).toBe(true);
    expect(store.getState().chats.byId['i-2']?.ended).toBe(false);
  });
});
