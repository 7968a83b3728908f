import { type FormEvent, useState } from 'react';
import type { CannedResponse, CannedScope } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { ApiError } from '../../net/api-client';
import { selectIsAdmin } from '../admin/AdminView';
import { createCanned, deleteCanned, updateCanned } from './canned-api';
import { useCannedResponses } from './use-canned';
import './canned.css';

const say = (err: unknown, fallback: string): string => (err instanceof ApiError ? err.message : fallback);

/**
 * Replies (issue 19): the org's saved replies (admins write them) and the signed-in person's own.
 * In a chat, typing "/" in the reply box lists them; {customer.name}, {agent.name} and {queue} are
 * filled in from the conversation.
 */
export function RepliesView() {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const isAdmin = useAppStore(selectIsAdmin);
  const { items, error: loadError, reload } = useCannedResponses(true);
  const [editing, setEditing] = useState<CannedResponse | null>(null);
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [scope, setScope] = useState<CannedScope>('personal');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const startEdit = (item: CannedResponse | null) => {
    setEditing(item);
    setTitle(item?.title ?? '');
    setText(item?.text ?? '');
    setScope(item?.scope ?? 'personal');
    setError(null);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!token) return;
    setBusy(true);
    try {
      if (editing) await updateCanned(serverUrl, token, editing.id, { title, text });
      else await createCanned(serverUrl, token, { scope, title, text });
      startEdit(null);
      await reload();
    } catch (err) {
      setError(say(err, 'Could not save the reply; check the connection and try again.'));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (item: CannedResponse) => {
    if (!token) return;
    try {
      await deleteCanned(serverUrl, token, item.id);
      if (editing?.id === item.id) startEdit(null);
      await reload();
    } catch (err) {
      setError(say(err, 'Could not delete the reply.'));
    }
  };

  const mayChange = (item: CannedResponse) => item.scope === 'personal' || isAdmin;

  return (
    <section className="card replies" aria-labelledby="replies-title">
      <div className="card-header">
        <h2 id="replies-title">Saved replies</h2>
        <p className="muted small">Type / in a chat's reply box to use one. {'{customer.name}'}, {'{agent.name}'} and {'{queue}'} are filled in.</p>
      </div>
      {loadError && <p className="inline-note">{loadError}</p>}
      <ul className="replies-list">
        {items?.map((item) => (
          <li key={item.id} data-testid="canned-row" data-scope={item.scope}>
            <div>
              <strong>{item.title}</strong> <span className="muted small">{item.scope === 'org' ? 'Org' : 'Mine'}</span>
              <p className="replies-text">{item.text}</p>
            </div>
            {mayChange(item) && (
              <span className="replies-actions">
                <button type="button" className="link-button" data-testid="canned-edit" onClick={() => startEdit(item)}>
                  Edit
                </button>
                <button type="button" className="link-button" data-testid="canned-delete" onClick={() => void remove(item)}>
                  Delete
                </button>
              </span>
            )}
          </li>
        ))}
        {items?.length === 0 && <li className="muted">No saved replies yet.</li>}
      </ul>
      <form className="replies-form" onSubmit={(e) => void save(e)}>
        <h3>{editing ? `Edit “${editing.title}”` : 'New reply'}</h3>
        <label>
          Title
          <input data-testid="canned-title" value={title} maxLength={80} required onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>
          Text
          <textarea data-testid="canned-text" value={text} maxLength={2000} rows={3} required onChange={(e) => setText(e.target.value)} />
        </label>
        {isAdmin && !editing && (
          <label>
            For
            <select data-testid="canned-scope" value={scope} onChange={(e) => setScope(e.target.value as CannedScope)}>
              <option value="personal">Me only</option>
              <option value="org">Everyone in the org</option>
            </select>
          </label>
        )}
        {error && (
          <p className="inline-note" role="alert">
            {error}
          </p>
        )}
        <div className="replies-buttons">
          <button type="submit" className="button-accent" data-testid="canned-save" disabled={busy}>
            {busy ? 'Saving…' : 'Save reply'}
          </button>
          {editing && (
            <button type="button" className="button-secondary" onClick={() => startEdit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
