import { type FormEvent, useState } from 'react';
import { MAX_NOTE_TEXT } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { type LocalNote } from '../../data/read';
import { formatDateTime } from '../../app/format';
import { selectLocalSession } from './localdata-slice';

const CONFLICT_WORDS: Record<string, string> = {
  concurrent_edit: 'Conflict copy: another edit was saved first',
  edited_after_delete: 'Conflict copy: edited after the note was deleted',
  deleted_while_edited: 'Conflict copy: kept because it was deleted while edited elsewhere',
  wrapup_already_submitted: 'Conflict copy: a second wrap-up, kept as a note',
};

/** The agent's notes on an interaction; written locally first, so they work offline. */
export function NotesSection({ interactionId, notes }: { interactionId: string; notes: readonly LocalNote[] }) {
  const session = useAppStore(selectLocalSession);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    if (!session || !value) return;
    if (value.length > MAX_NOTE_TEXT) return setError(`The note is too long (${value.length} of ${MAX_NOTE_TEXT} characters).`);
    try {
      await session.writeNote(interactionId, value);
      setText('');
      setError(null);
    } catch (err) {
      setError(`Could not save the note on this computer (${err instanceof Error ? err.message : String(err)}). Try again.`);
    }
  };

  return (
    <>
      <h4>Notes</h4>
      {notes.length === 0 && <p className="muted small">No notes.</p>}
      <ul className="notes" data-testid="notes">
        {notes.map((n) => (
          <li key={n.id} className={`note${n.conflict ? ' note-conflict' : ''}`} data-testid="note" data-pending={n.pending ? 'true' : 'false'}>
            <p className="detail-notes">{n.text}</p>
            <p className="muted small">
              {n.authorName}, {formatDateTime(n.updatedAt)}
              {n.pending && <span data-testid="note-pending"> · waiting to sync</span>}
              {n.conflict && <strong data-testid="note-conflict"> · {CONFLICT_WORDS[n.conflict.reason] ?? 'Conflict copy'}</strong>}{' '}
              <button type="button" className="link-button" data-testid="note-delete" onClick={() => void session?.deleteNote(n.id)}>
                Delete
              </button>
            </p>
          </li>
        ))}
      </ul>
      {session && (
        <form className="note-form" onSubmit={(e) => void onSubmit(e)}>
          <label className="field">
            <span>Add a note</span>
            <textarea data-testid="note-input" rows={2} maxLength={MAX_NOTE_TEXT} value={text} onChange={(e) => setText(e.target.value)} />
          </label>
          {error && (
            <p className="inline-error small" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button-secondary" data-testid="note-add" disabled={!text.trim()}>
            Add note
          </button>
        </form>
      )}
    </>
  );
}
