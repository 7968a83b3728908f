import type { ConsentPanelView } from '../lib/consent-view';

/** What the customer agreed to in this conversation, each with a withdraw button (during the conversation and after it). */
export function ConsentPanel(props: { view: ConsentPanelView; onWithdraw(purposeId: string): void }) {
  const { items, busy, error } = props.view;
  if (items.length === 0 && !error) return null;
  return (
    <section className="widget-consent-panel" data-testid="widget-consents" aria-label="Your privacy choices">
      <h2>Your privacy choices</h2>
      <ul>
        {items.map((c) => (
          <li key={c.purposeId} data-testid="widget-consent-item" data-purpose={c.purposeId} data-withdrawn={c.withdrawnAt ? 'true' : 'false'}>
            <span>{c.purposeLabel}</span>{' '}
            {c.withdrawnAt ? (
              <em className="widget-hint">withdrawn</em>
            ) : (
              <button type="button" className="link" data-testid={`widget-consent-withdraw-${c.purposeId}`} disabled={busy !== null} onClick={() => props.onWithdraw(c.purposeId)}>
                {busy === c.purposeId ? 'Withdrawing…' : 'Withdraw'}
              </button>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <p className="widget-inline-error" role="alert" data-testid="widget-consent-error">
          {error}
        </p>
      )}
    </section>
  );
}
