import { type KeyboardEvent, memo, useEffect, useRef, useState } from 'react';
import { usePageVisible } from '../../../browser/ui/use-page-visible';
import { type ChatMessage, type RedactionKind, redactionNotice, type SensitiveCategory, type SensitiveMark } from '../../../shared';
import { formatClockTime } from '../../app/format';
import { useAppStore } from '../../app/store-context';
import { useNow } from '../../app/use-now';
import { selectIsLive } from '../connection/connection-slice';
import { customerLabel } from '../offers/offer-logic';
import { SensitiveMarkControl } from '../history/SensitiveMarkControl';
import { SensitiveSuggestion } from './SensitiveSuggestion';
import { ChildFlagButton } from '../calls/ChildFlagButton';
import { TransferChooser } from '../workspace/TransferChooser';
import { Composer } from './Composer';
import { DELIVERY_LABELS, type Delivery, deliveryOf, isTyping } from './chat-logic';
import { type ChatEntry, selectChatTabs, selectSelectedChat } from './chats-slice';
import { type OutboxEntry } from './outbox';
import { PauseBanner, SecurePauseButton } from '../secure-pause/SecurePauseControls';
import './chats.css';

function DeliveryMark({ delivery }: { delivery: Delivery }) {
  return (
    <span className={`delivery delivery-${delivery}`} data-testid="chat-delivery" data-delivery={delivery}>
      {DELIVERY_LABELS[delivery]}
    </span>
  );
}

/**
 * One transcript line. Text is rendered as text: markup and links stay inert characters.
 * Memoized: the panel re-renders on every keystroke in the composer, the lines need not.
 */
const MessageItem = memo(function MessageItem({ message, customerSeenUpTo, redacted }: { message: ChatMessage; customerSeenUpTo: number; redacted: readonly RedactionKind[] | undefined }) {
  const delivery = deliveryOf(message, customerSeenUpTo);
  return (
    <li className={`chat-message from-${message.from}`} data-testid="chat-message" data-from={message.from} data-seq={message.seq}>
      <div className="chat-meta">
        <span className="chat-author" data-testid="chat-author">
          {message.authorName}
        </span>
        <time className="muted small" dateTime={message.at}>
          {formatClockTime(message.at)}
        </time>
      </div>
      <p className="chat-text" data-testid="chat-text">
        {message.text}
      </p>
      {redacted && (
        <p className="chat-redaction small muted" data-testid="chat-redaction-notice">
          {redactionNotice(redacted)}
        </p>
      )}
      {delivery && <DeliveryMark delivery={delivery} />}
    </li>
  );
});

function PendingItem({ chatId, entry, authorName }: { chatId: string; entry: OutboxEntry; authorName: string }) {
  const retry = useAppStore((s) => s.retryChatMessage);
  const discard = useAppStore((s) => s.discardChatMessage);
  return (
    <li className="chat-message from-agent pending" data-testid="chat-message" data-from="agent" data-pending="true">
      <div className="chat-meta">
        <span className="chat-author" data-testid="chat-author">
          {authorName}
        </span>
      </div>
      <p className="chat-text" data-testid="chat-text">
        {entry.text}
      </p>
      <DeliveryMark delivery={entry.state} />
      {entry.state === 'failed' && (
        <span className="pending-actions small">
          {entry.error && <span className="inline-note">{entry.error}</span>}
          <button type="button" className="link-button" onClick={() => retry(chatId, entry.clientMsgId)}>
            Retry
          </button>
          <button type="button" className="link-button" onClick={() => discard(chatId, entry.clientMsgId)}>
            Discard
          </button>
        </span>
      )}
    </li>
  );
}

function ChatPanel({ chat }: { chat: ChatEntry }) {
  const markSeen = useAppStore((s) => s.markChatSeen);
  const endChat = useAppStore((s) => s.endChat);
  const removeChat = useAppStore((s) => s.removeChat);
  const hasWrapup = useAppStore((s) => s.wrapups.byId[chat.id] !== undefined);
  const agentName = useAppStore((s) => s.auth.user?.displayName ?? 'You');
  const live = useAppStore(selectIsLive);
  const visible = usePageVisible();
  const now = useNow(1000);
  const logRef = useRef<HTMLOListElement>(null);
  const [transferOpen, setTransferOpen] = useState(false);
  // The server's interaction.updated carries the mark; the answer to our own click shows it sooner.
  const [markEcho, setMarkEcho] = useState<SensitiveMark | null>(null);
  const sensitive = chat.summary.sensitive ?? markEcho;
  const dismissSuggestion = useAppStore((s) => s.dismissSensitiveSuggestion);
  const [preselect, setPreselect] = useState<{ category: SensitiveCategory } | null>(null);
  const suggestion = sensitive ? undefined : chat.sensitiveSuggested?.[0];
  const lastSeq = chat.messages.at(-1)?.seq ?? 0;
  const who = customerLabel(chat.summary.customer);
  const typing = !chat.ended && isTyping(chat.customerTypingAt, now);

  // Shown = seen: report it while this chat is on screen in a visible window.
  useEffect(() => {
    if (visible && live) markSeen(chat.id);
  }, [chat.id, lastSeq, visible, live, markSeen]);

  // Keep the newest message in view.
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [chat.id, lastSeq, chat.outbox.length, typing]);

  return (
    <section className="chat-panel" role="tabpanel" id={`chat-panel-${chat.id}`} aria-labelledby={`chat-tab-${chat.id}`} data-testid="chat-panel" data-interaction-id={chat.id}>
      <header className="chat-header">
        <div>
          <h3 className="chat-customer">{who}</h3>
          <p className="muted small">
            {chat.summary.queueName}
            {chat.summary.customer.email && chat.summary.customer.name ? ` · ${chat.summary.customer.email}` : ''}
          </p>
        </div>
        <div className="chat-actions">
          {/* Shown while the chat's screen is recorded (or a pause is on): the same secure pause as a call's. */}
          {!chat.ended && <SecurePauseButton interactionId={chat.id} />}
          {!chat.ended && (
            <>
              <button type="button" className="button-secondary" data-testid="chat-transfer" onClick={() => setTransferOpen((v) => !v)}>
                Transfer
              </button>
              <button type="button" className="button-danger" data-testid="chat-end" onClick={() => endChat(chat.id)} disabled={!live}>
                End chat
              </button>
            </>
          )}
          {chat.ended && !hasWrapup && (
            <button type="button" className="button-secondary" data-testid="chat-close" onClick={() => removeChat(chat.id)}>
              Close
            </button>
          )}
        </div>
      </header>
      {!chat.ended && <PauseBanner interactionId={chat.id} />}
      {suggestion && (
        <SensitiveSuggestion
          category={suggestion}
          onMark={() => {
            setPreselect({ category: suggestion });
            dismissSuggestion(chat.id, suggestion);
          }}
          onDismiss={() => dismissSuggestion(chat.id, suggestion)}
        />
      )}
      <SensitiveMarkControl interactionId={chat.id} mark={sensitive} onMarked={setMarkEcho} preselect={preselect} />
      {transferOpen && !chat.ended && <TransferChooser interactionId={chat.id} onClose={() => setTransferOpen(false)} />}
      <ChildFlagButton interactionId={chat.id} childProtected={chat.summary.childProtected === true} over={chat.ended} />

      <ol className="chat-log" ref={logRef} aria-live="polite" aria-label={`Conversation with ${who}`} data-testid="chat-log">
        {chat.messages.map((message) => (
          <MessageItem key={message.seq} message={message} customerSeenUpTo={chat.customerSeenUpTo} redacted={chat.redacted[message.id]} />
        ))}
        {chat.outbox.map((entry) => (
          <PendingItem key={entry.clientMsgId} chatId={chat.id} entry={entry} authorName={agentName} />
        ))}
        {chat.messages.length === 0 && chat.outbox.length === 0 && <li className="muted small chat-empty">No messages yet.</li>}
      </ol>
      <p className="typing-line small muted" data-testid="chat-typing" hidden={!typing} aria-hidden={!typing}>
        {who} is typing…
      </p>
      {chat.ended && (
        <p className="chat-ended small" data-testid="chat-ended">
          This chat has ended.{hasWrapup ? ' Complete the wrap-up to close it.' : ''}
        </p>
      )}
      {chat.inputError && (
        <p className="inline-error small" role="alert" data-testid="chat-error">
          {chat.inputError}
        </p>
      )}
      <Composer chat={chat} />
    </section>
  );
}

/** The agent's open chats: one tab each, the selected one below. */
export function ChatWorkspace() {
  const tabs = useAppStore(selectChatTabs);
  const selected = useAppStore(selectSelectedChat);
  const selectChat = useAppStore((s) => s.selectChat);
  if (tabs.length === 0) return null;

  // Arrow keys move between tabs, as in any tab list; Home/End jump to the ends.
  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((t) => t.id === selected?.id);
    const targets: Record<string, number> = {
      ArrowRight: (index + 1) % tabs.length,
      ArrowLeft: (index - 1 + tabs.length) % tabs.length,
      Home: 0,
      End: tabs.length - 1,
    };
    const next = targets[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const tab = tabs[next];
    if (!tab) return;
    selectChat(tab.id);
    document.getElementById(`chat-tab-${tab.id}`)?.focus();
  };

  return (
    <section className="card chats" aria-label="Chats">
      <div className="chat-tabs" role="tablist" aria-label="Open chats" onKeyDown={onTabKey}>
        {tabs.map((tab) => {
          const active = tab.id === selected?.id;
          return (
            <button
              key={tab.id}
              type="button"
              role="tab"
              id={`chat-tab-${tab.id}`}
              aria-selected={active}
              aria-controls={`chat-panel-${tab.id}`}
              tabIndex={active ? 0 : -1}
              className={`chat-tab${active ? ' active' : ''}${tab.ended ? ' ended' : ''}`}
              data-testid="chat-tab"
              data-interaction-id={tab.id}
              onClick={() => selectChat(tab.id)}
            >
              <span className="chat-tab-name">{tab.customerName}</span>
              {tab.unread > 0 && (
                <span className="unread-badge" data-testid="chat-unread" aria-label={`${tab.unread} unread`}>
                  {tab.unread}
                </span>
              )}
              {tab.ended && <span className="muted small"> (ended)</span>}
            </button>
          );
        })}
      </div>
      {selected && <ChatPanel key={selected.id} chat={selected} />}
    </section>
  );
}
