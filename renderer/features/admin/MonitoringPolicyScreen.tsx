import { useCallback, useEffect, useState } from 'react';
import { type MonitoringPolicy, type MonitorRole } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { fetchMonitoringPolicy, saveMonitoringPolicy } from './monitoring-policy-api';
import './admin.css';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; saved: MonitoringPolicy };

const ROLES: { role: MonitorRole; label: string }[] = [
  { role: 'supervisor', label: 'Supervisors' },
  { role: 'admin', label: 'Admins' },
];

/** The draft in a fixed order, so "changed" does not depend on the order roles were ticked. */
function normalized(policy: MonitoringPolicy): MonitoringPolicy {
  return { ...policy, rolesAllowed: ROLES.map((r) => r.role).filter((r) => policy.rolesAllowed.includes(r)) };
}

/**
 * The org's live call monitoring policy, for admins: whether the agent is told who listens, whether
 * secure pause stops the audio, and which roles may listen. The server applies a change to
 * monitoring in progress at once and audits it with before and after.
 */
export function MonitoringPolicyScreen() {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [draft, setDraft] = useState<MonitoringPolicy | null>(null);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    setLoad({ status: 'loading' });
    fetchMonitoringPolicy(serverUrl, token).then(
      (policy) => {
        if (cancelled) return;
        setDraft(normalized(policy));
        setLoad({ status: 'ready', saved: normalized(policy) });
      },
      (err: unknown) => !cancelled && setLoad({ status: 'error', message: err instanceof Error ? err.message : 'The policy could not be loaded.' }),
    );
    return () => {
      cancelled = true;
    };
  }, [serverUrl, token, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  if (load.status === 'loading' || (load.status === 'ready' && !draft)) return <p className="muted">Loading the monitoring policy…</p>;
  if (load.status === 'error') {
    return (
      <div className="policy-actions">
        <p className="inline-error" role="alert" data-testid="monitoring-policy-load-error">
          The monitoring policy could not be loaded: {load.message} Check the connection to the server, then try again.
        </p>
        <button type="button" className="button-secondary" onClick={retry}>
          Try again
        </button>
      </div>
    );
  }
  const current = draft!;
  const changed = JSON.stringify(normalized(current)) !== JSON.stringify(load.saved);
  const setRole = (role: MonitorRole, on: boolean) =>
    setDraft(normalized({ ...current, rolesAllowed: on ? [...current.rolesAllowed, role] : current.rolesAllowed.filter((r) => r !== role) }));

  const save = async () => {
    if (!token) return;
    setSaving(true);
    setResult(null);
    try {
      const saved = normalized(await saveMonitoringPolicy(serverUrl, token, normalized(current)));
      setDraft(saved);
      setLoad({ status: 'ready', saved });
      setResult({ tone: 'ok', text: 'Saved. It applies at once, also to calls being listened to now.' });
    } catch (err) {
      setResult({ tone: 'error', text: `Not saved: ${err instanceof Error ? err.message : 'the server could not be reached'}. Check the connection and save again.` });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="policy-form"
      data-testid="monitoring-policy"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label className="policy-toggle">
        <input
          type="checkbox"
          data-testid="monitoring-policy-notice"
          checked={current.showNoticeToAgent}
          onChange={(e) => setDraft({ ...current, showNoticeToAgent: e.target.checked })}
        />
        <span>
          <strong>Tell the agent who is listening</strong>
          <span className="muted small">The agent&apos;s call panel shows &quot;super1 is listening&quot; while anyone monitors the call.</span>
        </span>
      </label>

      <label className="policy-toggle">
        <input
          type="checkbox"
          data-testid="monitoring-policy-pause"
          checked={current.securePauseStopsMonitoring}
          onChange={(e) => setDraft({ ...current, securePauseStopsMonitoring: e.target.checked })}
        />
        <span>
          <strong>Secure pause stops monitoring</strong>
          <span className="muted small">While the agent has paused, listeners hear nothing and see &quot;Paused by agent&quot;.</span>
        </span>
      </label>

      <fieldset className="policy-fieldset">
        <legend>Who may listen to live calls</legend>
        {ROLES.map(({ role, label }) => (
          <label key={role} className="policy-toggle">
            <input type="checkbox" data-testid={`monitoring-policy-role-${role}`} checked={current.rolesAllowed.includes(role)} onChange={(e) => setRole(role, e.target.checked)} />
            <span>{label}</span>
          </label>
        ))}
        <span className="muted small">Agents never can. Unticking a role stops its listeners at once.</span>
      </fieldset>
      {current.rolesAllowed.length === 0 && (
        <p className="muted small" data-testid="monitoring-policy-off">
          With no role ticked, nobody can listen to calls: live monitoring is off.
        </p>
      )}

      <div className="policy-actions">
        <button type="submit" className="button-primary" data-testid="monitoring-policy-save" disabled={saving || !changed}>
          {saving ? 'Saving…' : 'Save monitoring policy'}
        </button>
        {result && (
          <span className={result.tone === 'ok' ? 'muted small' : 'inline-error small'} role="status" data-testid="monitoring-policy-status">
            {result.text}
          </span>
        )}
      </div>
      <p className="muted small">Every change is kept in the audit log with who made it, before and after.</p>
    </form>
  );
}
