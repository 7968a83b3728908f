import { MAX_NOISE_EPSILON, MIN_NOISE_EPSILON, type AnonymousNoiseSettings } from '../../../shared';
import { fetchReportNoise, saveReportNoise } from './report-settings-api';
import { PolicyLoadError } from './PolicyLoadError';
import { type PolicyForm, usePolicyForm } from './use-policy-form';

const validEpsilon = (e: number) => Number.isFinite(e) && e >= MIN_NOISE_EPSILON && e <= MAX_NOISE_EPSILON;

/** The noise form as it stands, without the loading itself: rendered as is in tests. */
export function ReportNoiseForm({ form }: { form: PolicyForm<AnonymousNoiseSettings> }) {
  const { load, draft, setDraft, changed, saving, result } = form;
  if (load.status === 'loading' || !draft) {
    if (load.status === 'error') return <PolicyLoadError what="noise settings" testId="report-noise-load-error" message={load.message} retry={form.retry} />;
    return <p className="muted">Loading the noise settings…</p>;
  }
  const current = draft;
  return (
    <form
      className="policy-form"
      data-testid="report-noise"
      onSubmit={(e) => {
        e.preventDefault();
        void form.save();
      }}
    >
      <label>
        <input type="checkbox" data-testid="report-noise-enabled" checked={current.enabled} onChange={(e) => setDraft({ ...current, enabled: e.target.checked })} />
        <strong> Add differential-privacy noise to anonymous statistics</strong>
      </label>
      <label>
        <strong>Privacy budget per request (ε)</strong>
        <input
          type="number"
          min={MIN_NOISE_EPSILON}
          max={MAX_NOISE_EPSILON}
          step={0.01}
          data-testid="report-noise-epsilon"
          value={Number.isNaN(current.epsilon) ? '' : current.epsilon}
          onChange={(e) => setDraft({ ...current, epsilon: e.target.valueAsNumber })}
        />
        <span className="muted small">
          Smaller is more private and less exact. Shown counts get whole-number noise; percentiles, transfers and secure pauses are left out while it is on. Small groups are
          still hidden on the true counts. From {MIN_NOISE_EPSILON} to {MAX_NOISE_EPSILON}.
        </span>
      </label>
      <div className="policy-actions">
        <button type="submit" className="button-primary" data-testid="report-noise-save" disabled={saving || !changed || !validEpsilon(current.epsilon)}>
          {saving ? 'Saving…' : 'Save noise settings'}
        </button>
        {result && (
          <span className={result.tone === 'ok' ? 'muted small' : 'inline-error small'} role="status" data-testid="report-noise-status">
            {result.text}
          </span>
        )}
      </div>
    </form>
  );
}

/** The anonymous statistics' optional noise, for admins (privacy principle 6). */
export function ReportNoiseScreen() {
  const form = usePolicyForm<AnonymousNoiseSettings>({
    fetch: fetchReportNoise,
    save: saveReportNoise,
    savedText: 'Saved. Anonymous statistics use it from the next request.',
  });
  return <ReportNoiseForm form={form} />;
}
