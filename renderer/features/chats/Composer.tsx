import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { type CannedResponse, fillCannedText } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { CannedPicker, cannedQuery, filterCanned } from '../canned/CannedPicker';
import { useCannedResponses } from '../canned/use-canned';
import { customerLabel } from '../offers/offer-logic';
import type { ChatEntry } from './chats-slice';

/** The reply box: Enter sends, Shift+Enter a new line, "/" first opens the saved replies. */
export function Composer({ chat }: { chat: ChatEntry }) {
  const setDraft = useAppStore((s) => s.setChatDraft);
  const sendChat = useAppStore((s) => s.sendChat);
  const agentName = useAppStore((s) => s.auth.user?.displayName ?? '');
  const inputRef = useRef<HTMLTextAreaElement>(null);
  // Typing "/" first opens the org's and the agent's own replies (issue 19).
  const query = chat.ended ? null : cannedQuery(chat.draft);
  const [dismissed, setDismissed] = useState(false);
  const pickerOpen = query !== null && !dismissed;
  const canned = useCannedResponses(pickerOpen);
  const matches = canned.items && query !== null ? filterCanned(canned.items, query) : null;
  const [active, setActive] = useState(0);
  const pickerId = `canned-${chat.id}`;

  // Focus the box when the agent switches to this chat.
  useEffect(() => {
    if (!chat.ended) inputRef.current?.focus();
  }, [chat.id, chat.ended]);
  useEffect(() => {
    setActive(0);
    if (query === null) setDismissed(false);
  }, [query]);

  const pick = (item: CannedResponse) => {
    setDraft(chat.id, fillCannedText(item.text, { customerName: chat.summary.customer.name ?? null, agentName, queueName: chat.summary.queueName }));
    inputRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (pickerOpen && matches && matches.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setActive((a) => (a + (event.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
        return;
      }
      if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
        event.preventDefault();
        pick(matches[Math.min(active, matches.length - 1)]!);
        return;
      }
    }
    if (pickerOpen && event.key === 'Escape') {
      event.preventDefault();
      setDismissed(true);
      return;
    }
    // Enter sends; Shift+Enter makes a new line; never while an IME is composing.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      sendChat(chat.id);
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        sendChat(chat.id);
      }}
    >
      {pickerOpen && <CannedPicker id={pickerId} matches={matches} active={active} error={canned.error} onPick={pick} />}
      <label className="visually-hidden" htmlFor={`chat-input-${chat.id}`}>
        Message to {customerLabel(chat.summary.customer)}
      </label>
      <textarea
        id={`chat-input-${chat.id}`}
        ref={inputRef}
        data-testid="chat-input"
        rows={2}
        value={chat.draft}
        placeholder={chat.ended ? 'This chat has ended.' : 'Type a message — Enter to send, Shift+Enter for a new line, / for a saved reply'}
        disabled={chat.ended}
        aria-controls={pickerOpen ? pickerId : undefined}
        aria-activedescendant={pickerOpen && matches && matches.length > 0 ? `${pickerId}-${active}` : undefined}
        onChange={(e) => setDraft(chat.id, e.target.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="button-accent" data-testid="chat-send" disabled={chat.ended || chat.draft.trim() === ''}>
        Send
      </button>
    </form>
  );
}
