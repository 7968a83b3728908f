import { MIN_ANONYMOUS_K, type ReportSettings } from '../../../shared';
import { fetchReportSettings, saveReportSettings } from './report-settings-api';
import { PolicyLoadError } from './PolicyLoadError';
import { ReportNoiseScreen } from './ReportNoiseForm';
import { type PolicyForm, usePolicyForm } from './use-policy-form';
import './admin.css';

/** The form as it stands (loading, failed, or the draft with Save), without the loading itself: rendered as is in tests. */
export function ReportSettingsForm({ form }: { form: PolicyForm<ReportSettings> }) {
  const { load, draft, setDraft, changed, saving, result } = form;
  if (load.status === 'loading' || !draft) {
    if (load.status === 'error') return <PolicyLoadError what="statistics settings" testId="report-settings-load-error" message={load.message} retry={form.retry} />;
    return <p className="muted">Loading the statistics settings…</p>;
  }
  const current = draft;
  const tooSmall = !Number.isInteger(current.anonymousK) || current.anonymousK < MIN_ANONYMOUS_K;
  return (
    <form
      className="policy-form"
      data-testid="report-settings"
      onSubmit={(e) => {
        e.preventDefault();
        void form.save();
      }}
    >
      <label>
        <strong>Smallest group shown in anonymous statistics (k)</strong>
        <input
          type="number"
          min={MIN_ANONYMOUS_K}
          max={1000}
          step={1}
          data-testid="report-settings-k"
          value={Number.isNaN(current.anonymousK) ? '' : current.anonymousK}
          onChange={(e) => setDraft({ anonymousK: e.target.valueAsNumber })}
        />
        <span className="muted small">
          A queue-hour (or day) with fewer interactions than this is hidden, and enough others with it that no total gives it away. At least {MIN_ANONYMOUS_K}.
        </span>
      </label>
      <div className="policy-actions">
        <button type="submit" className="button-primary" data-testid="report-settings-save" disabled={saving || !changed || tooSmall}>
          {saving ? 'Saving…' : 'Save statistics settings'}
        </button>
        {result && (
          <span className={result.tone === 'ok' ? 'muted small' : 'inline-error small'} role="status" data-testid="report-settings-status">
            {result.text}
          </span>
        )}
      </div>
      <p className="muted small">Every change is kept in the audit log with who made it, before and after.</p>
    </form>
  );
}

/** The org's statistics settings, for admins (privacy principle 6). */
export function ReportSettingsScreen() {
  const form = usePolicyForm<ReportSettings>({
    fetch: fetchReportSettings,
    save: saveReportSettings,
    savedText: 'Saved. Anonymous statistics use it from the next request.',
  });
  return (
    <>
      <ReportSettingsForm form={form} />
      <ReportNoiseScreen />
    </>
  );
}
