import { ConsentSettings, type ConsentPurpose } from '../../../shared';
import { fetchConsentSettings, saveConsentSettings } from './consent-settings-api';
import { PolicyLoadError } from './PolicyLoadError';
import { usePolicyForm } from './use-policy-form';
import './admin.css';

/** The first problem with the draft, as the server will see it. */
function problemOf(draft: ConsentSettings): string | null {
  const check = ConsentSettings.safeParse(draft);
  if (check.success) return null;
  const issue = check.error.issues[0];
  return issue ? `${issue.path.join('.') || 'settings'}: ${issue.message}` : 'not valid';
}

/**
 * The privacy notice the widget's start form shows (version and https link) and the purposes a
 * customer may tick (each unticked until they do). A new notice version makes forms still showing
 * the old one ask the customer to reload before they can agree to anything.
 */
export function ConsentSettingsScreen() {
  const form = usePolicyForm<ConsentSettings>({ fetch: fetchConsentSettings, save: saveConsentSettings, savedText: 'Saved. The widget shows it from the next page load.' });
  const { load, draft, setDraft, changed, saving, result } = form;

  if (load.status === 'loading' || !draft) {
    if (load.status === 'error') return <PolicyLoadError what="consent settings" testId="consent-settings-load-error" message={load.message} retry={form.retry} />;
    return <p className="muted">Loading the consent settings…</p>;
  }
  const current = draft;
  const problem = problemOf(current);
  const setPurpose = (i: number, next: Partial<ConsentPurpose>) => setDraft({ ...current, purposes: current.purposes.map((p, k) => (k === i ? { ...p, ...next } : p)) });

  return (
    <form
      className="policy-form"
      data-testid="consent-settings"
      onSubmit={(e) => {
        e.preventDefault();
        void form.save();
      }}
    >
      <fieldset className="policy-fieldset">
        <legend>Privacy notice</legend>
        <label>
          <span className="small">Version</span>
          <input type="text" value={current.noticeVersion} data-testid="consent-notice-version" onChange={(e) => setDraft({ ...current, noticeVersion: e.target.value })} />
        </label>
        <label>
          <span className="small">Link (https)</span>
          <input type="url" value={current.noticeUrl} data-testid="consent-notice-url" onChange={(e) => setDraft({ ...current, noticeUrl: e.target.value })} />
        </label>
      </fieldset>
      <fieldset className="policy-fieldset">
        <legend>Purposes a customer may agree to</legend>
        {current.purposes.length === 0 && <span className="muted small">None: the widget shows the notice only.</span>}
        {current.purposes.map((p, i) => (
          <div key={i} className="redaction-pattern" data-testid="consent-purpose">
            <label>
              <span className="small">Id</span>
              <input type="text" value={p.id} data-testid="consent-purpose-id" onChange={(e) => setPurpose(i, { id: e.target.value })} />
            </label>
            <label>
              <span className="small">What the customer agrees to</span>
              <input type="text" value={p.label} data-testid="consent-purpose-label" onChange={(e) => setPurpose(i, { label: e.target.value })} />
            </label>
            <button type="button" className="button-secondary" onClick={() => setDraft({ ...current, purposes: current.purposes.filter((_, k) => k !== i) })}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="button-secondary" data-testid="consent-purpose-add" onClick={() => setDraft({ ...current, purposes: [...current.purposes, { id: '', label: '' }] })}>
          Add a purpose
        </button>
        <span className="muted small">
          The training library needs <code>training</code>; a conversation marked sensitive also needs <code>training-sensitive</code>.
        </span>
      </fieldset>
      {problem && (
        <p className="inline-error small" role="alert" data-testid="consent-settings-problem">
          {problem}
        </p>
      )}
      <div className="policy-actions">
        <button type="submit" className="button-primary" data-testid="consent-settings-save" disabled={saving || !changed || problem !== null}>
          {saving ? 'Saving…' : 'Save consent settings'}
        </button>
        {result && (
          <span className={result.tone === 'ok' ? 'muted small' : 'inline-error small'} role="status" data-testid="consent-settings-status">
            {result.text}
          </span>
        )}
      </div>
      <p className="muted small">Every change is kept in the audit log with who made it.</p>
    </form>
  );
}
