import { useEffect, useState } from 'react';
import { CreateNoticeCampaign, DEFAULT_NOTICE_SUBJECT, type NoticeCampaign } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { fetchNoticeCampaign, fetchNoticeCampaigns, startNoticeCampaign } from './notice-campaigns-api';
import './admin.css';

/** How often a running campaign's counts are read again. */
const POLL_MS = 1000;

/** "12 of 40 sent, 1 failed, 27 waiting" and the reasons of failures: counts only, never an address. */
export function progressText(c: NoticeCampaign): string {
  const { total, sent, failed, pending, skipped } = c.counts;
  const parts = [`${sent} of ${total} sent`];
  if (failed > 0) parts.push(`${failed} failed (${c.failures.map((f) => `${f.reason}: ${f.count}`).join(', ')})`);
  if (skipped > 0) parts.push(`${skipped} skipped (erased before their turn)`);
  if (pending > 0) parts.push(`${pending} waiting`);
  return `${c.status === 'completed' ? 'Done' : 'Sending'}: ${parts.join(', ')}.`;
}

/**
 * Notify customers of a material change: one e-mail per distinct customer address on record,
 * through the org's SMTP server, in the background. Shows the latest campaign's progress.
 */
export function NoticeCampaignScreen() {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [latest, setLatest] = useState<NoticeCampaign | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    fetchNoticeCampaigns(serverUrl, token).then(
      (list) => !cancelled && setLatest(list[0] ?? null),
      (err: unknown) => !cancelled && setError(err instanceof Error ? err.message : 'The notice campaigns could not be loaded.'),
    );
    return () => {
      cancelled = true;
    };
  }, [serverUrl, token]);

  const runningId = latest?.status === 'running' ? latest.id : null;
  useEffect(() => {
    if (!token || !runningId) return;
    const timer = setInterval(() => {
      fetchNoticeCampaign(serverUrl, token, runningId).then(setLatest, () => undefined);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [serverUrl, token, runningId]);

  const draft = { ...(subject.trim() ? { subject } : {}), text };
  const check = CreateNoticeCampaign.safeParse(draft);
  const problem = text.trim() === '' || check.success ? null : (check.error.issues[0]?.message ?? 'not valid');

  return (
    <form
      className="policy-form"
      data-testid="notice-campaign"
      onSubmit={(e) => {
        e.preventDefault();
        if (!token || !check.success) return;
        setSending(true);
        setError(null);
        startNoticeCampaign(serverUrl, token, check.data).then(
          (campaign) => {
            setLatest(campaign);
            setText('');
            setSubject('');
          },
          (err: unknown) => setError(err instanceof Error ? err.message : 'The campaign could not be started.'),
        ).finally(() => setSending(false));
      }}
    >
      <label>
        <span className="small">Subject</span>
        <input type="text" value={subject} placeholder={DEFAULT_NOTICE_SUBJECT} data-testid="notice-campaign-subject" onChange={(e) => setSubject(e.target.value)} />
      </label>
      <label>
        <span className="small">Notice</span>
        <textarea rows={5} value={text} data-testid="notice-campaign-text" onChange={(e) => setText(e.target.value)} />
      </label>
      {problem && (
        <p className="inline-error small" role="alert">
          {problem}
        </p>
      )}
      <div className="policy-actions">
        <button type="submit" className="button-primary" data-testid="notice-campaign-send" disabled={sending || runningId !== null || !check.success}>
          {sending ? 'Starting…' : 'Send to every customer on record'}
        </button>
        {error && (
          <span className="inline-error small" role="alert" data-testid="notice-campaign-error">
            {error}
          </span>
        )}
      </div>
      {latest && (
        <p className="small" role="status" data-testid="notice-campaign-progress" data-status={latest.status}>
          {progressText(latest)}
        </p>
      )}
      <p className="muted small">
        One e-mail to each distinct address still on record (within the retention policy), through the org&apos;s SMTP server only. Start and end are kept in the audit log, with counts.
      </p>
    </form>
  );
}
