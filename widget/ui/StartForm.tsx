import type { ReactNode } from 'react';
import { looksLikeChild } from '../lib/age-question';
import type { WidgetSnapshot } from '../lib/snapshot';
import { BirthYearField } from './BirthYearField';
import { ConsentChoices } from './ConsentChoices';
import { NoticesPanel } from './NoticesPanel';

export interface StartFormValues {
  name: string;
  email: string;
  queueId: string;
  birthYear: string;
  /** Purposes ticked; none by default. */
  consents: string[];
}

export function StartForm(props: {
  snapshot: WidgetSnapshot;
  values: StartFormValues;
  onChange(values: StartFormValues): void;
  onStart(kind: 'chat' | 'call'): void;
  onRetryQueues(): void;
  /** The leave-a-message form, when nobody is online for the chosen queue. */
  leave: ReactNode;
}) {
  const { snapshot: s, values, onChange } = props;
  const busy = s.starting !== null;
  const noQueues = s.queuesStatus === 'ready' && s.queues.length === 0;
  // Someone who could be under 13 is not asked for a name or an e-mail.
  const child = s.askBirthYear && looksLikeChild(values.birthYear, new Date());
  return (
    <form
      className="widget-start"
      onSubmit={(e) => {
        e.preventDefault();
        props.onStart('chat');
      }}
    >
      {s.notice && (
        <p className="widget-notice" data-testid="widget-notice">
          {s.notice}
        </p>
      )}
      {s.askBirthYear && <BirthYearField value={values.birthYear} onChange={(birthYear) => onChange({ ...values, birthYear })} />}
      {!child && (
        <>
          <label>
            <span>
              Your name <em>(optional)</em>
            </span>
            <input data-testid="widget-name" autoComplete="name" maxLength={100} value={values.name} onChange={(e) => onChange({ ...values, name: e.target.value })} />
          </label>
          <label>
            <span>
              Email <em>(optional — so we can reply if we get cut off)</em>
            </span>
            <input
              data-testid="widget-email"
              type="email"
              autoComplete="email"
              maxLength={200}
              value={values.email}
              onChange={(e) => onChange({ ...values, email: e.target.value })}
            />
          </label>
        </>
      )}
      {s.queues.length > 1 && (
        <label>
          <span>Talk to</span>
          <select data-testid="widget-queue" value={values.queueId} onChange={(e) => onChange({ ...values, queueId: e.target.value })}>
            {s.queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
                {q.membersSignedIn === 0 ? ' (nobody online)' : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      {s.queuesStatus === 'error' && (
        <p className="widget-inline-error" role="alert" data-testid="widget-queues-error">
          {s.queuesError}{' '}
          <button type="button" className="link" onClick={props.onRetryQueues}>
            Try again
          </button>
        </p>
      )}
      {noQueues && <p className="widget-hint">Nobody is set up to take conversations yet. Please try again later.</p>}
      <NoticesPanel notices={s.notices} loaded={s.queuesStatus === 'ready'} privacyBelow={!child && s.consentSettings.notice !== null} child={child} />
      {/* A left message records no consent: the notice is shown, the purposes only for a conversation. */}
      {!child && (
        <ConsentChoices
          settings={props.leave ? { ...s.consentSettings, purposes: [] } : s.consentSettings}
          effectiveDate={s.notices?.notice?.effectiveDate ?? null}
          ticked={values.consents}
          onChange={(consents) => onChange({ ...values, consents })}
        />
      )}
      {props.leave ?? (
        <div className="widget-buttons">
          <button type="submit" className="primary" data-testid="widget-chat-start" disabled={busy || !values.queueId}>
            {s.starting === 'chat' ? 'Starting…' : 'Start chat'}
          </button>
          <button type="button" className="secondary" data-testid="widget-call-start" disabled={busy || !values.queueId} onClick={() => props.onStart('call')}>
            {s.starting === 'call' ? (s.call.status === 'mic' ? 'Allow the microphone…' : 'Starting…') : 'Call us'}
          </button>
        </div>
      )}
      {props.leave && (
        <p className="widget-hint">
          <button type="button" className="link" onClick={props.onRetryQueues}>
            Check again
          </button>{' '}
          whether someone is online now.
        </p>
      )}
      {s.startError && (
        <p className="widget-inline-error" role="alert" data-testid="widget-start-error">
          {s.startError}
        </p>
      )}
    </form>
  );
}
