import { useCallback, useEffect, useState } from 'react';
import { PublishPrivacyNoticeRequest, type AdminPrivacyNotice } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { ApiError } from '../../net/api-client';
import { noticeDate } from '../policy/notice-date';
import { fetchPrivacyNotices, publishPrivacyNotice } from '../policy/policy-api';
import { PolicyLoadError } from './PolicyLoadError';
import './admin.css';

const todayUtc = (): string => new Date().toISOString().slice(0, 10);

/**
 * Admin → Policy: publish a privacy notice version (text, effective date, material or not) and see
 * every version with its dates and who accepted it. A published version is never edited: a change
 * is a new version. A material one asks every staff member to accept it at their next sign-in.
 */
export function PrivacyNoticesScreen() {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [notices, setNotices] = useState<AdminPrivacyNotice[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState({ text: '', effectiveDate: todayUtc(), material: true });
  const [publishing, setPublishing] = useState(false);
  const [result, setResult] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  const load = useCallback(async () => {
    if (!token) return;
    setLoadError(null);
    try {
      setNotices(await fetchPrivacyNotices(serverUrl, token));
    } catch (err) {
      setLoadError(err instanceof ApiError ? err.message : 'Could not load the privacy notices.');
    }
  }, [serverUrl, token]);
  useEffect(() => {
    void load();
  }, [load]);

  const check = PublishPrivacyNoticeRequest.safeParse(draft);
  const problem = check.success ? null : (check.error.issues[0] ? `${check.error.issues[0].path.join('.')}: ${check.error.issues[0].message}` : 'not valid');

  const publish = async () => {
    if (!token || !check.success) return;
    setPublishing(true);
    setResult(null);
    try {
      const notice = await publishPrivacyNotice(serverUrl, token, check.data);
      setResult({ tone: 'ok', text: `Published version ${notice.version}, in effect from ${noticeDate(notice.effectiveAt)}.` });
      setDraft({ text: '', effectiveDate: todayUtc(), material: true });
      await load();
    } catch (err) {
      setResult({ tone: 'error', text: err instanceof ApiError ? err.message : 'Could not publish. Try again.' });
    } finally {
      setPublishing(false);
    }
  };

  if (loadError) return <PolicyLoadError what="privacy notices" testId="policy-notices-load-error" message={loadError} retry={() => void load()} />;
  return (
    <div className="policy-form" data-testid="policy-notices">
      <form
        className="policy-form"
        data-testid="policy-publish-form"
        onSubmit={(e) => {
          e.preventDefault();
          void publish();
        }}
      >
        <label>
          <span className="small">Text of the notice</span>
          <textarea rows={6} value={draft.text} data-testid="policy-text" onChange={(e) => setDraft({ ...draft, text: e.target.value })} />
        </label>
        <label>
          <span className="small">Effective date</span>
          <input type="date" value={draft.effectiveDate} data-testid="policy-effective-date" onChange={(e) => setDraft({ ...draft, effectiveDate: e.target.value })} />
        </label>
        <label>
          <input type="checkbox" checked={draft.material} data-testid="policy-material" onChange={(e) => setDraft({ ...draft, material: e.target.checked })} />
          <span className="small"> Material change: every staff member must accept it at their next sign-in (untick for a typo fix: they see an &quot;updated&quot; banner)</span>
        </label>
        {problem && draft.text !== '' && (
          <p className="inline-error small" role="alert">
            {problem}
          </p>
        )}
        <div className="policy-actions">
          <button type="submit" className="button-primary" data-testid="policy-publish" disabled={publishing || problem !== null}>
            {publishing ? 'Publishing…' : 'Publish this version'}
          </button>
          {result && (
            <span className={result.tone === 'ok' ? 'muted small' : 'inline-error small'} role="status" data-testid="policy-publish-status">
              {result.text}
            </span>
          )}
        </div>
        <p className="muted small">A published version cannot be changed or removed; publish a new one instead. Publishing is kept in the audit log.</p>
      </form>
      {notices === null ? (
        <p className="muted">Loading the privacy notices…</p>
      ) : notices.length === 0 ? (
        <p className="muted small">No version published yet.</p>
      ) : (
        <ul className="policy-versions" data-testid="policy-versions">
          {notices.map((n) => (
            <li key={n.id} data-testid="policy-version" data-version={n.version}>
              <strong>Version {n.version}</strong> · in effect from {noticeDate(n.effectiveAt)} · {n.material ? 'material' : 'not material'}
              {n.current && <span className="role-badge"> current</span>}
              <div className="muted small">
                Published {noticeDate(n.publishedAt)}. Accepted by{' '}
                <span data-testid="policy-acceptances">{n.acceptances.length === 0 ? 'nobody yet' : n.acceptances.map((a) => `${a.displayName} (${noticeDate(a.acceptedAt)})`).join(', ')}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
