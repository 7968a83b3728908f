import { useEffect, useState } from 'react';
import { type ScreenRecordingMode, type ScreenRecordingPolicy, type ScreenViewerRole, ScreenRecordingPolicy as PolicySchema } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { fetchScreenRecordingPolicy, saveScreenRecordingPolicy } from './screen-policy-api';
import './admin.css';

const MODES: { value: ScreenRecordingMode; label: string }[] = [
  { value: 'off', label: 'Off' },
  { value: 'calls', label: 'On for calls' },
  { value: 'calls_and_chats', label: 'On for calls and chats' },
  { value: 'sampled', label: 'A sample of calls and chats' },
];
const ROLES: { value: ScreenViewerRole; label: string }[] = [
  { value: 'supervisor', label: 'Supervisors' },
  { value: 'admin', label: 'Admins' },
  { value: 'agent', label: 'Agents, their own calls' },
];

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; saved: ScreenRecordingPolicy };

/** The org's screen recording policy, for admins: when the agent's screen is recorded, at what frame rate, and who may view. */
export function ScreenRecordingPolicyScreen() {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [draft, setDraft] = useState<ScreenRecordingPolicy | null>(null);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    fetchScreenRecordingPolicy(serverUrl, token).then(
      (policy) => {
        if (cancelled) return;
        setDraft(policy);
        setLoad({ status: 'ready', saved: policy });
      },
      (err: unknown) => !cancelled && setLoad({ status: 'error', message: err instanceof Error ? err.message : 'The policy could not be loaded.' }),
    );
    return () => {
      cancelled = true;
    };
  }, [serverUrl, token]);

  if (load.status === 'error') {
    return (
      <p className="inline-error" role="alert">
        {load.message}
      </p>
    );
  }
  if (load.status === 'loading' || !draft) return <p className="muted">Loading the screen recording policy…</p>;
  const valid = PolicySchema.safeParse(draft);
  const changed = JSON.stringify(draft) !== JSON.stringify(load.saved);
  const patch = (next: Partial<ScreenRecordingPolicy>) => setDraft({ ...draft, ...next });

  const save = async () => {
    if (!token || !valid.success) return;
    setSaving(true);
    setResult(null);
    try {
      const saved = await saveScreenRecordingPolicy(serverUrl, token, valid.data);
      setDraft(saved);
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
      data-testid="screen-recording-policy"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label className="field compact">
        <span>Record the agent&apos;s screen</span>
        <select data-testid="screen-policy-mode" value={draft.mode} onChange={(e) => patch({ mode: e.target.value as ScreenRecordingMode })}>
          {MODES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      {draft.mode === 'sampled' && (
        <label className="field compact">
          <span>Share of calls and chats recorded (%)</span>
          <input type="number" min={1} max={100} data-testid="screen-policy-percent" value={draft.samplePercent} onChange={(e) => patch({ samplePercent: Number(e.target.value) })} />
        </label>
      )}
      <label className="field compact">
        <span>Frames per second</span>
        <input type="number" min={1} max={5} data-testid="screen-policy-fps" value={draft.fps} onChange={(e) => patch({ fps: Number(e.target.value) })} />
      </label>
      <fieldset className="policy-fieldset">
        <legend>Who may view screen recordings</legend>
        {ROLES.map((r) => (
          <label key={r.value} className="policy-toggle">
            <input
              type="checkbox"
              data-testid={`screen-policy-viewer-${r.value}`}
              checked={draft.viewerRoles.includes(r.value)}
              onChange={(e) => patch({ viewerRoles: e.target.checked ? [...draft.viewerRoles, r.value] : draft.viewerRoles.filter((v) => v !== r.value) })}
            />
            <span>{r.label}</span>
          </label>
        ))}
      </fieldset>
      {!valid.success && <p className="inline-error small">Frames per second 1 to 5; a share of 1 to 100 %.</p>}
      <div className="policy-actions">
        <button type="submit" className="button-primary" data-testid="screen-policy-save" disabled={saving || !changed || !valid.success}>
          {saving ? 'Saving…' : 'Save policy'}
        </button>
        {result && (
          <span className={result.tone === 'ok' ? 'muted small' : 'inline-error small'} role="status" data-testid="screen-policy-status">
            {result.text}
          </span>
        )}
      </div>
      <p className="muted small">Agents see when their screen is recorded; secure pause stops it with the call recording. Every change is audited.</p>
    </form>
  );
}
