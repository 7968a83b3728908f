import { describe, expect, it, vi } from 'vitest';
import { type ClientMessage, type InteractionSummary } from '../../../../shared';
import { createAppStore } from '../../../../renderer/app/store';
import { createSessionStore } from '../../../../renderer/features/auth/session-store';
import { type CallEntry } from '../../../../renderer/features/calls/calls-slice';
import { type MonitorSfu } from '../../../../renderer/features/monitoring/monitor-sfu';
import { monitorableCalls, noticeText } from '../../../../renderer/features/monitoring/monitoring-logic';
import { canSecurePause } from '../../../../renderer/features/secure-pause/secure-pause-slice';
import { type Mixer } from '../../../../renderer/media/audio-mix';
import { type MediaRecorderLike } from '../../../../renderer/media/recorder/call-recorder';
import { memoryChunkQueue } from '../../../../renderer/media/recorder/chunk-queue';
import { fakeApi, fakeBridge, memoryStorage } from '../store-harness';

const remote = { id: 'remote', getAudioTracks: () => [{ readyState: 'live' }] } as unknown as MediaStream;
const mic = { id: 'mic', getAudioTracks: () => [{ readyState: 'live' }] } as unknown as MediaStream;
const track = { id: 'mix-track' } as unknown as MediaStreamTrack;

function setup() {
  const log: string[] = [];
  const mixers: { inputs: string[][]; closed: boolean }[] = [];
  // `inputs`: what reaches the mix's output each time it changes (nothing while its gate is closed, as in browserMix).
  const mix = (streams: MediaStream[]): Mixer => {
    const m = { inputs: [streams.map((s) => s.id)], closed: false };
    let current = m.inputs[0]!;
    let open = true;
    mixers.push(m);
    return {
      stream: { getAudioTracks: () => [track] } as unknown as MediaStream,
      gate: {
        close: () => void ((open = false), m.inputs.push([])),
        open: () => void (open || ((open = true), m.inputs.push(current))),
      },
      setStreams: (next) => void ((current = next.map((s) => s.id)), open && m.inputs.push(current)),
      close: () => void (m.closed = true),
    };
  };
  const listens: { roomId: string; onStream(stream: MediaStream): void; onClosed(message: string): void; closed: boolean }[] = [];
  let failPublish: string | null = null;
  const sfu: MonitorSfu = {
    async publish(roomId, published) {
      if (failPublish) throw new Error(failPublish);
      log.push(`publish ${roomId} ${published.id}`);
      return { pause: () => log.push('producer.pause'), resume: () => log.push('producer.resume'), close: () => log.push('producer.close') };
    },
    async listen(roomId, handlers) {
      const entry = { roomId, ...handlers, closed: false };
      listens.push(entry);
      return { close: () => void (entry.closed = true) };
    },
  };
  const recorder: MediaRecorderLike = { state: 'inactive', ondataavailable: null, onstop: null, onerror: null, start() {}, stop() {}, pause() {}, resume() {}, requestData() {} };
  const store = createAppStore({
    bridge: fakeBridge(),
    session: createSessionStore(memoryStorage()),
    createApi: () => fakeApi(),
    createConnection: () => {
      throw new Error('not used');
    },
    now: () => 1_000_000,
    recorder: { media: { mix: () => ({ stream: {} as MediaStream, gate: { close: () => undefined, open: () => undefined }, close: () => undefined }), createRecorder: () => recorder }, queue: memoryChunkQueue() },
    monitoring: { sfu: async () => sfu, mix },
  });
  const sent: ClientMessage[] = [];
  const notices: string[] = [];
  store.setState({ sendMessage: (m: ClientMessage) => (sent.push(m), true), pushNotice: (text: string) => void notices.push(text) });
  store.getState().noteMonitorMicrophone(mic);
  const summary = { id: 'i1', kind: 'call', status: 'active' } as InteractionSummary;
  const call: CallEntry = { id: 'i1', summary, remoteStream: remote, phase: 'connected', muted: false, held: false, connectedAt: 1, reconnecting: false, endedAt: null, error: null };
  const setCall = (next: Partial<CallEntry> | null) =>
    store.setState(() => ({ calls: next ? { byId: { i1: { ...call, ...next } }, order: ['i1'] } : { byId: {}, order: [] } }) as never);
  return { store, sent, notices, log, mixers, listens, setCall, failPublishWith: (m: string) => (failPublish = m) };
}

const publishFrame = (extra: Record<string, unknown> = {}) => ({
  type: 'monitor.publish' as const,
  interactionId: 'i1',
  roomId: 'monitor:i1:a',
  pauseOnSecurePause: true,
  listeners: [{ userId: 's1', username: 'super1', displayName: 'Sam' }],
  ...extra,
});
const recorded = (paused: boolean) => ({ type: 'recording.state' as const, interactionId: 'i1', recording: true, paused, recordingId: 'r1', reminderAfterSeconds: 60 });

describe('monitoring slice: the agent publishes the call mix', () => {
  it('publishes both sides when asked, says it is producing, shows who listens', async () => {
    const { store, sent, log, mixers, setCall } = setup();
    setCall({});
    store.getState().applyMonitorPublish(publishFrame());
    await vi.waitFor(() => expect(sent).toContainEqual({ type: 'monitor.publish.state', interactionId: 'i1', state: 'producing' }));
    expect(log).toEqual(['publish monitor:i1:a mix-track']);
    expect(mixers[0]!.inputs.at(-1)).toEqual(['remote', 'mic']);
    expect(noticeText(store.getState().monitoring.notices.i1!)).toBe('super1 is listening');
  });

  it('secure pause stops the source in the same tick: the mixer loses its inputs and the producer stops; resume restores both', async () => {
    const { store, sent, log, mixers, setCall } = setup();
    setCall({});
    store.getState().applyRecordingState(recorded(false));
    store.getState().applyMonitorPublish(publishFrame());
    await vi.waitFor(() => expect(sent.some((m) => m.type === 'monitor.publish.state')).toBe(true));

    store.getState().toggleSecurePause('i1');
    // Before the server hears of the pause, nothing of the call enters the mix and nothing is sent.
    expect(mixers[0]!.inputs.at(-1)).toEqual([]);
    expect(log.at(-1)).toBe('producer.pause');
    const pauseIndex = sent.findIndex((m) => m.type === 'recording.pause');
    expect(pauseIndex).toBeGreaterThan(-1);

    store.getState().toggleSecurePause('i1');
    expect(mixers[0]!.inputs.at(-1)).toEqual(['remote', 'mic']);
    expect(log.at(-1)).toBe('producer.resume');
  });

  it('an unrecorded call can be paused while monitored (policy permitting): the pause reaches the server and stops the producer; not once monitoring is gone, unless a pause is on', async () => {
    const { store, sent, log, mixers, setCall } = setup();
    const unrecorded = (paused: boolean) => ({ type: 'recording.state' as const, interactionId: 'i1', recording: false, paused });
    setCall({});
    store.getState().applyRecordingState(unrecorded(false));
    expect(canSecurePause(store.getState(), 'i1')).toBe(false);
    store.getState().toggleSecurePause('i1');
    expect(sent.some((m) => m.type === 'recording.pause')).toBe(false);

    // The policy lets monitoring go on through a pause: still nothing to pause.
    store.getState().applyMonitorPublish(publishFrame({ pauseOnSecurePause: false }));
    await vi.waitFor(() => expect(sent.some((m) => m.type === 'monitor.publish.state')).toBe(true));
    expect(canSecurePause(store.getState(), 'i1')).toBe(false);

    store.getState().applyMonitorPublish(publishFrame());
    expect(canSecurePause(store.getState(), 'i1')).toBe(true);
    // The hotkey finds the monitored call too.
    store.getState().toggleSecurePause();
    expect(sent.at(-1)).toMatchObject({ type: 'recording.pause', interactionId: 'i1' });
    expect(mixers[0]!.inputs.at(-1)).toEqual([]);
    expect(log.at(-1)).toBe('producer.pause');
    expect(store.getState().recordings.byInteraction.i1).toMatchObject({ recording: false });
    expect(store.getState().securePause.byInteraction.i1).toMatchObject({ paused: true, pending: 'pause' });
    store.getState().applyRecordingState(unrecorded(true));
    expect(store.getState().securePause.byInteraction.i1).toMatchObject({ paused: true, pending: null });

    // Monitoring ends during the pause: the pause can still be ended.
    store.getState().applyMonitorPublish({ type: 'monitor.publish', interactionId: 'i1', roomId: null, pauseOnSecurePause: false });
    expect(canSecurePause(store.getState(), 'i1')).toBe(true);
    store.getState().toggleSecurePause('i1');
    expect(sent.at(-1)).toMatchObject({ type: 'recording.resume', interactionId: 'i1' });
    store.getState().applyRecordingState(unrecorded(false));
    expect(canSecurePause(store.getState(), 'i1')).toBe(false);
  });

  it('a call already paused publishes paused; with the policy off a pause does not stop it', async () => {
    const { store, sent, log, mixers, setCall } = setup();
    setCall({});
    store.getState().applyRecordingState(recorded(true));
    store.getState().applyMonitorPublish(publishFrame());
    await vi.waitFor(() => expect(sent.some((m) => m.type === 'monitor.publish.state')).toBe(true));
    expect(mixers[0]!.inputs.at(-1)).toEqual([]);
    expect(log).toEqual(['publish monitor:i1:a mix-track', 'producer.pause']);

    store.getState().applyMonitorPublish(publishFrame({ pauseOnSecurePause: false }));
    expect(mixers[0]!.inputs.at(-1)).toEqual(['remote', 'mic']);
    expect(log.at(-1)).toBe('producer.resume');
  });

  it('stops publishing when nobody listens any more, or when the call ends; hides the notice', async () => {
    const { store, sent, log, mixers, setCall } = setup();
    setCall({});
    store.getState().applyMonitorPublish(publishFrame());
    await vi.waitFor(() => expect(sent.length).toBe(1));
    store.getState().applyMonitorPublish({ type: 'monitor.publish', interactionId: 'i1', roomId: null, pauseOnSecurePause: false });
    expect(log.at(-1)).toBe('producer.close');
    expect(mixers[0]!.closed).toBe(true);
    expect(store.getState().monitoring.notices.i1).toBeUndefined();

    store.getState().applyMonitorPublish(publishFrame({ roomId: 'monitor:i1:b' }));
    await vi.waitFor(() => expect(sent.length).toBe(2));
    setCall({ phase: 'ended' });
    expect(log.at(-1)).toBe('producer.close');
    expect(mixers[1]!.closed).toBe(true);
    expect(store.getState().monitoring.notices.i1).toBeUndefined();
  });

  it('the policy can hide the notice; a publish that fails is reported to the server', async () => {
    const { store, sent, setCall, failPublishWith } = setup();
    setCall({});
    failPublishWith('no common codec');
    store.getState().applyMonitorPublish(publishFrame({ listeners: undefined }));
    expect(noticeText(store.getState().monitoring.notices.i1!)).toBeNull();
    await vi.waitFor(() => expect(sent).toContainEqual({ type: 'monitor.publish.state', interactionId: 'i1', state: 'failed', message: 'no common codec' }));
  });
});

describe('monitoring slice: the supervisor listens', () => {
  const state = (status: 'connecting' | 'live' | 'paused' | 'ended', extra: Record<string, unknown> = {}) => ({
    type: 'monitor.state' as const,
    interactionId: 'i1',
    agentId: 'a1',
    agentName: 'agent1',
    status,
    roomId: 'monitor:i1:a',
    ...extra,
  });

  it('starts, listens to the room, plays what arrives, shows "paused", ends with a notice', async () => {
    const { store, sent, listens, notices } = setup();
    store.getState().startMonitoring('i1', 'agent1');
    expect(sent[0]).toMatchObject({ type: 'monitor.start', interactionId: 'i1' });
    expect(store.getState().monitoring.listening.i1?.status).toBe('starting');
    store.getState().applyMonitorState(state('connecting'));
    await vi.waitFor(() => expect(listens).toHaveLength(1));
    const stream = { id: 'heard' } as MediaStream;
    listens[0]!.onStream(stream);
    store.getState().applyMonitorState(state('live'));
    expect(store.getState().monitoring.listening.i1).toMatchObject({ status: 'live', stream });
    store.getState().applyMonitorState(state('paused'));
    expect(store.getState().monitoring.listening.i1?.status).toBe('paused');
    expect(listens).toHaveLength(1);

    store.getState().applyMonitorState(state('ended', { reason: 'call_ended' }));
    expect(store.getState().monitoring.listening.i1).toBeUndefined();
    expect(listens[0]!.closed).toBe(true);
    expect(notices).toEqual(["Listening to agent1's call ended: the call ended."]);
  });

  it('a refused start clears the row; stop closes the audio at once', async () => {
    const { store, sent, listens } = setup();
    store.getState().startMonitoring('i1', 'agent1');
    const id = (sent[0] as { id: string }).id;
    store.getState().applyMonitorError({ type: 'error', code: 'forbidden', message: 'policy', ref: id });
    expect(store.getState().monitoring.listening.i1).toBeUndefined();

    store.getState().startMonitoring('i1', 'agent1');
    store.getState().applyMonitorState(state('live'));
    await vi.waitFor(() => expect(listens).toHaveLength(1));
    store.getState().stopMonitoring('i1');
    expect(sent.at(-1)).toEqual({ type: 'monitor.stop', interactionId: 'i1' });
    expect(listens[0]!.closed).toBe(true);
    expect(store.getState().monitoring.listening.i1).toBeUndefined();
  });
});

describe('monitoring logic', () => {
  it('names the listeners', () => {
    const l = (username: string) => ({ userId: username, username, displayName: username });
    expect(noticeText({ interactionId: 'x', listeners: [l('super1')] })).toBe('super1 is listening');
    expect(noticeText({ interactionId: 'x', listeners: [l('super1'), l('super2'), l('admin')] })).toBe('super1, super2 and admin are listening');
    expect(noticeText({ interactionId: 'x', listeners: [] })).toBeNull();
  });

  it('offers only connected calls', () => {
    expect(
      monitorableCalls({
        interactions: [
          { id: 'a', kind: 'call', status: 'active' },
          { id: 'b', kind: 'chat', status: 'active' },
          { id: 'c', kind: 'call', status: 'wrapup' },
        ],
      }),
    ).toEqual(['a']);
    // A sensitive call whose category the server withheld (no permission) offers no Listen; one with it does.
    expect(
      monitorableCalls({
        interactions: [
          { id: 'a', kind: 'call', status: 'active', sensitive: { category: null } },
          { id: 'b', kind: 'call', status: 'active', sensitive: { category: 'health' } },
        ],
      }),
    ).toEqual(['b']);
  });
});

describe('monitoring slice: whisper and barge on the agent side', () => {
  it("receives the speaker's voice, plays it in the notice, sends it on to the customer only in barge, and drops it when the supervisor goes back to listening", async () => {
    const { store, listens, setCall } = setup();
    setCall({});
    const voiceTo: (string | null)[] = [];
    store.setState({ setCallVoice: (_id: string, stream: MediaStream | null) => void voiceTo.push(stream?.id ?? null) } as never);
    const speaker = { userId: 's1', username: 'super1', displayName: 'Sam' };
    store.getState().applyMonitorPublish(publishFrame({ listeners: undefined, voice: { roomId: 'monitor:i1:voice-x', mode: 'whisper', speaker } }));
    // Named and how, even though the policy hides who listens.
    expect(noticeText(store.getState().monitoring.notices.i1!)).toBe('super1 is whispering to you (the customer cannot hear)');
    await vi.waitFor(() => expect(listens.map((l) => l.roomId)).toContain('monitor:i1:voice-x'));
    const voice = { id: 'voice', getAudioTracks: () => [{ readyState: 'live' }] } as unknown as MediaStream;
    listens.find((l) => l.roomId === 'monitor:i1:voice-x')!.onStream(voice);
    expect(store.getState().monitoring.notices.i1!.voiceStream).toBe(voice);
    // Whisper: the customer gets the microphone alone.
    expect(voiceTo.at(-1)).toBeNull();

    store.getState().applyMonitorPublish(publishFrame({ listeners: undefined, voice: { roomId: 'monitor:i1:voice-x', mode: 'barge', speaker } }));
    expect(voiceTo.at(-1)).toBe('voice');
    expect(listens.filter((l) => l.roomId === 'monitor:i1:voice-x')).toHaveLength(1);
    expect(noticeText(store.getState().monitoring.notices.i1!)).toBe('super1 has joined the call (barge): the customer hears them too');

    store.getState().applyMonitorPublish(publishFrame());
    expect(listens.find((l) => l.roomId === 'monitor:i1:voice-x')!.closed).toBe(true);
    expect(store.getState().monitoring.notices.i1!.voiceStream).toBeNull();
    expect(voiceTo.at(-1)).toBeNull();
    expect(noticeText(store.getState().monitoring.notices.i1!)).toBe('super1 is listening');
  });
});
