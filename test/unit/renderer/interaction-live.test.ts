import { describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { DesktopBridge } from '../../../shared';
import type { AppState } from '../../../renderer/app/store-types';
import { reportInteractionLive, selectInteractionLive } from '../../../renderer/features/update/interaction-live';

// Only the parts the selector reads; the rest of AppState does not matter here.
type Parts = { chats: { byId: Record<string, { ended: boolean }> }; calls: { order: string[]; byId: Record<string, { phase: string }> }; wrapups: { order: string[] } };
const idle: Parts = { chats: { byId: {} }, calls: { order: [], byId: {} }, wrapups: { order: [] } };
const asState = (parts: Parts) => parts as unknown as AppState;

describe('interaction live, for the desktop updater', () => {
  it('is live with an open chat, a call not over or a wrap-up not submitted', () => {
    expect(selectInteractionLive(asState(idle))).toBe(false);
    expect(selectInteractionLive(asState({ ...idle, chats: { byId: { c1: { ended: false } } } }))).toBe(true);
    expect(selectInteractionLive(asState({ ...idle, chats: { byId: { c1: { ended: true } } } }))).toBe(false);
    expect(selectInteractionLive(asState({ ...idle, calls: { order: ['k1'], byId: { k1: { phase: 'connected' } } } }))).toBe(true);
    expect(selectInteractionLive(asState({ ...idle, calls: { order: ['k1'], byId: { k1: { phase: 'ended' } } } }))).toBe(false);
    expect(selectInteractionLive(asState({ ...idle, wrapups: { order: ['c1'] } }))).toBe(true);
  });

  it('tells the desktop host at start and on each change only', () => {
    const store = createStore<Parts>(() => idle);
    const setInteractionLive = vi.fn(async (_live: boolean) => {});
    reportInteractionLive(store as never, { setInteractionLive } as unknown as DesktopBridge, () => {});
    store.setState({ chats: { byId: { c1: { ended: false } } } });
    store.setState({ chats: { byId: { c1: { ended: false }, c2: { ended: false } } } });
    store.setState({ chats: { byId: { c1: { ended: true }, c2: { ended: true } } }, wrapups: { order: ['c1'] } });
    store.setState({ wrapups: { order: [] } });
    expect(setInteractionLive.mock.calls.map(([live]) => live)).toEqual([false, true, false]);
  });

  it('does nothing on a host without updates (the web agent)', () => {
    const store = createStore<Parts>(() => idle);
    expect(() => reportInteractionLive(store as never, {} as DesktopBridge, () => {})()).not.toThrow();
  });
});
