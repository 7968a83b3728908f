import { type FormEvent, useState } from 'react';
import type { Queue, Role } from '../../../shared';
import { QueueChecklist } from './QueueChecklist';
import { problemText } from './use-admin-directory';
import { createUser } from './users-api';

export const ROLE_CHOICES: { value: Role; label: string }[] = [
  { value: 'agent', label: 'Agent' },
  { value: 'supervisor', label: 'Supervisor' },
  { value: 'admin', label: 'Admin' },
  { value: 'privacy', label: 'Privacy officer' },
];

/** A new staff account with a first password the user must change at their first sign-in. */
export function UserCreateForm({ serverUrl, token, queues, onCreated }: { serverUrl: string; token: string; queues: Queue[]; onCreated(username: string): void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [queueIds, setQueueIds] = useState<string[]>([]);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const user = await createUser(serverUrl, token, { username: username.trim().toLowerCase(), displayName: displayName.trim() || username.trim(), role, queueIds, password });
      setUsername('');
      setDisplayName('');
      setQueueIds([]);
      setPassword('');
      onCreated(user.username);
    } catch (err) {
      setProblem(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="policy-fieldset admin-create" data-testid="admin-user-create" onSubmit={(e) => void submit(e)} aria-label="New user" noValidate>
      <strong>New user</strong>
      <div className="admin-grid">
        <label className="field">
          <span>Username</span>
          <input data-testid="admin-user-create-username" value={username} onChange={(e) => setUsername(e.target.value)} autoCapitalize="none" spellCheck={false} required />
        </label>
        <label className="field">
          <span>Display name</span>
          <input data-testid="admin-user-create-display-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} required />
        </label>
        <label className="field">
          <span>Role</span>
          <select data-testid="admin-user-create-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLE_CHOICES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>First password (they change it at first sign-in)</span>
          <input data-testid="admin-user-create-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
      </div>
      {role === 'agent' && <QueueChecklist queues={queues} selected={queueIds} onChange={setQueueIds} testId="admin-user-create-queues" />}
      {problem && (
        <p className="inline-error small" role="alert" data-testid="admin-user-create-error">
          {problem}
        </p>
      )}
      <div className="policy-actions">
        <button type="submit" className="button-primary" data-testid="admin-user-create-submit" disabled={busy || username.trim() === '' || password === ''}>
          {busy ? 'Creating…' : 'Create user'}
        </button>
      </div>
    </form>
  );
}
