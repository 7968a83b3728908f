import { type FormEvent, useState } from 'react';
import type { AdminUser, Queue } from '../../../shared';
import { createQueue, updateQueue } from './queues-api';
import { problemText } from './use-admin-directory';

/** What the form holds; numbers as typed, checked on save. */
interface Draft {
  id: string;
  name: string;
  dispositions: string;
  offerTimeoutSeconds: string;
  chatCapacity: string;
  memberIds: string[];
}

const draftOf = (q: Queue | null): Draft => ({
  id: q?.id ?? '',
  name: q?.name ?? '',
  dispositions: (q?.dispositions ?? ['Resolved', 'Not resolved']).join('\n'),
  offerTimeoutSeconds: String((q?.offerTimeoutMs ?? 15_000) / 1000),
  chatCapacity: q?.chatCapacity == null ? '' : String(q.chatCapacity),
  memberIds: q?.memberIds ?? [],
});

/** Reads the draft into what the server takes, or says what to fix. */
function readDraft(d: Draft): { ok: true; value: Omit<Queue, 'id'> & { id: string } } | { ok: false; problem: string } {
  const seconds = Number(d.offerTimeoutSeconds);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 300) return { ok: false, problem: 'Offer timeout is 1 to 300 seconds.' };
  const capText = d.chatCapacity.trim();
  const cap = capText === '' ? null : Number(capText);
  if (cap !== null && (!Number.isInteger(cap) || cap < 1 || cap > 20)) return { ok: false, problem: 'Chat capacity is a whole number from 1 to 20, or empty for the server default.' };
  const dispositions = d.dispositions.split('\n').map((s) => s.trim()).filter(Boolean);
  if (dispositions.length === 0) return { ok: false, problem: 'Name at least one disposition, one a line.' };
  return { ok: true, value: { id: d.id.trim(), name: d.name.trim(), dispositions, offerTimeoutMs: Math.round(seconds * 1000), chatCapacity: cap, memberIds: d.memberIds } };
}

/** One queue's settings (or a new queue's, with its id): name, members, dispositions, offer timeout, chat capacity. */
export function QueueEditor({ queue, agents, serverUrl, token, onSaved }: { queue: Queue | null; agents: AdminUser[]; serverUrl: string; token: string; onSaved(text: string): void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(queue));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const patch = (next: Partial<Draft>) => setDraft((d) => ({ ...d, ...next }));
  const isNew = queue === null;
  const prefix = isNew ? 'admin-queue-new' : 'admin-queue';

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const read = readDraft(draft);
    if (!read.ok) return setProblem(read.problem);
    setBusy(true);
    setProblem(null);
    try {
      const { id, ...settings } = read.value;
      const saved = isNew ? await createQueue(serverUrl, token, { id, ...settings, chatCapacity: settings.chatCapacity ?? null }) : await updateQueue(serverUrl, token, id, { ...settings, chatCapacity: settings.chatCapacity ?? null });
      if (isNew) setDraft(draftOf(null));
      onSaved(isNew ? `Queue ${saved.name} created; routing uses it now.` : `Queue ${saved.name} saved; routing uses it now.`);
    } catch (err) {
      setProblem(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="admin-queue-form" onSubmit={(e) => void submit(e)} noValidate aria-label={isNew ? 'New queue' : `Queue ${queue.name}`}>
      <div className="admin-grid">
        {isNew && (
          <label className="field">
            <span>Id (a-z, 0-9, dash; never changes)</span>
            <input data-testid="admin-queue-new-id" value={draft.id} onChange={(e) => patch({ id: e.target.value })} spellCheck={false} />
          </label>
        )}
        <label className="field">
          <span>Name</span>
          <input data-testid={`${prefix}-name`} value={draft.name} onChange={(e) => patch({ name: e.target.value })} />
        </label>
        <label className="field">
          <span>Offer timeout (seconds)</span>
          <input data-testid={`${prefix}-offer-timeout`} type="number" min={1} max={300} value={draft.offerTimeoutSeconds} onChange={(e) => patch({ offerTimeoutSeconds: e.target.value })} />
        </label>
        <label className="field">
          <span>Chats per agent (empty: server default)</span>
          <input data-testid={`${prefix}-chat-capacity`} type="number" min={1} max={20} value={draft.chatCapacity} onChange={(e) => patch({ chatCapacity: e.target.value })} />
        </label>
      </div>
      <label className="field">
        <span>Dispositions (one a line)</span>
        <textarea data-testid={`${prefix}-dispositions`} rows={4} value={draft.dispositions} onChange={(e) => patch({ dispositions: e.target.value })} />
      </label>
      <fieldset className="admin-checklist" data-testid={`${prefix}-members`}>
        <legend className="small">Members (agents)</legend>
        {agents.map((a) => (
          <label key={a.id} className="admin-check">
            <input
              type="checkbox"
              data-username={a.username}
              checked={draft.memberIds.includes(a.id)}
              onChange={(e) => patch({ memberIds: e.target.checked ? [...draft.memberIds, a.id] : draft.memberIds.filter((id) => id !== a.id) })}
            />
            {a.displayName} ({a.username})
          </label>
        ))}
      </fieldset>
      {problem && (
        <p className="inline-error small" role="alert" data-testid={`${prefix}-error`}>
          {problem}
        </p>
      )}
      <div className="policy-actions">
        <button type="submit" className="button-primary" data-testid={isNew ? 'admin-queue-create' : 'admin-queue-save'} disabled={busy}>
          {busy ? 'Saving…' : isNew ? 'Create queue' : 'Save queue'}
        </button>
      </div>
    </form>
  );
}
