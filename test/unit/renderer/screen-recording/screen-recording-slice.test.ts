import { describe, expect, it, vi } from 'vitest';
import { type ClientMessage, type InteractionSummary } from '../../../../shared';
import { createAppStore } from '../../../../renderer/app/store';
import { createSessionStore } from '../../../../renderer/features/auth/session-store';
import { type CallEntry } from '../../../../renderer/features/calls/calls-slice';
import { type MediaRecorderLike, type RecorderMedia } from '../../../../renderer/media/recorder/call-recorder';
import { memoryChunkQueue } from '../../../../renderer/media/recorder/chunk-queue';
import { agentUser, fakeApi, fakeBridge, memoryStorage } from '../store-harness';

/** A MediaRecorder that logs what it was asked, for the audio (mixer) and the screen (pipeline) alike. */
function fakeRecorder(log: string[], name: string): MediaRecorderLike {
  const r = {
    state: 'inactive' as MediaRecorderLike['state'],
    ondataavailable: null as ((event: { data: Blob }) => void) | null,
    onstop: null as (() => void) | null,
    onerror: null,
    start: () => void (log.push(`${name}.start`), (r.state = 'recording')),
    stop: () => void (log.push(`${name}.stop`), (r.state = 'inactive'), r.onstop?.()),
    pause: () => void (log.push(`${name}.pause`), (r.state = 'paused')),
    resume: () => void (log.push(`${name}.resume`), (r.state = 'recording')),
    requestData: () => void (log.push(`${name}.requestData`), r.ondataavailable?.({ data: new Blob([name]) })),
  };
  return r;
}

function setup() {
  const log: string[] = [];
  const audio: RecorderMedia = {
    mix: () => ({ stream: {} as MediaStream, gate: { close: () => void log.push('mix.close'), open: () => void log.push('mix.open') }, close: () => undefined }),
    createRecorder: () => fakeRecorder(log, 'audio'),
  };
  const track = { enabled: true, getSettings: () => ({ width: 1280, height: 720 }), addEventListener: () => undefined, stop: () => undefined };
  const capture = vi.fn(async (_fps: number) => ({ getVideoTracks: () => [track], getTracks: () => [track] }) as unknown as MediaStream);
  const store = createAppStore({
    bridge: fakeBridge(),
    session: createSessionStore(memoryStorage()),
    createApi: () => fakeApi(),
    createConnection: () => {
      throw new Error('not used');
    },
    now: () => 1_000_000,
    recorder: { media: audio, queue: memoryChunkQueue(), fetch: (async () => new Response('{}')) as unknown as typeof fetch },
    screenRecorder: {
      capture,
      media: {
        createPipeline: (_t, settings) => (log.push(`pipeline.create masks=${settings.masks.length}`), {
          track: {} as MediaStreamTrack,
          mode: 'main',
          update: (next) => void log.push(`pipeline.blanked=${next.blanked} masks=${next.masks.length}`),
          stats: () => ({ framesIn: 0, framesOut: 0, path: null }),
          stop: () => void log.push('pipeline.stop'),
        }),
        createRecorder: () => fakeRecorder(log, 'screen'),
        streamOf: () => ({}) as MediaStream,
      },
    },
  });
  store.setState({ sendMessage: (_m: ClientMessage) => true });
  store.setState((s) => ({ auth: { ...s.auth, status: 'signed-in', user: agentUser, token: 'tok-1', serverUrl: 'http://server.test' } }));
  const summary = { id: 'i1', kind: 'call', status: 'active' } as InteractionSummary;
  const call: CallEntry = { id: 'i1', summary, remoteStream: {} as MediaStream, phase: 'connected', muted: false, held: false, connectedAt: 1, reconnecting: false, endedAt: null, error: null };
  const setCall = (next: Partial<CallEntry> | null) =>
    store.setState(() => ({ calls: next ? { byId: { i1: { ...call, ...next } }, order: ['i1'] } : { byId: {}, order: [] } }) as never);
  return { store, log, track, capture, setCall };
}

const frame = { type: 'recording.state' as const, interactionId: 'i1', recording: true, paused: false, recordingId: 'r1', screen: { recordingId: 's1', fps: 2 } };

describe('screen recording slice', () => {
  it('records once the agent grants the capture, at the policy frame rate, with the standing masks', async () => {
    const { store, log, capture, setCall } = setup();
    store.getState().setStandingMasks([{ x: 1, y: 2, width: 3, height: 4 }]);
    store.getState().applyRecordingState(frame);
    setCall({});
    await vi.waitFor(() => expect(log).toContain('audio.start'));
    expect(log).not.toContain('screen.start');
    expect(store.getState().screenRecording.recordingInteractionId).toBeNull();
    await store.getState().grantScreenCapture();
    expect(capture).toHaveBeenCalledWith(2);
    await vi.waitFor(() => expect(log).toContain('screen.start'));
    expect(log).toContain('pipeline.create masks=1');
    expect(store.getState().screenRecording.recordingInteractionId).toBe('i1');
  });

  it('secure pause stops the screen at its source in the same step as the audio, before the store changes; resume continues it', async () => {
    const { store, log, track, setCall } = setup();
    store.getState().applyRecordingState(frame);
    setCall({});
    await store.getState().grantScreenCapture();
    await vi.waitFor(() => expect(log).toContain('screen.start'));
    log.length = 0;
    store.getState().toggleSecurePause('i1');
    expect(track.enabled).toBe(false);
    expect(log).toEqual(expect.arrayContaining(['mix.close', 'audio.pause', 'pipeline.blanked=true masks=0', 'screen.requestData', 'screen.pause']));
    expect(log.indexOf('pipeline.blanked=true masks=0')).toBeLessThan(log.indexOf('screen.pause'));
    log.length = 0;
    store.getState().toggleSecurePause('i1');
    expect(log).toEqual(expect.arrayContaining(['screen.resume', 'pipeline.blanked=false masks=0']));
    expect(track.enabled).toBe(true);
  });

  it('the call ending stops the screen recorder and its pipeline', async () => {
    const { store, log, setCall } = setup();
    store.getState().applyRecordingState(frame);
    setCall({});
    await store.getState().grantScreenCapture();
    await vi.waitFor(() => expect(log).toContain('screen.start'));
    setCall(null);
    await vi.waitFor(() => expect(log).toContain('pipeline.stop'));
    expect(store.getState().screenRecording.recordingInteractionId).toBeNull();
  });
});
