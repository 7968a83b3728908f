import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runShortcut, type ShortcutUi } from '../../../../renderer/features/shortcuts/shortcut-actions';
import { FakeWebSocket } from '../fake-websocket';
import { detail, summary } from '../fixtures';
import { signedInWork } from '../work-harness';

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

const offerFrame = (id: string) => ({
  type: 'offer',
  interaction: summary({ id, kind: 'chat', status: 'offered', agentId: null, agentName: null, answeredAt: null }),
  expiresAt: '2099-01-01T00:00:00.000Z',
});

function fakeUi(focused: string | null = null) {
  return {
    openHelp: vi.fn(),
    focusReply: vi.fn(),
    focusCall: vi.fn(),
    focusedConversation: () => focused,
  } satisfies ShortcutUi;
}

describe('what a shortcut acts on', () => {
  it('accepts and declines the oldest offer not already being answered', async () => {
    const { store, socket } = await signedInWork();
    socket.serverSend(offerFrame('i-1'));
    socket.serverSend(offerFrame('i-2'));
    const ui = fakeUi();
    expect(runShortcut('accept', store.getState(), ui)).toBe(true);
    expect(socket.framesOfType('offer.accept').map((f) => f.interactionId)).toEqual(['i-1']);
    expect(runShortcut('decline', store.getState(), ui)).toBe(true);
    expect(socket.framesOfType('offer.decline').map((f) => f.interactionId)).toEqual(['i-2']);
    // Nothing left to answer: the key is left to the page.
    expect(runShortcut('accept', store.getState(), ui)).toBe(false);
  });

  it('ends the selected chat with hang up when there is no call, and walks the conversations', async () => {
    const { store, socket } = await signedInWork();
    socket.serverSend({ type: 'interaction.opened', interaction: detail({ id: 'c-1' }) });
    socket.serverSend({ type: 'interaction.opened', interaction: detail({ id: 'c-2' }) });
    const selected = store.getState().chats.selectedId!;
    const other = selected === 'c-1' ? 'c-2' : 'c-1';

    const ui = fakeUi(selected);
    expect(runShortcut('nextConversation', store.getState(), ui)).toBe(true);
    expect(store.getState().chats.selectedId).toBe(other);
    expect(ui.focusReply).toHaveBeenCalledWith(other);
    expect(runShortcut('previousConversation', store.getState(), fakeUi(other))).toBe(true);
    expect(store.getState().chats.selectedId).toBe(selected);

    const focus = fakeUi();
    expect(runShortcut('focusReply', store.getState(), focus)).toBe(true);
    expect(focus.focusReply).toHaveBeenCalledWith(selected);

    expect(runShortcut('hangUp', store.getState(), ui)).toBe(true);
    expect(socket.framesOfType('interaction.end').map((f) => f.interactionId)).toEqual([selected]);
  });

  it('does nothing for call keys without a call, and opens the help', async () => {
    const { store } = await signedInWork();
    const ui = fakeUi();
    for (const action of ['mute', 'hold', 'securePause', 'hangUp', 'nextConversation', 'focusReply'] as const) {
      expect(runShortcut(action, store.getState(), ui)).toBe(false);
    }
    expect(runShortcut('help', store.getState(), ui)).toBe(true);
    expect(ui.openHelp).toHaveBeenCalledOnce();
  });
});
