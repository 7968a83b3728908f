import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from './fake-websocket';
import { detail, summary } from './fixtures';
import { fakeApi } from './store-harness';
import { signedInWork } from './work-harness';

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('history: the sensitive mark', () => {
  it('a mark set from the detail shows on the open detail and its list row; null removes it', async () => {
    const api = fakeApi({
      interactions: async () => ({ interactions: [summary({ id: 'h-1', status: 'closed' }), summary({ id: 'h-2', status: 'closed' })], nextBefore: null }),
      interaction: async (_token, id) => detail({ id, status: 'closed' }),
    });
    const { store } = await signedInWork({ api });
    await store.getState().loadHistory();
    await store.getState().openHistoryDetail('h-1');

    const mark = { category: 'health' as const, markedAt: '2026-12-04T20:00:00.000Z', markedBy: 'u-agent1' };
    store.getState().setHistorySensitiveMark('h-1', mark);
    expect(store.getState().history.detail?.data?.sensitive).toEqual(mark);
    expect(store.getState().history.items.map((i) => i.sensitive)).toEqual([mark, undefined]);

    store.getState().setHistorySensitiveMark('h-1', null);
    expect(store.getState().history.detail?.data).not.toHaveProperty('sensitive');
    expect(store.getState().history.items[0]).not.toHaveProperty('sensitive');
  });
});
