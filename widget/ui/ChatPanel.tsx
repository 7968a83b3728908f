import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { DELIVERY_LABEL, displayItems } from '../lib/chat-state';
import type { WidgetController } from '../lib/controller';
import type { WidgetSnapshot } from '../lib/snapshot';
import { lastSeq } from '../../browser/chat/transcript';
import { usePageVisible } from '../../browser/ui/use-page-visible';
import { MAX_CHAT_TEXT } from '../lib/types';

function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function ChatPanel({ snapshot: s, controller, composer }: { snapshot: WidgetSnapshot; controller: WidgetController; composer: boolean }) {
  const items = useMemo(() => displayItems(s.chat, 'You'), [s.chat]);
  const [draft, setDraft] = useState('');
  const listRef = useRef<HTMLOListElement>(null);
  const visible = usePageVisible();
  const seq = lastSeq(s.chat.messages);
  const over = s.customerState?.state === 'ended' || s.fatal !== null;

  // Keep the newest message in view.
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [items.length, s.agentTyping]);

  // Read receipt: everything rendered while the page is visible has been seen.
  useEffect(() => {
    if (visible && seq > 0) controller.displayed(seq);
  }, [controller, seq, visible]);

  const send = () => {
    if (controller.sendChat(draft)) setDraft('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };

  return (
    <div className="widget-chat">
      <ol className="widget-messages" ref={listRef} aria-live="polite" aria-label="Messages" data-testid="widget-messages">
        {items.length === 0 && !over && <li className="widget-empty">Say hello — an agent will see your messages as soon as they join.</li>}
        {items.map((m) => (
          <li key={m.key} className={`widget-message from-${m.from}`} data-testid="widget-message" data-from={m.from} data-delivery={m.delivery ?? undefined}>
            <div className="widget-message-meta">
              <span className="widget-message-author" data-testid="widget-message-author">
                {m.from === 'customer' ? 'You' : m.authorName || (m.from === 'agent' ? 'Agent' : 'Notice')}
              </span>
              <time dateTime={m.at}>{formatTime(m.at)}</time>
            </div>
            {/* Text only: rendered as a text node, never as HTML; links stay plain text. */}
            <div className="widget-message-text" data-testid="widget-message-text">
              {m.text}
            </div>
            {m.redactionNotice && (
              <div className="widget-redaction" data-testid="widget-redaction-notice">
                {m.redactionNotice}
              </div>
            )}
            {m.delivery && (
              <div className={`widget-delivery delivery-${m.delivery}`} data-testid="widget-delivery">
                {DELIVERY_LABEL[m.delivery]}
                {m.delivery === 'failed' && m.error ? ` — ${m.error}` : ''}
                {m.delivery === 'failed' && m.clientMsgId && !over && (
                  <>
                    {' '}
                    <button type="button" className="link" data-testid="widget-message-retry" onClick={() => controller.retryMessage(m.clientMsgId ?? '')}>
                      Retry
                    </button>{' '}
                    <button type="button" className="link" onClick={() => controller.discardMessage(m.clientMsgId ?? '')}>
                      Remove
                    </button>
                  </>
                )}
              </div>
            )}
          </li>
        ))}
      </ol>
      <p className="widget-typing" data-testid="widget-typing" aria-live="polite">
        {s.agentTyping && !over ? 'Agent is typing…' : ' '}
      </p>
      {composer && !over && (
        <form
          className="widget-composer"
          onSubmit={(e) => {
            e.preventDefault();
            send();
          }}
        >
          <label className="visually-hidden" htmlFor="widget-chat-input">
            Your message
          </label>
          <textarea
            id="widget-chat-input"
            data-testid="widget-chat-input"
            rows={2}
            maxLength={MAX_CHAT_TEXT}
            placeholder="Type your message and press Enter"
            value={draft}
            onChange={(e) => {
              setDraft(e.target.value);
              if (e.target.value.trim()) controller.typing();
            }}
            onKeyDown={onKeyDown}
          />
          <button type="submit" className="primary" data-testid="widget-chat-send" disabled={!draft.trim()}>
            Send
          </button>
        </form>
      )}
    </div>
  );
}
