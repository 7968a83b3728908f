import { useEffect, useState } from 'react';
import { type RecordingPolicy } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { fetchRecordingPolicy, reminderSecondsError, saveRecordingPolicy } from './policy-api';
import './admin.css';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; saved: RecordingPolicy };

/**
 * The org's recording policy, for admins: whether calls are recorded, who may play recordings,
 * and when the secure-pause banner reminds the agent. Applies to calls that connect after saving.
 */
export function RecordingPolicyScreen() {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [recordCalls, setRecordCalls] = useState(false);
  const [agentsMayPlayOwn, setAgentsMayPlayOwn] = useState(false);
  const [reminder, setReminder] = useState('');
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  const show = (policy: RecordingPolicy) => {
    setRecordCalls(policy.recordCalls);
    setAgentsMayPlayOwn(policy.agentsMayPlayOwn);
    setReminder(String(policy.reminderAfterSeconds));
  };

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    fetchRecordingPolicy(serverUrl, token).then(
      (policy) => {
        if (cancelled) return;
        show(policy);
        setLoad({ status: 'ready', saved: policy });
      },
      (err: unknown) => !cancelled && setLoad({ status: 'error', message: err instanceof Error ? err.message : 'The policy could not be loaded.' }),
    );
    return () => {
      cancelled = true;
    };
  }, [serverUrl, token]);

  if (load.status === 'loading') return <p className="muted">Loading the recording policy…</p>;
  if (load.status === 'error') {
    return (
      <p className="inline-error" role="alert" data-testid="policy-load-error">
        {load.message}
      </p>
    );
  }

  const reminderError = reminderSecondsError(reminder);
  const draft: RecordingPolicy = { recordCalls, agentsMayPlayOwn, reminderAfterSeconds: Number(reminder) };
  const changed = JSON.stringify(draft) !== JSON.stringify(load.saved);

  const save = async () => {
    if (!token || reminderError) return;
    setSaving(true);
    setResult(null);
    try {
      const saved = await saveRecordingPolicy(serverUrl, token, draft);
      show(saved);
      setLoad({ status: 'ready', saved });
      setResult({ tone: 'ok', text: 'Saved. Calls that connect from now on follow this policy.' });
    } catch (err) {
      setResult({ tone: 'error', text: `Not saved: ${err instanceof Error ? err.message : 'the server could not be reached'}. Try again.` });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="policy-form"
      data-testid="recording-policy"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label className="policy-toggle">
        <input type="checkbox" data-testid="policy-record-calls" checked={recordCalls} onChange={(e) => setRecordCalls(e.target.checked)} />
        <span>
          <strong>Record calls</strong>
          <span className="muted small">The agent&apos;s app records both sides of each connected call; agents can pause it (secure pause).</span>
        </span>
      </label>

      <fieldset className="policy-fieldset">
        <legend>Who may play recordings</legend>
        <label className="policy-toggle">
          <input type="checkbox" checked disabled />
          <span>Supervisors and admins (always)</span>
        </label>
        <label className="policy-toggle">
          <input type="checkbox" data-testid="policy-agents-play-own" checked={agentsMayPlayOwn} onChange={(e) => setAgentsMayPlayOwn(e.target.checked)} />
          <span>Agents, their own calls</span>
        </label>
      </fieldset>

      <label className="field compact">
        <span>Remind the agent after a secure pause of (seconds)</span>
        <input
          type="number"
          min={5}
          max={3600}
          step={1}
          inputMode="numeric"
          data-testid="policy-reminder-seconds"
          value={reminder}
          aria-invalid={reminderError !== null}
          onChange={(e) => setReminder(e.target.value)}
        />
      </label>
      {reminderError && <p className="inline-error small">{reminderError}</p>}

      <div className="policy-actions">
        <button type="submit" className="button-primary" data-testid="policy-save" disabled={saving || !changed || reminderError !== null}>
          {saving ? 'Saving…' : 'Save policy'}
        </button>
        {result && (
          <span className={result.tone === 'ok' ? 'muted small' : 'inline-error small'} role="status" data-testid="policy-status">
            {result.text}
          </span>
        )}
      </div>
      <p className="muted small">Every change is kept in the audit log with who made it, before and after.</p>
    </form>
  );
}
