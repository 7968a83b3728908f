import { type ChildProtectionPolicy } from '../../../shared';
import { fetchChildProtectionPolicy, saveChildProtectionPolicy } from './child-protection-policy-api';
import { PolicyLoadError } from './PolicyLoadError';
import { type PolicyForm, usePolicyForm } from './use-policy-form';
import './admin.css';

/** The form as it stands (loading, failed, or the draft with Save), without the loading itself: rendered as is in tests. */
export function ChildProtectionPolicyForm({ form }: { form: PolicyForm<ChildProtectionPolicy> }) {
  const { load, draft, setDraft, changed, saving, result } = form;
  if (load.status === 'loading' || !draft) {
    if (load.status === 'error') return <PolicyLoadError what="child-protection policy" testId="child-protection-policy-load-error" message={load.message} retry={form.retry} />;
    return <p className="muted">Loading the child-protection policy…</p>;
  }
  const current = draft;
  return (
    <form
      className="policy-form"
      data-testid="child-protection-policy"
      onSubmit={(e) => {
        e.preventDefault();
        void form.save();
      }}
    >
      <label className="policy-toggle">
        <input
          type="checkbox"
          data-testid="child-protection-ask-birth-year"
          checked={current.askBirthYear}
          onChange={(e) => setDraft({ ...current, askBirthYear: e.target.checked })}
        />
        <span>
          <strong>Ask customers their year of birth</strong>
          <span className="muted small">
            The widget asks everyone a year of birth (not a checkbox) before a chat, a call or a left message. Someone who could be under 13 is asked for no name or
            e-mail, is never recorded, and nothing of the conversation is kept after it ends. The year itself is never stored.
          </span>
        </span>
      </label>
      {!current.askBirthYear && (
        <p className="muted small" data-testid="child-protection-off">
          Off: the widget asks nobody&apos;s age. Agents can still mark a conversation as with a child while it lasts.
        </p>
      )}

      <div className="policy-actions">
        <button type="submit" className="button-primary" data-testid="child-protection-save" disabled={saving || !changed}>
          {saving ? 'Saving…' : 'Save child-protection policy'}
        </button>
        {result && (
          <span className={result.tone === 'ok' ? 'muted small' : 'inline-error small'} role="status" data-testid="child-protection-status">
            {result.text}
          </span>
        )}
      </div>
      <p className="muted small">Every change is kept in the audit log with who made it, before and after.</p>
    </form>
  );
}

/** The org's child-protection policy, for admins (privacy principle 7): whether the widget asks a year of birth. */
export function ChildProtectionPolicyScreen() {
  const form = usePolicyForm<ChildProtectionPolicy>({
    fetch: fetchChildProtectionPolicy,
    save: saveChildProtectionPolicy,
    savedText: 'Saved. The widget follows it from the next start form it shows.',
  });
  return <ChildProtectionPolicyForm form={form} />;
}
