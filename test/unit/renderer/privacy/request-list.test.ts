import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { privacyHttp } from '../../../../renderer/features/privacy/privacy-api';
import { POLL_MS, createRequestList } from '../../../../renderer/features/privacy/request-list';
import { fakePrivacyServer, request } from './fake-privacy-server';

beforeEach(() => {
  // Only the poll timer is faked: the fetch answers' bodies are read on the real event loop.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  const server = fakePrivacyServer();
  const onUnauthenticated = vi.fn();
  const list = createRequestList({ http: privacyHttp('http://server.test', 'tok-1', server.fetchImpl), onUnauthenticated });
  return { server, list, onUnauthenticated };
}

describe('privacy request list', () => {
  it('polls about once a second while a request works, shows its progress, and stops once none is open', async () => {
    const { server, list } = setup();
    server.state.lists = [
      [request({ status: 'searching' })],
      [request({ status: 'working', progress: { done: 3, total: 10 } })],
      [request({ status: 'completed', progress: { done: 10, total: 10 }, tookMs: 840, stores: [{ store: 'chat_messages', found: 12, done: 12 }] })],
    ];
    await list.start();
    expect(list.store.getState()).toMatchObject({ status: 'ready', polling: true });
    expect(server.listCalls()).toBe(1);

    await vi.advanceTimersByTimeAsync(POLL_MS);
    await vi.waitFor(() => expect(list.store.getState().requests[0]?.status).toBe('working'));
    expect(list.store.getState().requests[0]!.progress).toEqual({ done: 3, total: 10 });

    await vi.advanceTimersByTimeAsync(POLL_MS);
    await vi.waitFor(() => expect(list.store.getState().requests[0]?.status).toBe('completed'));
    expect(list.store.getState().polling).toBe(false);
    const calls = server.listCalls();
    expect(calls).toBe(3);

    // Nothing open: a minute passes without one more request.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.listCalls()).toBe(calls);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a new request starts the polling again; leaving the view stops it', async () => {
    const { server, list } = setup();
    server.state.lists = [[request({ status: 'completed' })]];
    await list.start();
    expect(list.store.getState().polling).toBe(false);

    server.state.lists = [[request({ id: 'req-2', status: 'received', createdAt: '2026-12-04T22:00:00.000Z' }), request({ status: 'completed' })]];
    await list.refresh();
    expect(list.store.getState().requests.map((r) => r.id)).toEqual(['req-2', 'req-1']);
    expect(list.store.getState().polling).toBe(true);

    list.stop();
    const calls = server.listCalls();
    await vi.advanceTimersByTimeAsync(10 * POLL_MS);
    expect(server.listCalls()).toBe(calls);
    expect(list.store.getState().polling).toBe(false);
  });

  it('keeps the last list and says what to do when a refresh fails, and retries while a request is open', async () => {
    const { server, list } = setup();
    server.state.lists = [[request({ status: 'working' })]];
    await list.start();
    server.state.failWith = { status: 503, code: 'internal', message: 'The database is busy.' };
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await vi.waitFor(() => expect(list.store.getState().error).toMatch(/The database is busy\..*check the connection/));
    expect(list.store.getState().requests).toHaveLength(1);
    expect(list.store.getState().polling).toBe(true);

    server.state.failWith = null;
    server.state.lists = [[request({ status: 'completed' })]];
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await vi.waitFor(() => expect(list.store.getState()).toMatchObject({ error: null, polling: false }));
  });

  it('an ended session signs out instead of polling on', async () => {
    const { server, list, onUnauthenticated } = setup();
    server.state.failWith = { status: 401, code: 'unauthenticated', message: 'Sign in again.' };
    await list.start();
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
