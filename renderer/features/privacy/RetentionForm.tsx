import { useState } from 'react';
import { type RetentionPreview } from '../../../shared/api/retention';
import { formatFullDateTime } from '../../app/format';
import { useAppStore } from '../../app/store-context';
import { PolicyLoadError } from '../admin/PolicyLoadError';
import { usePolicyForm } from '../admin/use-policy-form';
import { storeLabel } from './erase-summary';
import { fetchRetentionPolicy, previewRetention, saveRetentionPolicy } from './retention-api';
import { RETENTION_FIELDS, type RetentionTexts, daysProblem, toPolicy, toTexts } from './retention-form';

/** The form keeps text (a half-typed number is not a policy yet); the server sees the policy. */
async function fetchTexts(serverUrl: string, token: string): Promise<RetentionTexts> {
  return toTexts(await fetchRetentionPolicy(serverUrl, token));
}

async function saveTexts(serverUrl: string, token: string, texts: RetentionTexts): Promise<RetentionTexts> {
  const parsed = toPolicy(texts);
  if (!parsed.ok) throw new Error(parsed.message);
  return toTexts(await saveRetentionPolicy(serverUrl, token, parsed.policy));
}

/** Trims and drops leading zeros so "changed" compares what the policy means. */
function normalize(texts: RetentionTexts): RetentionTexts {
  const out = { ...texts };
  for (const { key } of RETENTION_FIELDS) {
    const t = texts[key].trim();
    out[key] = /^\d+$/.test(t) ? String(Number(t)) : t;
  }
  return out;
}

function PreviewTable({ preview }: { preview: RetentionPreview }) {
  const total = preview.classes.reduce((sum, c) => sum + c.stores.reduce((s, x) => s + x.count, 0), 0);
  return (
    <div data-testid="retention-preview-result" data-total={total}>
      <p className="small">
        {total === 0 ? 'Nothing would be purged now.' : `If saved, this would purge now (${formatFullDateTime(preview.at)}):`}
      </p>
      {total > 0 && (
        <table className="privacy-counts">
          <tbody>
            {preview.classes.flatMap((c) =>
              c.stores
                .filter((s) => s.count > 0)
                .map((s) => (
                  <tr key={`${c.retention}/${s.store}`} data-testid="retention-preview-row" data-class={c.retention} data-store={s.store}>
                    <th scope="row">
                      {storeLabel(c.retention)}: {storeLabel(s.store)}
                    </th>
                    <td>{s.count}</td>
                  </tr>
                )),
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * The org's retention policy (admins): days each class of personal data is kept after an
 * interaction closes, empty keeps it. A preview shows what it would purge before it is saved.
 */
export function RetentionForm() {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const form = usePolicyForm<RetentionTexts>({
    fetch: fetchTexts,
    save: saveTexts,
    savedText: 'Saved. The hourly purge follows it from now on, here and on every agent’s computer.',
    normalize,
  });
  const [preview, setPreview] = useState<{ status: 'idle' } | { status: 'loading' } | { status: 'ready'; result: RetentionPreview } | { status: 'error'; message: string }>({ status: 'idle' });
  const { load, draft, setDraft, changed, saving, result } = form;

  if (load.status === 'loading' || !draft) {
    if (load.status === 'error') return <PolicyLoadError what="retention policy" testId="retention-load-error" message={load.message} retry={form.retry} />;
    return <p className="muted">Loading the retention policy…</p>;
  }
  const current = draft;
  const parsed = toPolicy(current);

  const runPreview = async () => {
    if (!token || !parsed.ok) return;
    setPreview({ status: 'loading' });
    try {
      setPreview({ status: 'ready', result: await previewRetention(serverUrl, token, parsed.policy) });
    } catch (err) {
      setPreview({ status: 'error', message: `The preview failed: ${err instanceof Error ? err.message : 'the server could not be reached.'} Check the values and the connection, then preview again.` });
    }
  };

  return (
    <form
      className="policy-form"
      data-testid="retention-policy"
      onSubmit={(e) => {
        e.preventDefault();
        void form.save();
      }}
    >
      <fieldset className="policy-fieldset">
        <legend>Days kept after an interaction closes (empty: kept)</legend>
        {RETENTION_FIELDS.map(({ key, testId, label, hint }) => {
          const problem = daysProblem(key, current[key]);
          return (
            <label key={key} className="retention-field">
              <span>
                <strong>{label}</strong>
                <span className="muted small"> {hint}</span>
              </span>
              <input
                type="text"
                inputMode="numeric"
                value={current[key]}
                placeholder="keep"
                aria-invalid={problem !== null}
                data-testid={testId}
                onChange={(e) => {
                  setDraft({ ...current, [key]: e.target.value });
                  setPreview({ status: 'idle' });
                }}
              />
              {problem && (
                <span className="inline-error small" role="alert" data-testid={`${testId}-error`}>
                  {problem}
                </span>
              )}
            </label>
          );
        })}
      </fieldset>

      <div className="policy-actions">
        <button type="button" className="button-secondary" data-testid="retention-preview" disabled={!parsed.ok || preview.status === 'loading'} onClick={() => void runPreview()}>
          {preview.status === 'loading' ? 'Counting…' : 'Preview what it purges'}
        </button>
        <button type="submit" className="button-primary" data-testid="retention-save" disabled={saving || !changed || !parsed.ok}>
          {saving ? 'Saving…' : 'Save retention policy'}
        </button>
        {result && (
          <span className={result.tone === 'ok' ? 'muted small' : 'inline-error small'} role="status" data-testid="retention-status">
            {result.text}
          </span>
        )}
      </div>
      {preview.status === 'ready' && <PreviewTable preview={preview.result} />}
      {preview.status === 'error' && (
        <p className="inline-error small" role="alert" data-testid="retention-preview-error">
          {preview.message}
        </p>
      )}
      <p className="muted small">Purged data goes the way of an erase: deleted on the server and from every agent’s local copy. Every change is audited.</p>
    </form>
  );
}
