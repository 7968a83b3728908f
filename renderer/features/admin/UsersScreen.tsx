import { useState } from 'react';
import { useAppStore } from '../../app/store-context';
import { PolicyLoadError } from './PolicyLoadError';
import { UserCreateForm } from './UserCreateForm';
import { UserRow } from './UserRow';
import { useAdminDirectory } from './use-admin-directory';
import './admin.css';

/** Admin → Users: every staff account, a new one, and each one's changes (all audited on the server). */
export function UsersScreen() {
  const { load, reload, serverUrl, token } = useAdminDirectory();
  const me = useAppStore((s) => s.auth.user?.id);
  const [status, setStatus] = useState<string | null>(null);

  if (load.status !== 'ready' || !token) {
    if (load.status === 'error') return <PolicyLoadError what="users" testId="admin-users-load-error" message={load.message} retry={reload} />;
    return <p className="muted">Loading users…</p>;
  }
  const changed = (text: string) => {
    setStatus(text);
    reload();
  };

  return (
    <div className="admin-list" data-testid="admin-users">
      <UserCreateForm serverUrl={serverUrl} token={token} queues={load.queues} onCreated={(username) => changed(`${username} created. They choose their own password at first sign-in.`)} />
      {status && (
        <p className="muted small" role="status" data-testid="admin-users-status">
          {status}
        </p>
      )}
      <ul className="admin-rows" aria-label="Users">
        {load.users.map((user) => (
          <UserRow key={`${user.id}:${user.role}:${user.displayName}:${(user.queueIds ?? []).join(',')}`} user={user} queues={load.queues} serverUrl={serverUrl} token={token} isSelf={user.id === me} onChanged={changed} />
        ))}
      </ul>
    </div>
  );
}
