import { useState } from 'react';
import type { AdminUser, Queue, Role } from '../../../shared';
import { QueueChecklist } from './QueueChecklist';
import { ROLE_CHOICES } from './UserCreateForm';
import { problemText } from './use-admin-directory';
import { resetUserPassword, updateUser } from './users-api';

type Panel = 'none' | 'edit' | 'reset';

/** One staff account: what it is, disable/enable, a password reset, and an editor for name, role and queues. */
export function UserRow({ user, queues, serverUrl, token, isSelf, onChanged }: { user: AdminUser; queues: Queue[]; serverUrl: string; token: string; isSelf: boolean; onChanged(text: string): void }) {
  const [panel, setPanel] = useState<Panel>('none');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState<Role>(user.role);
  const [queueIds, setQueueIds] = useState<string[]>(user.queueIds ?? []);
  const [password, setPassword] = useState('');
  const queueNames = (user.queueIds ?? []).map((id) => queues.find((q) => q.id === id)?.name ?? id).join(', ');

  const run = async (task: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setProblem(null);
    try {
      await task();
      setPanel('none');
      setPassword('');
      onChanged(done);
    } catch (err) {
      setProblem(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  const toggleDisabled = () => run(() => updateUser(serverUrl, token, user.id, { disabled: !user.disabled }), user.disabled ? `${user.username} can sign in again.` : `${user.username} is disabled and was signed out.`);
  const save = () => {
    const queueChange = role === 'agent' ? { queueIds } : {};
    return run(() => updateUser(serverUrl, token, user.id, { displayName, ...(role !== user.role ? { role } : {}), ...queueChange }), `${user.username} saved.`);
  };
  const reset = () => run(() => resetUserPassword(serverUrl, token, user.id, password), `${user.username} must choose a new password at their next sign-in; their sessions were ended.`);

  return (
    <li className="admin-row" data-testid="admin-user-row" data-username={user.username}>
      <div className="admin-row-main">
        <span className="admin-row-title">
          <strong>{user.username}</strong> <span className="muted">{user.displayName}</span>
        </span>
        <span className="role-badge">{ROLE_CHOICES.find((r) => r.value === user.role)?.label ?? user.role}</span>
        <span className="muted small">{queueNames || (user.role === 'agent' ? 'No queues' : '')}</span>
        <span className="small" data-testid="admin-user-state">
          {user.disabled ? 'Disabled' : 'Active'}
          {user.mustChangePassword ? ' · must change password' : ''}
        </span>
        <span className="admin-row-actions">
          <button type="button" className="button-ghost" data-testid="admin-user-edit" onClick={() => setPanel(panel === 'edit' ? 'none' : 'edit')} aria-expanded={panel === 'edit'}>
            Edit
          </button>
          <button type="button" className="button-ghost" data-testid="admin-user-reset-password" onClick={() => setPanel(panel === 'reset' ? 'none' : 'reset')} aria-expanded={panel === 'reset'}>
            Reset password
          </button>
          <button type="button" className="button-ghost" data-testid="admin-user-disable" disabled={busy || isSelf} onClick={() => void toggleDisabled()} title={isSelf ? 'Another admin must do this' : undefined}>
            {user.disabled ? 'Enable' : 'Disable'}
          </button>
        </span>
      </div>
      {panel === 'edit' && (
        <div className="admin-row-panel">
          <div className="admin-grid">
            <label className="field">
              <span>Display name</span>
              <input data-testid="admin-user-display-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
            </label>
            <label className="field">
              <span>Role</span>
              <select data-testid="admin-user-role" value={role} disabled={isSelf} onChange={(e) => setRole(e.target.value as Role)}>
                {ROLE_CHOICES.map((r) => (
                  <option key={r.value} value={r.value}>
                    {r.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {role === 'agent' && <QueueChecklist queues={queues} selected={queueIds} onChange={setQueueIds} testId="admin-user-queues" />}
          {role !== user.role && <p className="muted small">A new role signs {user.username} out of every window.</p>}
          <button type="button" className="button-primary" data-testid="admin-user-save" disabled={busy} onClick={() => void save()}>
            Save
          </button>
        </div>
      )}
      {panel === 'reset' && (
        <div className="admin-row-panel">
          <label className="field">
            <span>Temporary password (at least 8 characters; {user.username} changes it at their next sign-in)</span>
            <input data-testid="admin-user-reset-password-input" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          <button type="button" className="button-primary" data-testid="admin-user-reset-password-confirm" disabled={busy || password.length === 0} onClick={() => void reset()}>
            Set password and sign them out
          </button>
        </div>
      )}
      {problem && (
        <p className="inline-error small" role="alert" data-testid="admin-user-error">
          {problem}
        </p>
      )}
    </li>
  );
}
