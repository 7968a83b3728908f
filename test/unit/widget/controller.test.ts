import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type WidgetApi } from '../../../widget/lib/api';
import type { CallModule, CreatePeerOptions } from '../../../widget/lib/call-types';
import { displayItems } from '../../../widget/lib/chat-state';
import { WidgetConnection } from '../../../widget/lib/connection';
import { PEER_ANSWER_TIMEOUT_MS } from '../../../widget/lib/call-session';
import { WidgetController } from '../../../widget/lib/controller';
import { createSessionStore, SESSION_KEY } from '../../../widget/lib/saved-session';
import { stateLineText } from '../../../widget/lib/state-line';
import { FakeSocket, MemoryStorage, msg } from './fakes';

const START = { interactionId: 'i1', customerToken: 'vc_secret', expiresAt: '2099-01-01T00:00:00Z' };

function fakeApi(overrides: Partial<WidgetApi> = {}) {
  return {
    queues: vi.fn(async () => [{ id: 'q1', name: 'Support', membersSignedIn: 2, membersAvailable: 1 }]),
    settings: vi.fn(async () => ({ askBirthYear: false })),
    start: vi.fn(async () => START),
    leaveMessage: vi.fn(async () => ({ interactionId: 'm1' })),
    consentSettings: vi.fn(async () => ({ notice: null, purposes: [] })),
    notices: vi.fn(async () => null),
    consents: vi.fn(async () => []),
    withdrawConsent: vi.fn(async () => ({ purposeId: 'training', purposeLabel: 'Training', noticeVersion: 'v1', givenAt: '2026-01-01T00:00:00Z', withdrawnAt: '2026-01-01T00:01:00Z' })),
    iceServers: vi.fn(async () => [{ urls: 'stun:stun.example.org' }]),
    ...overrides,
  } satisfies WidgetApi;
}

class FakeTrack {
  enabled = true;
  stopped = false;
  stop() {
    this.stopped = true;
  }
}

function fakeCall() {
  const track = new FakeTrack();
  const stream = { getAudioTracks: () => [track], getTracks: () => [track] } as unknown as MediaStream;
  const peers: Array<{ options: CreatePeerOptions; signals: unknown[]; destroyed: boolean }> = [];
  const module: CallModule = {
    acquireMicrophone: vi.fn(async () => stream),
    createPeer: vi.fn((options: CreatePeerOptions) => {
      const p = { options, signals: [] as unknown[], destroyed: false };
      peers.push(p);
      return { signal: (d: unknown) => void p.signals.push(d), destroy: () => void (p.destroyed = true) };
    }),
  };
  return { module, track, peers };
}

function setup(opts: { api?: ReturnType<typeof fakeApi>; storage?: MemoryStorage; call?: ReturnType<typeof fakeCall> } = {}) {
  const api = opts.api ?? fakeApi();
  const storage = opts.storage ?? new MemoryStorage();
  let n = 0;
  const controller = new WidgetController({
    api,
    sessions: createSessionStore(storage),
    wsUrl: 'ws://test/ws',
    createConnection: (o) => new WidgetConnection({ ...o, WebSocket: FakeSocket, random: () => 0 }),
    loadCall: async () => {
      if (!opts.call) throw new Error('no call module');
      return opts.call.module;
    },
    now: () => Date.now(),
    newId: () => `c${++n}`,
  });
  return { controller, api, storage };
}

const line = (c: WidgetController) => stateLineText({ phase: c.snapshot.phase, state: c.snapshot.customerState, ending: c.snapshot.ending, fatal: c.snapshot.fatal });
const state = (s: FakeSocket, st: Record<string, unknown>) => s.serverSend({ type: 'customer.state', interactionId: 'i1', ...st });
const flush = () => vi.advanceTimersByTimeAsync(0);

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

describe('widget controller: call', () => {
  it('asks for the microphone before queueing; a blocked mic starts nothing', async () => {
    const call = fakeCall();
    vi.mocked(call.module.acquireMicrophone).mockRejectedValueOnce(new Error('Microphone access was blocked.'));
    const { controller, api } = setup({ call });
    await controller.start('call', { queueId: 'q1', name: '', email: '' });
    expect(api.start).not.toHaveBeenCalled();
    expect(controller.snapshot.startError).toBe('Microphone access was blocked.');
  });

  it('the customer is the initiator: the peer is made once connected; signals flow both ways', async () => {
    const call = fakeCall();
    const { controller, api } = setup({ call });
    await controller.start('call', { queueId: 'q1', name: '', email: '' });
    expect(api.start).toHaveBeenCalledWith(expect.objectContaining({ kind: 'call' }));
    const socket = FakeSocket.latest();
    socket.accept('i1', [], 'call');
    state(socket, { state: 'ringing' });
    await flush();
    expect(call.peers).toHaveLength(0);
    socket.serverSend({ type: 'call.signal', interactionId: 'i1', signal: { type: 'candidate', candidate: {} } }); // stale: dropped
    state(socket, { state: 'connected', agentName: 'Ada Agent' });
    await flush();
    expect(call.peers).toHaveLength(1);
    const peer = call.peers[0]!;
    expect(peer.options.iceServers).toEqual([{ urls: 'stun:stun.example.org' }]);
    expect(peer.signals).toEqual([]);

    peer.options.onSignal({ type: 'offer', sdp: 'v=0' });
    expect(socket.framesOf('call.signal')).toEqual([{ type: 'call.signal', interactionId: 'i1', signal: { type: 'offer', sdp: 'v=0' } }]);
    socket.serverSend({ type: 'call.signal', interactionId: 'i1', signal: { type: 'answer', sdp: 'v=0' } });
    expect(peer.signals).toEqual([{ type: 'answer', sdp: 'v=0' }]);
    peer.options.onConnected();
    expect(controller.snapshot.call.status).toBe('connected');

    // Hold silences the mic; mute is the customer's own switch.
    state(socket, { state: 'on_hold' });
    expect(call.track.enabled).toBe(false);
    state(socket, { state: 'connected', agentName: 'Ada Agent' });
    expect(call.track.enabled).toBe(true);
    controller.toggleMute();
    expect(controller.snapshot.call.muted).toBe(true);
    expect(call.track.enabled).toBe(false);
    controller.toggleMute();
    expect(call.track.enabled).toBe(true);
    await flush();
    expect(call.peers).toHaveLength(1); // no second peer for the same call

    controller.end();
    expect(socket.framesOf('interaction.end')).toHaveLength(1);
    expect(peer.destroyed).toBe(true);
    expect(call.track.stopped).toBe(true);
  });

  it("the recording line follows the server's call.recording, and a new conversation starts without one", async () => {
    const call = fakeCall();
    const { controller } = setup({ call });
    await controller.start('call', { queueId: 'q1', name: '', email: '' });
    const socket = FakeSocket.latest();
    socket.accept('i1', [], 'call');
    expect(controller.snapshot.recordingNow).toBeNull();
    state(socket, { state: 'connected', agentName: 'Ada Agent' });
    socket.serverSend({ type: 'call.recording', interactionId: 'i1', state: 'recording' });
    expect(controller.snapshot.recordingNow).toBe('recording');
    socket.serverSend({ type: 'call.recording', interactionId: 'i1', state: 'paused' });
    expect(controller.snapshot.recordingNow).toBe('paused');
    // Another conversation's frame is not ours.
    socket.serverSend({ type: 'call.recording', interactionId: 'other', state: 'recording' });
    expect(controller.snapshot.recordingNow).toBe('paused');
    state(socket, { state: 'ended' });
    controller.newConversation();
    expect(controller.snapshot.recordingNow).toBeNull();
  });

  it('a broken media path says "Reconnecting audio…"; the agent\'s ICE restart offer goes into the same peer, no new one', async () => {
    const call = fakeCall();
    const { controller } = setup({ call });
    await controller.start('call', { queueId: 'q1', name: '', email: '' });
    const socket = FakeSocket.latest();
    socket.accept('i1', [], 'call');
    state(socket, { state: 'connected', agentName: 'Ada Agent' });
    await flush();
    const peer = call.peers[0]!;
    peer.options.onConnected();
    peer.options.onIceState?.('disconnected');
    expect(controller.snapshot.call.status).toBe('reconnecting');
    socket.serverSend({ type: 'call.signal', interactionId: 'i1', signal: { type: 'offer', sdp: 'restart', iceRestart: true } });
    expect(peer.signals.at(-1)).toEqual({ type: 'offer', sdp: 'restart', iceRestart: true });
    peer.options.onIceState?.('connected');
    expect(controller.snapshot.call.status).toBe('connected');
    await vi.advanceTimersByTimeAsync(PEER_ANSWER_TIMEOUT_MS * 2);
    expect(call.peers).toHaveLength(1);
    expect(peer.destroyed).toBe(false);
  });

  it('a lost peer during the call is re-offered with a new peer', async () => {
    const call = fakeCall();
    const { controller } = setup({ call });
    await controller.start('call', { queueId: 'q1', name: '', email: '' });
    const socket = FakeSocket.latest();
    socket.accept('i1', [], 'call');
    state(socket, { state: 'connected', agentName: 'Ada Agent' });
    await flush();
    call.peers[0]!.options.onClose('no network path to the agent');
    expect(controller.snapshot.call.status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(call.peers).toHaveLength(2);
    expect(call.peers[0]!.destroyed).toBe(false); // it closed on its own
  });

  it('an offer the agent never answers (their app was reloading) is made again; a connected peer is kept', async () => {
    const call = fakeCall();
    const { controller } = setup({ call });
    await controller.start('call', { queueId: 'q1', name: '', email: '' });
    const socket = FakeSocket.latest();
    socket.accept('i1', [], 'call');
    state(socket, { state: 'connected', agentName: 'Ada Agent' });
    await flush();
    await vi.advanceTimersByTimeAsync(PEER_ANSWER_TIMEOUT_MS - 1);
    expect(call.peers).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(call.peers[0]!.destroyed).toBe(true);
    expect(controller.snapshot.call.status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(call.peers).toHaveLength(2);
    call.peers[1]!.options.onConnected();
    await vi.advanceTimersByTimeAsync(PEER_ANSWER_TIMEOUT_MS * 2);
    expect(call.peers).toHaveLength(2);
    expect(call.peers[1]!.destroyed).toBe(false);
    expect(controller.snapshot.call.status).toBe('connected');
  });
});
