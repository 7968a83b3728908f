import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PEER_ANSWER_TIMEOUT_MS } from '../../../widget/lib/call-session';
import { FakeSocket } from './fakes';
import { fakeCall, flush, setup, state } from './controller-harness';

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.reset();
});
afterEach(() => {
  vi.useRealTimers();
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
