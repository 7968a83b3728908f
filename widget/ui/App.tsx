import { useState, useSyncExternalStore } from 'react';
import type { WidgetController } from '../lib/controller';
import { startLineText, stateLineText } from '../lib/state-line';
import { CallPanel } from './CallPanel';
import { ChatPanel } from './ChatPanel';
import { ConsentPanel } from './ConsentPanel';
import { ErrorList } from './ErrorList';
import { LeaveConfirmation, LeaveMessage } from './LeaveMessage';
import { PrivacyLine } from './NoticesPanel';
import { privacyNoticeLine } from '../lib/notices';
import { StartForm, type StartFormValues } from './StartForm';

export function App({ controller }: { controller: WidgetController }) {
  const s = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const [form, setForm] = useState<StartFormValues>({ name: '', email: '', queueId: '', birthYear: '', consents: [] });

  const queueId = s.queues.some((q) => q.id === form.queueId) ? form.queueId : (s.queues[0]?.id ?? '');
  const queue = s.queues.find((q) => q.id === queueId) ?? null;
  const session = s.session;
  const footerPrivacy = s.notices ? privacyNoticeLine(s.notices) : null;
  const over = s.customerState?.state === 'ended' || s.fatal !== null;

  const line = session
    ? stateLineText({ phase: s.phase, state: s.customerState, ending: s.ending, fatal: s.fatal })
    : startLineText({
        queuesStatus: s.queuesStatus,
        queue,
        queueCount: s.queues.length,
        starting: s.starting,
        askingMic: s.call.status === 'mic',
        leaveSent: s.leave.status === 'sent',
      });
  const tone = !session ? 'neutral' : over ? 'ended' : s.phase === 'reconnecting' ? 'warn' : s.customerState?.state === 'connected' ? 'ok' : 'neutral';

  return (
    <main className="widget">
      <header className="widget-header">
        <h1>Contact us</h1>
        <p className="widget-sub">{session ? (session.kind === 'call' ? 'Voice call' : 'Chat') : 'Chat or call with our team'}</p>
      </header>

      <p className={`widget-state tone-${tone}`} data-testid="widget-state" role="status" aria-live="polite">
        {line}
      </p>
      {session && s.phase === 'reconnecting' && !over && (
        <p className="widget-hint" data-testid="widget-reconnect-hint">
          The connection dropped. {typeof navigator !== 'undefined' && navigator.onLine === false ? 'You seem to be offline — check your internet connection. ' : ''}
          Your messages are kept and sent when it is back.{' '}
          <button type="button" className="link" data-testid="widget-reconnect-now" onClick={() => controller.online()}>
            Try now
          </button>
        </p>
      )}

      <ErrorList errors={s.errors} onDismiss={(id) => controller.dismissError(id)} />

      {!session && (
        <StartForm
          snapshot={s}
          values={{ ...form, queueId }}
          onChange={setForm}
          onStart={(kind) => void controller.start(kind, { ...form, queueId })}
          onRetryQueues={() => void controller.loadQueues()}
          leave={
            queue && queue.membersSignedIn === 0 ? (
              <LeaveMessage
                leave={s.leave}
                name={form.name}
                email={form.email}
                askBirthYear={s.askBirthYear}
                birthYear={form.birthYear}
                showContactFields={false}
                onSend={(text, name, email, birthYear) => controller.leaveMessage({ queueId, name, email, text, birthYear })}
              />
            ) : null
          }
        />
      )}

      {session && (
        <section className="widget-session" aria-label="Conversation">
          {/* Nobody online, or the wait passed the org's maximum queue time: offer to leave a message instead. */}
          {(s.customerState?.state === 'no_agents' || s.customerState?.leaveMessage === true) && !over && (
            <LeaveMessage
              leave={s.leave}
              name={form.name}
              email={form.email}
              askBirthYear={s.askBirthYear}
              birthYear={form.birthYear}
              showContactFields
              onSend={(text, name, email, birthYear) => controller.leaveMessage({ queueId: session.queueId, name, email, text, birthYear })}
            />
          )}
          {s.leave.status === 'sent' && s.customerState?.state !== 'no_agents' && s.customerState?.leaveMessage !== true && <LeaveConfirmation replyTo={s.leave.replyTo} childProtected={s.leave.childProtected} />}
          {session.kind === 'call' && <CallPanel snapshot={s} controller={controller} />}
          {(session.kind === 'chat' || s.chat.messages.length > 0) && <ChatPanel snapshot={s} controller={controller} composer={session.kind === 'chat'} />}
          <ConsentPanel view={s.consents} onWithdraw={(purposeId) => void controller.consent.withdraw(purposeId)} />
          <div className="widget-actions">
            {!over && session.kind === 'chat' && (
              <button type="button" className="secondary" data-testid="widget-end" disabled={s.ending} onClick={() => controller.end()}>
                End chat
              </button>
            )}
            {over && (
              <button type="button" className="primary" data-testid="widget-new" onClick={() => controller.newConversation()}>
                Start a new conversation
              </button>
            )}
          </div>
        </section>
      )}
      {/* What applies is stated before a start (NoticesPanel); during one, the notice stays a click away. */}
      {session && footerPrivacy && (
        <footer className="widget-footer">
          <PrivacyLine line={footerPrivacy} />
        </footer>
      )}
    </main>
  );
}
