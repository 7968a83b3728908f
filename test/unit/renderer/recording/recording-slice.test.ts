import { describe, expect, it, vi } from 'vitest';
import { type ClientMessage, type InteractionSummary } from '../../../../shared';
import { createAppStore } from '../../../../renderer/app/store';
import { createSessionStore } from '../../../../renderer/features/auth/session-store';
import { type CallEntry } from '../../../../renderer/features/calls/calls-slice';
import { type MediaRecorderLike, type RecorderMedia } from '../../../../renderer/media/recorder/call-recorder';
import { memoryChunkQueue } from '../../../../renderer/media/recorder/chunk-queue';
import { agentUser, fakeApi, fakeBridge, memoryStorage } from '../store-harness';

class FakeRecorder implements MediaRecorderLike {
  state: 'inactive' | 'recording' | 'paused' = 'inactive';
  ondataavailable: ((event: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  calls: string[] = [];
  start() {
    this.calls.push('start');
    this.state = 'recording';
  }
  stop() {
    this.calls.push('stop');
    this.state = 'inactive';
    this.onstop?.();
  }
  pause() {
    this.calls.push('pause');
    this.state = 'paused';
  }
  resume() {
    this.calls.push('resume');
    this.state = 'recording';
  }
  requestData() {
    this.calls.push('requestData');
  }
}

function setup() {
  const recorders: FakeRecorder[] = [];
  const media: RecorderMedia = {
    mix: () => ({ stream: {} as MediaStream, gate: { close: () => undefined, open: () => undefined }, close: () => undefined }),
    createRecorder: () => {
      const r = new FakeRecorder();
      recorders.push(r);
      return r;
    },
  };
  let hotkey: (() => void) | null = null;
  const bridge = { ...fakeBridge(), onSecurePauseHotkey: (listener: () => void) => ((hotkey = listener), () => (hotkey = null)) };
  const queue = memoryChunkQueue();
  const fetchImpl = vi.fn(async (_url: string, _init?: RequestInit) => new Response('{}'));
  const store = createAppStore({
    bridge,
    session: createSessionStore(memoryStorage()),
    createApi: () => fakeApi(),
    createConnection: () => {
      throw new Error('not used');
    },
    now: () => 1_000_000,
    recorder: { media, queue, fetch: fetchImpl as unknown as typeof fetch },
  });
  const sent: ClientMessage[] = [];
  store.setState({ sendMessage: (m: ClientMessage) => (sent.push(m), true) });
  store.setState((s) => ({ auth: { ...s.auth, status: 'signed-in', user: agentUser, token: 'tok-1', serverUrl: 'http://server.test' } }));
  const summary = { id: 'i1', kind: 'call', status: 'active' } as InteractionSummary;
  const call: CallEntry = { id: 'i1', summary, remoteStream: {} as MediaStream, phase: 'connected', muted: false, held: false, connectedAt: 1, reconnecting: false, endedAt: null, error: null };
  const setCall = (next: Partial<CallEntry> | null) =>
    store.setState(() => ({ calls: next ? { byId: { i1: { ...call, ...next } }, order: ['i1'] } : { byId: {}, order: [] } }) as never);
  return { store, recorders, sent, setCall, pressHotkey: () => hotkey?.(), queue, fetchImpl };
}

const frame = (paused: boolean, extra: Record<string, unknown> = {}) => ({ type: 'recording.state' as const, interactionId: 'i1', recording: true, paused, recordingId: 'r1', reminderAfterSeconds: 30, ...extra });

describe('recording slice', () => {
  it('records a connected call the server records; the hotkey pauses at the source and tells the server', async () => {
    const { store, recorders, sent, setCall, pressHotkey } = setup();
    store.getState().applyRecordingState(frame(false));
    setCall({});
    await vi.waitFor(() => expect(recorders[0]?.calls).toEqual(['start']));

    pressHotkey();
    expect(recorders[0]!.calls).toEqual(['start', 'requestData', 'pause']);
    expect(sent).toEqual([{ type: 'recording.pause', interactionId: 'i1' }]);
    expect(store.getState().securePause.byInteraction.i1).toMatchObject({ paused: true, pausedSince: 1_000_000, pending: 'pause', reminderAfterSeconds: 30 });
    // The server confirms.
    store.getState().applyRecordingState(frame(true, { pausedSince: new Date(999_000).toISOString() }));
    expect(store.getState().securePause.byInteraction.i1).toMatchObject({ paused: true, pending: null, pausedSince: 1_000_000 });
    // Another window resumed: this one follows.
    store.getState().applyRecordingState(frame(false));
    expect(recorders[0]!.calls.at(-1)).toBe('resume');
    expect(store.getState().securePause.byInteraction.i1!.paused).toBe(false);
  });

  it('a pause the server has not applied yet is kept and said again', () => {
    const { store, sent } = setup();
    store.getState().applyRecordingState(frame(false));
    store.getState().toggleSecurePause('i1');
    store.getState().applyRecordingState(frame(false));
    expect(store.getState().securePause.byInteraction.i1).toMatchObject({ paused: true, pending: 'pause' });
    expect(sent.map((m) => m.type)).toEqual(['recording.pause', 'recording.pause']);
  });

  it('a call handed over paused is not captured until the agent resumes', async () => {
    const { store, recorders, setCall } = setup();
    store.getState().applyRecordingState(frame(true, { pausedSince: new Date(990_000).toISOString() }));
    setCall({});
    expect(store.getState().securePause.byInteraction.i1!.pausedSince).toBe(990_000);
    await new Promise((r) => setTimeout(r, 10));
    expect(recorders).toHaveLength(0);
    store.getState().toggleSecurePause('i1');
    await vi.waitFor(() => expect(recorders[0]?.calls).toEqual(['start']));
  });

  it('stops and queues the close when the call ends', async () => {
    const { store, recorders, setCall, queue, fetchImpl } = setup();
    store.getState().applyRecordingState(frame(false));
    setCall({});
    await vi.waitFor(() => expect(recorders[0]?.calls).toEqual(['start']));
    setCall({ phase: 'ended' });
    expect(recorders[0]!.calls.at(-1)).toBe('stop');
    // Queued, then sent with the recording agent's session and acknowledged.
    await vi.waitFor(() => expect(fetchImpl.mock.calls.map(([url, init]) => `${url} ${(init?.headers as Record<string, string>).authorization}`)).toEqual(['http://server.test/api/recordings/r1/close Bearer tok-1']));
    await vi.waitFor(async () => expect(await queue.closes()).toEqual([]));
  });
});
