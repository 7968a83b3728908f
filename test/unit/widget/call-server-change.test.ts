import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WidgetApi } from '../../../widget/lib/api';
import { PEER_ANSWER_TIMEOUT_MS } from '../../../widget/lib/call-session';
import type { CallModule, CreatePeerOptions } from '../../../widget/lib/call-types';
import { WidgetConnection } from '../../../widget/lib/connection';
import { WidgetController } from '../../../widget/lib/controller';
import { createSessionStore } from '../../../widget/lib/saved-session';
import { FakeSocket, MemoryStorage } from './fakes';

/*
 * With several nodes, the node holding the routing lease can die mid-call: the widget's socket
 * (relayed by another node) closes with 1012, and the next node resumes the call. The call's media
 * is peer to peer, so the widget must keep its peer and re-attach the signalling on the new socket.
 */

const unused = () => Promise.reject(new Error('not used here'));
const api = {
  queues: vi.fn(async () => [{ id: 'q1', name: 'Support', membersSignedIn: 1, membersAvailable: 1 }]),
  settings: vi.fn(async () => ({ askBirthYear: false })),
  start: vi.fn(async () => ({ interactionId: 'i1', customerToken: 'vc_secret', expiresAt: '2099-01-01T00:00:00Z' })),
  leaveMessage: unused,
  consentSettings: vi.fn(async () => ({ notice: null, purposes: [] })),
  notices: vi.fn(async () => null),
  consents: vi.fn(async () => []),
  withdrawConsent: unused,
  iceServers: vi.fn(async () => [{ urls: 'stun:stun.example.org' }]),
} satisfies WidgetApi;

function fakeCall() {
  const track = { enabled: true, stop: () => undefined };
  const stream = { getAudioTracks: () => [track], getTracks: () => [track] } as unknown as MediaStream;
  const peers: Array<{ options: CreatePeerOptions; signals: unknown[]; destroyed: boolean }> = [];
  const module: CallModule = {
    acquireMicrophone: async () => stream,
    createPeer: (options: CreatePeerOptions) => {
      const p = { options, signals: [] as unknown[], destroyed: false };
      peers.push(p);
      return { signal: (d: unknown) => void p.signals.push(d), destroy: () => void (p.destroyed = true) };
    },
  };
  return { module, peers };
}

const state = (s: FakeSocket, st: Record<string, unknown>) => s.serverSend({ type: 'customer.state', interactionId: 'i1', ...st });

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('widget: a call across a server change (1012)', () => {
  it('keeps its peer through the reconnect; the agent\'s ICE-restart offer reaches it on the new socket and its answer goes back there', async () => {
    const call = fakeCall();
    let n = 0;
    const controller = new WidgetController({
      api,
      sessions: createSessionStore(new MemoryStorage()),
      wsUrl: 'ws://test/ws',
      createConnection: (o) => new WidgetConnection({ ...o, WebSocket: FakeSocket, random: () => 0 }),
      loadCall: async () => call.module,
      now: () => Date.now(),
      newId: () => `c${++n}`,
    });
    await controller.start('call', { queueId: 'q1', name: '', email: '' });
    const first = FakeSocket.latest();
    first.accept('i1', [], 'call');
    state(first, { state: 'connected', agentName: 'Ada Agent' });
    await vi.advanceTimersByTimeAsync(0);
    const peer = call.peers[0]!;
    first.serverSend({ type: 'call.signal', interactionId: 'i1', signal: { type: 'answer', sdp: 'agent' } });
    peer.options.onConnected();
    expect(controller.snapshot.call.status).toBe('connected');

    // The lease holder died: the relay closes with 1012 ("service restart"); the widget reconnects.
    first.serverClose(1012);
    expect(controller.snapshot.phase).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(500);
    const second = FakeSocket.latest();
    expect(second).not.toBe(first);
    second.accept('i1', [], 'call');
    state(second, { state: 'connected', agentName: 'Ada Agent' });
    await vi.advanceTimersByTimeAsync(0);
    expect(controller.snapshot.phase).toBe('open');
    expect(controller.snapshot.call.status).toBe('connected');
    expect(call.peers).toHaveLength(1);
    expect(peer.destroyed).toBe(false);

    second.serverSend({ type: 'call.signal', interactionId: 'i1', signal: { type: 'offer', sdp: 'restart' } });
    expect(peer.signals.at(-1)).toEqual({ type: 'offer', sdp: 'restart' });
    peer.options.onSignal({ type: 'answer', sdp: 'restart answer' });
    expect(second.framesOf('call.signal').map((f) => f.signal)).toEqual([{ type: 'answer', sdp: 'restart answer' }]);
    await vi.advanceTimersByTimeAsync(PEER_ANSWER_TIMEOUT_MS * 2);
    expect(call.peers).toHaveLength(1);
  });
});
