import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../widget/lib/api';
import { displayItems } from '../../../widget/lib/chat-state';
import { SESSION_KEY } from '../../../widget/lib/saved-session';
import { FakeSocket, MemoryStorage, msg } from './fakes';
import { fakeApi, flush, line, setup, START, state } from './controller-harness';

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('widget controller: chat', () => {
  it('starts a chat, says hello with the token, and shows each state in words', async () => {
    const { controller, api, storage } = setup();
    controller.init();
    await flush();
    await controller.start('chat', { queueId: 'q1', name: ' Cleo ', email: '' });
    expect(api.start).toHaveBeenCalledWith({ kind: 'chat', queueId: 'q1', customer: { name: 'Cleo' } });
    expect(JSON.parse(storage.getItem(SESSION_KEY) ?? '{}')).toMatchObject({ interactionId: 'i1', customerToken: 'vc_secret', kind: 'chat' });

    const socket = FakeSocket.latest();
    expect(socket.url).toBe('ws://test/ws');
    socket.serverOpen();
    expect(socket.frames[0]).toEqual({ type: 'hello', protocol: 1, token: 'vc_secret' });
    expect(line(controller)).toBe('Connecting…');
    socket.accept('i1');
    state(socket, { state: 'waiting', position: 2, estimatedWaitSeconds: 60 });
    expect(line(controller)).toBe('Waiting — you are number 2 in line, about 1 min');
    state(socket, { state: 'connected', agentName: 'Ada Agent' });
    expect(line(controller)).toBe('Connected to Ada Agent');
  });

  it('send → sent on the echo → read on the agent’s chat.seen; unsent messages survive in storage', async () => {
    const { controller, storage } = setup();
    await controller.start('chat', { queueId: 'q1', name: '', email: '' });
    const socket = FakeSocket.latest();
    socket.accept('i1');

    expect(controller.sendChat('  hello <b>there</b>  ')).toBe(true);
    expect(socket.framesOf('chat.send')).toEqual([{ type: 'chat.send', interactionId: 'i1', clientMsgId: 'c1', text: 'hello <b>there</b>', id: 'c1' }]);
    expect(displayItems(controller.snapshot.chat, 'You').map((i) => i.delivery)).toEqual(['sending']);
    expect(JSON.parse(storage.getItem(SESSION_KEY) ?? '{}').outbox).toHaveLength(1);

    socket.serverSend({ type: 'chat.message', interactionId: 'i1', message: msg(1, 'customer', 'hello <b>there</b>'), clientMsgId: 'c1' });
    expect(displayItems(controller.snapshot.chat, 'You').map((i) => i.delivery)).toEqual(['sent']);
    expect(JSON.parse(storage.getItem(SESSION_KEY) ?? '{}').outbox).toHaveLength(0);

    socket.serverSend({ type: 'chat.seen', interactionId: 'i1', upToSeq: 1, by: 'agent' });
    expect(displayItems(controller.snapshot.chat, 'You').map((i) => i.delivery)).toEqual(['read']);
  });

  it('a dropped socket reconnects with backoff, restores the transcript without duplicates and resends with the same clientMsgId', async () => {
    const { controller } = setup();
    await controller.start('chat', { queueId: 'q1', name: '', email: '' });
    const first = FakeSocket.latest();
    first.accept('i1', [msg(1)]);
    controller.sendChat('are you there?');
    first.serverClose(1006);
    expect(controller.snapshot.phase).toBe('reconnecting');
    expect(line(controller)).toBe('Reconnecting…');
    controller.sendChat('hello?'); // typed while offline: waits in the outbox

    await vi.advanceTimersByTimeAsync(499);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const second = FakeSocket.latest();
    expect(second).not.toBe(first);
    second.serverOpen();
    expect(second.frames[0]).toMatchObject({ type: 'hello', token: 'vc_secret' });
    // The server stored the first message before the drop; the replay repeats message 1.
    second.accept('i1', [msg(1), msg(2, 'customer', 'are you there?')]);
    expect(controller.snapshot.phase).toBe('open');
    expect(second.framesOf('chat.send').map((f) => f.clientMsgId)).toEqual(['c1', 'c2']);
    second.serverSend({ type: 'chat.message', interactionId: 'i1', message: msg(2, 'customer', 'are you there?'), clientMsgId: 'c1' });
    second.serverSend({ type: 'chat.message', interactionId: 'i1', message: msg(3, 'customer', 'hello?'), clientMsgId: 'c2' });
    expect(displayItems(controller.snapshot.chat, 'You').map((i) => `${i.seq}:${i.text}:${i.delivery}`)).toEqual(['1:message 1:null', '2:are you there?:sent', '3:hello?:sent']);
  });

  it('a link that dies without a close frame is noticed within 7 s, and the browser going offline at once', async () => {
    const { controller } = setup();
    await controller.start('chat', { queueId: 'q1', name: '', email: '' });
    const socket = FakeSocket.latest();
    socket.accept('i1', [msg(1)]);
    expect(controller.snapshot.phase).toBe('open');
    // Pings go out; nothing comes back (the fake socket stays "open", as a black-holed link does).
    await vi.advanceTimersByTimeAsync(6_900);
    expect(socket.framesOf('ping').length).toBeGreaterThanOrEqual(2);
    expect(controller.snapshot.phase).toBe('open');
    await vi.advanceTimersByTimeAsync(200);
    expect(controller.snapshot.phase).toBe('reconnecting');

    await vi.advanceTimersByTimeAsync(500);
    const next = FakeSocket.latest();
    expect(next).not.toBe(socket);
    next.accept('i1', [msg(1)]);
    expect(controller.snapshot.phase).toBe('open');
    controller.offline();
    expect(controller.snapshot.phase).toBe('reconnecting');
  });

  it('backs off 0.5 s, 1 s, 2 s … up to 10 s between failed attempts', async () => {
    const { controller } = setup();
    await controller.start('chat', { queueId: 'q1', name: '', email: '' });
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = FakeSocket.all.length;
      FakeSocket.latest().serverClose(1006);
      let waited = 0;
      while (FakeSocket.all.length === before) {
        await vi.advanceTimersByTimeAsync(100);
        waited += 100;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('a reload restores the conversation from sessionStorage and retries unsent messages', async () => {
    const storage = new MemoryStorage();
    const a = setup({ storage });
    await a.controller.start('chat', { queueId: 'q1', name: '', email: '' });
    FakeSocket.latest().accept('i1');
    FakeSocket.latest().serverClose(1006);
    a.controller.sendChat('sent before reload');
    a.controller.dispose();

    FakeSocket.reset();
    const b = setup({ storage });
    b.controller.init();
    expect(b.controller.snapshot.session).toMatchObject({ interactionId: 'i1', kind: 'chat' });
    const socket = FakeSocket.latest();
    socket.accept('i1', [msg(1)]);
    expect(socket.framesOf('chat.send')).toEqual([expect.objectContaining({ clientMsgId: 'c1', text: 'sent before reload' })]);
    expect(displayItems(b.controller.snapshot.chat, 'You').map((i) => i.text)).toEqual(['message 1', 'sent before reload']);
  });

  it('a kept conversation the server no longer knows goes back to the start form with a note', async () => {
    const storage = new MemoryStorage();
    storage.setItem(SESSION_KEY, JSON.stringify({ ...START, kind: 'chat', queueId: 'q1', outbox: [], agentReadUpTo: 0 }));
    const { controller } = setup({ storage });
    controller.init();
    const socket = FakeSocket.latest();
    socket.serverOpen();
    socket.serverSend({ type: 'error', code: 'unauthenticated', message: 'Your session has expired or was signed out. Sign in again.' });
    socket.serverClose(4401);
    expect(controller.snapshot.session).toBeNull();
    expect(controller.snapshot.notice).toMatch(/previous conversation has ended/);
    expect(storage.getItem(SESSION_KEY)).toBeNull();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(FakeSocket.all).toHaveLength(1); // no reconnect after a refusal
  });

  it('an error frame naming a message fails that message; others are shown inline', async () => {
    const { controller } = setup();
    await controller.start('chat', { queueId: 'q1', name: '', email: '' });
    const socket = FakeSocket.latest();
    socket.accept('i1');
    controller.sendChat('x');
    socket.serverSend({ type: 'error', code: 'bad_request', message: 'Invalid chat.send message: text: too long', ref: 'c1' });
    expect(displayItems(controller.snapshot.chat, 'You')[0]).toMatchObject({ delivery: 'failed', error: 'Invalid chat.send message: text: too long' });
    socket.serverSend({ type: 'error', code: 'rate_limited', message: 'Slow down.' });
    expect(controller.snapshot.errors.map((e) => e.text)).toEqual(['Slow down.']);
    controller.retryMessage('c1');
    expect(socket.framesOf('chat.send')).toHaveLength(2);
  });

  it('typing goes out at most once per 2 s; receipts once per new seq', async () => {
    const { controller } = setup();
    await controller.start('chat', { queueId: 'q1', name: '', email: '' });
    const socket = FakeSocket.latest();
    socket.accept('i1', [msg(1), msg(2)]);
    for (let i = 0; i < 5; i++) {
      controller.typing();
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(socket.framesOf('chat.typing')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(600);
    controller.typing();
    expect(socket.framesOf('chat.typing')).toHaveLength(2);

    controller.displayed(2);
    controller.displayed(2);
    controller.displayed(1);
    expect(socket.framesOf('chat.seen')).toEqual([{ type: 'chat.seen', interactionId: 'i1', upToSeq: 2 }]);
  });

  it('shows “Agent is typing…” until the agent’s message arrives or it goes quiet', async () => {
    const { controller } = setup();
    await controller.start('chat', { queueId: 'q1', name: '', email: '' });
    const socket = FakeSocket.latest();
    socket.accept('i1');
    socket.serverSend({ type: 'chat.typing', interactionId: 'i1', from: 'agent' });
    expect(controller.snapshot.agentTyping).toBe(true);
    socket.serverSend({ type: 'chat.message', interactionId: 'i1', message: msg(1) });
    expect(controller.snapshot.agentTyping).toBe(false);
    socket.serverSend({ type: 'chat.typing', interactionId: 'i1', from: 'agent' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(controller.snapshot.agentTyping).toBe(false);
  });

  it('ended: forgets the token, closes the socket, keeps the transcript', async () => {
    const { controller, storage } = setup();
    await controller.start('chat', { queueId: 'q1', name: '', email: '' });
    const socket = FakeSocket.latest();
    socket.accept('i1', [msg(1)]);
    controller.end();
    expect(socket.framesOf('interaction.end')).toEqual([expect.objectContaining({ type: 'interaction.end', interactionId: 'i1' })]);
    expect(line(controller)).toBe('Ending…');
    state(socket, { state: 'ended' });
    expect(line(controller)).toBe('Ended');
    expect(storage.getItem(SESSION_KEY)).toBeNull();
    expect(socket.closedByClient).toBe(1000);
    expect(controller.snapshot.chat.messages).toHaveLength(1);
    expect(controller.sendChat('too late')).toBe(false);
    expect(displayItems(controller.snapshot.chat, 'You').map((i) => i.delivery)).toEqual([null]);
    controller.newConversation();
    expect(controller.snapshot.session).toBeNull();
  });

  it('a message still unsent when the server ends the conversation is marked not delivered', async () => {
    const { controller } = setup();
    await controller.start('chat', { queueId: 'q1', name: '', email: '' });
    const first = FakeSocket.latest();
    first.accept('i1');
    first.serverClose(1006);
    controller.sendChat('typed while offline');
    await vi.advanceTimersByTimeAsync(500);
    const second = FakeSocket.latest();
    second.serverOpen();
    second.serverSend({ type: 'hello.customer', protocol: 1, serverVersion: 't', heartbeatMs: 15_000, interactionId: 'i1', kind: 'chat', messages: [] });
    state(second, { state: 'ended' });
    expect(displayItems(controller.snapshot.chat, 'You')[0]).toMatchObject({ delivery: 'failed', error: 'the conversation had already ended.' });
  });

  it('no agents: leaving a message posts it and ends the live conversation', async () => {
    const { controller, api } = setup();
    await controller.start('chat', { queueId: 'q1', name: '', email: '' });
    const socket = FakeSocket.latest();
    socket.accept('i1');
    state(socket, { state: 'no_agents' });
    expect(line(controller)).toBe('No agents are online right now');
    await controller.leaveMessage({ queueId: 'q1', name: 'Cleo', email: 'cleo@example.org', text: ' Please call me back ' });
    expect(api.leaveMessage).toHaveBeenCalledWith({ queueId: 'q1', customer: { name: 'Cleo', email: 'cleo@example.org' }, text: 'Please call me back' });
    expect(controller.snapshot.leave).toEqual({ status: 'sent', error: null, replyTo: 'cleo@example.org' });
    expect(socket.framesOf('interaction.end')).toHaveLength(1);
  });

  it('network and server failures at start say what to do', async () => {
    const api = fakeApi({
      start: vi.fn(async () => {
        throw new ApiError('Could not reach the server. Check your internet connection, then try again.', null, null);
      }),
    });
    const { controller } = setup({ api });
    await controller.start('chat', { queueId: 'q1', name: '', email: '' });
    expect(controller.snapshot.session).toBeNull();
    expect(controller.snapshot.startError).toMatch(/Check your internet connection/);
    expect(FakeSocket.all).toHaveLength(0);
  });
});

