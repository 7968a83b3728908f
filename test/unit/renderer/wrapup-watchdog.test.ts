import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from './fake-websocket';
import { signedInWork } from './work-harness';

/**
 * Without local data (storage unavailable) a wrap-up goes over the socket. On a link that died
 * without a close frame no answer ever comes: the form must not stay on "Submitting…".
 */
beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('a wrap-up sent over the socket', () => {
  it('gives the form back with its text when no answer comes within 15 s', async () => {
    const { store, socket } = await signedInWork();
    socket.serverSend({ type: 'wrapup.required', interactionId: 'i-1', dispositions: ['Resolved'], deadline: '2099-01-01T00:00:00.000Z' });
    store.getState().setWrapupField('i-1', 'disposition', 'Resolved');
    store.getState().setWrapupField('i-1', 'notes', 'kept through the silence');
    expect(store.getState().submitWrapup('i-1')).toBe(true);
    expect(socket.framesOfType('wrapup.submit')).toHaveLength(1);
    expect(store.getState().wrapups.byId['i-1']?.submitting).toBe(true);
    vi.advanceTimersByTime(14_999);
    expect(store.getState().wrapups.byId['i-1']?.submitting).toBe(true);
    vi.advanceTimersByTime(1);
    expect(store.getState().wrapups.byId['i-1']).toMatchObject({ submitting: false, notes: 'kept through the silence', error: expect.stringMatching(/No answer from the server/) });
  });

  it('an answer in time closes it as before', async () => {
    const { store, socket } = await signedInWork();
    socket.serverSend({ type: 'wrapup.required', interactionId: 'i-1', dispositions: ['Resolved'], deadline: '2099-01-01T00:00:00.000Z' });
    store.getState().setWrapupField('i-1', 'disposition', 'Resolved');
    store.getState().submitWrapup('i-1');
    socket.serverSend({ type: 'wrapup.done', interactionId: 'i-1', timedOut: false });
    vi.advanceTimersByTime(20_000);
    expect(store.getState().wrapups.order).toEqual([]);
    expect(store.getState().workspace.notices).toEqual([]);
  });
});
