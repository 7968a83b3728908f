import { useState } from 'react';
import { PolicyLoadError } from './PolicyLoadError';
import { QueueEditor } from './QueueEditor';
import { useAdminDirectory } from './use-admin-directory';
import './admin.css';

/** Admin → Queues: each queue's settings and members, and a new queue. Changes apply to routing at once. */
export function QueuesScreen() {
  const { load, reload, serverUrl, token } = useAdminDirectory();
  const [status, setStatus] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  if (load.status !== 'ready' || !token) {
    if (load.status === 'error') return <PolicyLoadError what="queues" testId="admin-queues-load-error" message={load.message} retry={reload} />;
    return <p className="muted">Loading queues…</p>;
  }
  const agents = load.users.filter((u) => u.role === 'agent' && !u.disabled);
  const saved = (text: string) => {
    setStatus(text);
    reload();
  };

  return (
    <div className="admin-list" data-testid="admin-queues">
      {status && (
        <p className="muted small" role="status" data-testid="admin-queues-status">
          {status}
        </p>
      )}
      <ul className="admin-rows" aria-label="Queues">
        {load.queues.map((q) => (
          <li key={q.id} className="admin-row" data-testid="admin-queue-row" data-queue-id={q.id}>
            <div className="admin-row-main">
              <span className="admin-row-title">
                <strong>{q.name}</strong> <span className="muted small">{q.id}</span>
              </span>
              <span className="muted small">
                {q.memberIds.length} member{q.memberIds.length === 1 ? '' : 's'} · {q.dispositions.length} disposition{q.dispositions.length === 1 ? '' : 's'} · offers {q.offerTimeoutMs / 1000} s ·{' '}
                {q.chatCapacity == null ? 'default chats per agent' : `${q.chatCapacity} chat${q.chatCapacity === 1 ? '' : 's'} per agent`}
              </span>
              <span className="admin-row-actions">
                <button type="button" className="button-ghost" data-testid="admin-queue-edit" aria-expanded={open === q.id} onClick={() => setOpen(open === q.id ? null : q.id)}>
                  Edit
                </button>
              </span>
            </div>
            {open === q.id && (
              <div className="admin-row-panel">
                <QueueEditor key={JSON.stringify(q)} queue={q} agents={agents} serverUrl={serverUrl} token={token} onSaved={saved} />
              </div>
            )}
          </li>
        ))}
      </ul>
      <details className="policy-fieldset">
        <summary data-testid="admin-queue-new">New queue</summary>
        <QueueEditor queue={null} agents={agents} serverUrl={serverUrl} token={token} onSaved={saved} />
      </details>
    </div>
  );
}
