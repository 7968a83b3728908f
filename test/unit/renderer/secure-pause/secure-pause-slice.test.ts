import { describe, expect, it } from 'vitest';
import { type ClientMessage, type InteractionSummary } from '../../../../shared';
import { createAppStore } from '../../../../renderer/app/store';
import { createSessionStore } from '../../../../renderer/features/auth/session-store';
import { type CallEntry } from '../../../../renderer/features/calls/calls-slice';
import { createCaptureGates } from '../../../../renderer/features/secure-pause/capture-gates';
import { fakeApi, fakeBridge, memoryStorage } from '../store-harness';

function setup(connected = true) {
  const log: string[] = [];
  const captureGates = createCaptureGates();
  const store = createAppStore({
    bridge: fakeBridge(),
    session: createSessionStore(memoryStorage()),
    createApi: () => fakeApi(),
    createConnection: () => {
      throw new Error('not used');
    },
    now: () => 5_000,
    captureGates,
  });
  captureGates.add((id, paused) => log.push(`gate ${id} ${paused ? 'closed' : 'open'} (store paused: ${store.getState().securePause.byInteraction[id]?.paused ?? false})`));
  store.setState({
    sendMessage: (m: ClientMessage) => (log.push(`send ${m.type}`), connected),
    pushNotice: (text: string) => void log.push(`notice ${text}`),
  });
  const summary = { id: 'i1', kind: 'call', status: 'active' } as InteractionSummary;
  const call: CallEntry = { id: 'i1', summary, remoteStream: null, phase: 'connected', muted: false, held: false, connectedAt: 1, reconnecting: false, endedAt: null, error: null };
  store.setState(() => ({ calls: { byId: { i1: call }, order: ['i1'] } }) as never);
  store.getState().applyRecordingState({ type: 'recording.state', interactionId: 'i1', recording: true, paused: false, recordingId: 'r1', reminderAfterSeconds: 45 });
  return { store, log };
}

describe('secure pause slice', () => {
  it('closes every capture gate before the store changes and before the server is asked', () => {
    const { store, log } = setup();
    store.getState().toggleSecurePause('i1');
    expect(log).toEqual(['gate i1 closed (store paused: false)', 'send recording.pause']);
    expect(store.getState().securePause.byInteraction.i1).toEqual({ interactionId: 'i1', paused: true, pausedSince: 5_000, reminderAfterSeconds: 45, pending: 'pause', error: null });
  });

  it('a resume from another window opens the gates; a frame that changes nothing leaves them alone', () => {
    const { store, log } = setup();
    store.getState().applyRecordingState({ type: 'recording.state', interactionId: 'i1', recording: true, paused: true, recordingId: 'r1' });
    store.getState().applyRecordingState({ type: 'recording.state', interactionId: 'i1', recording: true, paused: true, recordingId: 'r1' });
    store.getState().applyRecordingState({ type: 'recording.state', interactionId: 'i1', recording: true, paused: false, recordingId: 'r1' });
    expect(log).toEqual(['gate i1 closed (store paused: false)', 'gate i1 open (store paused: true)']);
  });

  it('offline: the pause holds here, says why the server was not told, and clears that once it confirms', () => {
    const { store, log } = setup(false);
    store.getState().toggleSecurePause('i1');
    expect(log.at(-1)).toBe('notice Recording paused here; the server will be told when the connection is back.');
    expect(store.getState().securePause.byInteraction.i1).toMatchObject({ paused: true, pending: 'pause', error: 'Recording paused here; the server will be told when the connection is back.' });
    store.getState().applyRecordingState({ type: 'recording.state', interactionId: 'i1', recording: true, paused: true, recordingId: 'r1' });
    expect(store.getState().securePause.byInteraction.i1).toMatchObject({ paused: true, pending: null, error: null });
  });
});
