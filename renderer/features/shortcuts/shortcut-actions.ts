import { type AppState } from '../../app/store-types';
import { isTerminal } from '../calls/call-machine';
import { selectCallList } from '../calls/calls-slice';
import { selectChatTabs } from '../chats/chats-slice';
import { selectIsLive } from '../connection/connection-slice';
import { canSecurePause } from '../secure-pause/secure-pause-slice';
import { type ShortcutAction } from './shortcut-keys';

/** What a shortcut does outside the store: focus and the help overlay. */
export interface ShortcutUi {
  openHelp(): void;
  /** Moves the focus to a chat's reply box (after it was selected). */
  focusReply(chatId: string): void;
  focusCall(callId: string): void;
  /** The conversation the focus is in, if any (else the selected chat counts). */
  focusedConversation(): string | null;
}

/** Conversations in the order next/previous walks them: the live call first, then the chat tabs. */
export function conversationIds(state: AppState): string[] {
  const calls = selectCallList(state)
    .filter((call) => !isTerminal(call.phase))
    .map((call) => call.id);
  return [...calls, ...selectChatTabs(state).map((tab) => tab.id)];
}

/** The oldest offer not already being answered: the one closest to timing out. */
function oldestOffer(state: AppState): string | null {
  return state.offers.order.find((id) => state.offers.byId[id]?.pending === null) ?? null;
}

function liveCall(state: AppState): string | null {
  return selectCallList(state).find((call) => !isTerminal(call.phase))?.id ?? null;
}

/**
 * Carries out a shortcut against the current state. Returns false when there was nothing to act
 * on, so the key press is left to the page (and the agent is not surprised by a swallowed key).
 */
export function runShortcut(action: ShortcutAction, state: AppState, ui: ShortcutUi): boolean {
  switch (action) {
    case 'help':
      ui.openHelp();
      return true;
    case 'accept':
    case 'decline': {
      const offer = oldestOffer(state);
      if (!offer || !selectIsLive(state)) return false;
      if (action === 'accept') state.acceptOffer(offer);
      else state.declineOffer(offer);
      return true;
    }
    case 'hangUp': {
      const call = liveCall(state);
      if (call) {
        state.hangUp(call);
        return true;
      }
      const chat = state.chats.selectedId ? state.chats.byId[state.chats.selectedId] : undefined;
      if (!chat || chat.ended || !selectIsLive(state)) return false;
      return state.endChat(chat.id);
    }
    case 'mute': {
      const call = selectCallList(state).find((c) => !isTerminal(c.phase) && c.phase !== 'starting');
      if (!call) return false;
      state.toggleMute(call.id);
      return true;
    }
    case 'hold': {
      const call = selectCallList(state).find((c) => c.phase === 'connected');
      if (!call || !selectIsLive(state)) return false;
      state.toggleHold(call.id);
      return true;
    }
    case 'securePause': {
      // Only where the button is offered: a recorded or monitored call under the org's policy.
      const call = liveCall(state);
      if (!call || !canSecurePause(state, call)) return false;
      state.toggleSecurePause();
      return true;
    }
    case 'nextConversation':
    case 'previousConversation': {
      const ids = conversationIds(state);
      if (ids.length === 0) return false;
      const current = ui.focusedConversation() ?? state.chats.selectedId;
      const index = current ? ids.indexOf(current) : -1;
      const step = action === 'nextConversation' ? 1 : -1;
      const next = ids[index === -1 ? (step === 1 ? 0 : ids.length - 1) : (index + step + ids.length) % ids.length]!;
      if (state.chats.byId[next]) {
        state.selectChat(next);
        ui.focusReply(next);
      } else {
        ui.focusCall(next);
      }
      return true;
    }
    case 'focusReply': {
      const chat = state.chats.selectedId;
      if (!chat) return false;
      ui.focusReply(chat);
      return true;
    }
  }
}
