import { useAppStore } from '../../app/store-context';
import { noticeDate } from './notice-date';
import { selectPolicy } from './policy-slice';
import './policy.css';

/**
 * Shown after sign-in, before the shell, while the user has not accepted the current material
 * privacy notice: its text and date, accept (the shell opens) or decline (signs out).
 */
export function PolicyGate() {
  const policy = useAppStore(selectPolicy);
  const accept = useAppStore((s) => s.acceptPolicy);
  const decline = useAppStore((s) => s.declinePolicy);
  const notice = policy.notice;
  if (!notice) return null;
  return (
    <main className="policy-page">
      <section className="policy-card" data-testid="policy-notice" aria-labelledby="policy-title">
        <h1 id="policy-title">Privacy notice</h1>
        <p className="muted small" data-testid="policy-notice-date">
          Version {notice.version}, in effect since {noticeDate(notice.effectiveAt)}
        </p>
        <div className="policy-text" data-testid="policy-notice-text">
          {notice.text}
        </div>
        <p className="small">The privacy notice has changed. Read it and accept it to continue; declining signs you out.</p>
        {policy.error && (
          <p className="inline-error small" role="alert" data-testid="policy-error">
            {policy.error}
          </p>
        )}
        <div className="policy-actions">
          <button type="button" className="button-primary" data-testid="policy-accept" disabled={policy.accepting} onClick={() => void accept()}>
            {policy.accepting ? 'Recording…' : 'Accept'}
          </button>
          <button type="button" className="button-secondary" data-testid="policy-decline" disabled={policy.accepting} onClick={() => void decline()}>
            Decline and sign out
          </button>
        </div>
      </section>
    </main>
  );
}
