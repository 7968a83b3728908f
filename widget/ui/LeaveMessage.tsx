import { useState } from 'react';
import { looksLikeChild } from '../lib/age-question';
import type { LeaveMessageView } from '../lib/snapshot';
import { MAX_CHAT_TEXT } from '../lib/types';
import { BirthYearField } from './BirthYearField';

const CHILD_NOTE = 'We do not keep messages from children under 13, so our team will not read this one. Come back when someone is online to chat with us.';

export function LeaveConfirmation({ replyTo, childProtected }: { replyTo: string | null; childProtected?: boolean | undefined }) {
  if (childProtected) {
    return (
      <p className="widget-confirmation" data-testid="widget-leave-confirmation" role="status">
        Thank you. {CHILD_NOTE}
      </p>
    );
  }
  return (
    <p className="widget-confirmation" data-testid="widget-leave-confirmation" role="status">
      Thank you — your message was sent to our team.{' '}
      {replyTo ? `We will reply to ${replyTo}.` : 'You did not leave an email, so we cannot write back; add one next time if you want an answer.'}
    </p>
  );
}

/** Shown when nobody is online: the customer leaves a message for the queue instead. */
export function LeaveMessage(props: {
  leave: LeaveMessageView;
  name: string;
  email: string;
  /** The org asks everyone a year of birth (privacy principle 7), here as before a conversation. */
  askBirthYear: boolean;
  /** What the start form holds as year of birth. */
  birthYear: string;
  /** In a conversation the start form is gone, so the year, name and email are asked again here. */
  showContactFields: boolean;
  onSend(text: string, name: string, email: string, birthYear: string): Promise<boolean>;
}) {
  const [text, setText] = useState('');
  const [name, setName] = useState(props.name);
  const [email, setEmail] = useState(props.email);
  const [year, setYear] = useState(props.birthYear);
  const { leave } = props;
  if (leave.status === 'sent') return <LeaveConfirmation replyTo={leave.replyTo} childProtected={leave.childProtected} />;
  const sending = leave.status === 'sending';
  const birthYear = props.showContactFields ? year : props.birthYear;
  // Someone who could be under 13 is asked for no name or e-mail, and told that the message is not kept.
  const child = props.askBirthYear && looksLikeChild(birthYear, new Date());
  return (
    <div className="widget-leave" data-testid="widget-leave">
      <h2>Leave a message</h2>
      {child ? (
        <p className="widget-hint" data-testid="widget-leave-child">
          Nobody can answer live right now. {CHILD_NOTE}
        </p>
      ) : (
        <p className="widget-hint">Nobody can answer live right now. Write to us and we will get back to you.</p>
      )}
      {props.showContactFields && props.askBirthYear && <BirthYearField value={year} onChange={setYear} />}
      {props.showContactFields && !child && (
        <>
          <label>
            <span>
              Your name <em>(optional)</em>
            </span>
            <input data-testid="widget-leave-name" autoComplete="name" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            <span>
              Email <em>(so we can reply)</em>
            </span>
            <input data-testid="widget-leave-email" type="email" autoComplete="email" maxLength={200} value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
        </>
      )}
      <label>
        <span>Your message</span>
        <textarea data-testid="widget-leave-text" rows={4} maxLength={MAX_CHAT_TEXT} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {leave.status === 'error' && leave.error && (
        <p className="widget-inline-error" role="alert" data-testid="widget-leave-error">
          {leave.error}
        </p>
      )}
      <div className="widget-buttons">
        <button
          type="button"
          className="primary"
          data-testid="widget-leave-send"
          disabled={sending || !text.trim()}
          onClick={() => void props.onSend(text, props.showContactFields ? name : props.name, props.showContactFields ? email : props.email, birthYear)}
        >
          {sending ? 'Sending…' : 'Send message'}
        </button>
      </div>
    </div>
  );
}
