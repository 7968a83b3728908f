import { type MonitoringPolicy, type MonitorRole } from '../../../shared';
import { fetchMonitoringPolicy, saveMonitoringPolicy } from './monitoring-policy-api';
import { PolicyLoadError } from './PolicyLoadError';
import { usePolicyForm } from './use-policy-form';
import './admin.css';

const ROLES: { role: MonitorRole; label: string }[] = [
  { role: 'supervisor', label: 'Supervisors' },
  { role: 'admin', label: 'Admins' },
];

/** The draft in a fixed order, so "changed" does not depend on the order roles were ticked. */
function normalized(policy: MonitoringPolicy): MonitoringPolicy {
  const order = (roles: MonitorRole[]) => ROLES.map((r) => r.role).filter((r) => roles.includes(r));
  return { ...policy, rolesAllowed: order(policy.rolesAllowed), whisperRoles: order(policy.whisperRoles), bargeRoles: order(policy.bargeRoles) };
}

/**
 * The org's live call monitoring policy, for admins: whether the agent is told who listens, whether
 * secure pause stops the audio, which roles may listen, and which of those may whisper to the agent
 * or barge into the call. The server applies a change to
 * monitoring in progress at once and audits it with before and after.
 */
export function MonitoringPolicyScreen() {
  const form = usePolicyForm<MonitoringPolicy>({
    fetch: fetchMonitoringPolicy,
    save: saveMonitoringPolicy,
    savedText: 'Saved. It applies at once, also to calls being listened to now.',
    normalize: normalized,
  });
  const { load, draft, setDraft, changed, saving, result } = form;

  if (load.status === 'loading' || !draft) {
    if (load.status === 'error') return <PolicyLoadError what="monitoring policy" testId="monitoring-policy-load-error" message={load.message} retry={form.retry} />;
    return <p className="muted">Loading the monitoring policy…</p>;
  }
  const current = draft;
  // A role that may not listen may not whisper or barge either (the server refuses that policy).
  const setRole = (role: MonitorRole, on: boolean) =>
    setDraft(
      on
        ? { ...current, rolesAllowed: [...current.rolesAllowed, role] }
        : { ...current, rolesAllowed: current.rolesAllowed.filter((r) => r !== role), whisperRoles: current.whisperRoles.filter((r) => r !== role), bargeRoles: current.bargeRoles.filter((r) => r !== role) },
    );
  const setModeRole = (key: 'whisperRoles' | 'bargeRoles', role: MonitorRole, on: boolean) =>
    setDraft({ ...current, [key]: on ? [...current[key], role] : current[key].filter((r) => r !== role) });

  return (
    <form
      className="policy-form"
      data-testid="monitoring-policy"
      onSubmit={(e) => {
        e.preventDefault();
        void form.save();
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
      {(
        [
          ['whisperRoles', 'whisper', 'Who may whisper to the agent', 'The agent hears the supervisor; the customer does not.'],
          ['bargeRoles', 'barge', 'Who may barge into the call', 'The agent and the customer both hear the supervisor.'],
        ] as const
      ).map(([key, id, legend, hint]) => (
        <fieldset key={key} className="policy-fieldset">
          <legend>{legend}</legend>
          {ROLES.map(({ role, label }) => (
            <label key={role} className="policy-toggle">
              <input
                type="checkbox"
                data-testid={`monitoring-policy-${id}-${role}`}
                checked={current[key].includes(role)}
                disabled={!current.rolesAllowed.includes(role)}
                onChange={(e) => setModeRole(key, role, e.target.checked)}
              />
              <span>{label}</span>
            </label>
          ))}
          <span className="muted small">{hint} Only roles that may listen. The agent is always told who speaks and how; unticking sends a speaker back to listening at once.</span>
        </fieldset>
      ))}
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
