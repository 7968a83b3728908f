import { useEffect, useState } from 'react';
import { useAppStoreApi } from '../../app/store-context';
import { runShortcut, type ShortcutUi } from './shortcut-actions';
import { matchShortcut } from './shortcut-keys';
import { shortcutStore } from './shortcut-store';

const NOT_TYPING_INPUTS = new Set(['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image']);

/** An element the agent types into: a shortcut without Ctrl, Alt or Meta must leave its keys alone. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !NOT_TYPING_INPUTS.has(target.type);
}

function focusLater(find: () => HTMLElement | null) {
  // After React has rendered the newly selected conversation.
  setTimeout(() => find()?.focus(), 0);
}

const ui = (openHelp: () => void): ShortcutUi => ({
  openHelp,
  focusReply: (chatId) => focusLater(() => document.getElementById(`chat-input-${chatId}`)),
  focusCall: (callId) => focusLater(() => document.querySelector<HTMLElement>(`[data-testid="call-panel"][data-interaction-id="${CSS.escape(callId)}"]`)),
  focusedConversation: () => document.activeElement?.closest<HTMLElement>('[data-interaction-id]')?.dataset.interactionId ?? null,
});

/** Listens for the desk's shortcuts on the whole window while the workspace is shown; returns the help overlay's state. */
export function useShortcuts(enabled: boolean): { helpOpen: boolean; closeHelp: () => void } {
  const store = useAppStoreApi();
  const [helpOpen, setHelpOpen] = useState(false);

  useEffect(() => {
    if (!enabled || helpOpen) return;
    const actions = ui(() => setHelpOpen(true));
    const onKeyDown = (event: KeyboardEvent) => {
      // Handled already (a key being captured in Settings, the reply box's own list), or mid-IME.
      if (event.defaultPrevented || event.isComposing) return;
      const press = { key: event.key, code: event.code, ctrlKey: event.ctrlKey, altKey: event.altKey, shiftKey: event.shiftKey, metaKey: event.metaKey, altGraph: event.getModifierState('AltGraph') };
      const action = matchShortcut(shortcutStore().get(), press, { typing: isTypingTarget(event.target) });
      if (action && runShortcut(action, store.getState(), actions)) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled, helpOpen, store]);

  return { helpOpen, closeHelp: () => setHelpOpen(false) };
}
