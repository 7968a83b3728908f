import type { Queue } from '../../../shared';

/** Tick the queues a user belongs to. */
export function QueueChecklist({ queues, selected, onChange, testId }: { queues: Queue[]; selected: string[]; onChange(next: string[]): void; testId: string }) {
  return (
    <fieldset className="admin-checklist" data-testid={testId}>
      <legend className="small">Queues</legend>
      {queues.length === 0 && <span className="muted small">No queues yet.</span>}
      {queues.map((q) => (
        <label key={q.id} className="admin-check">
          <input
            type="checkbox"
            data-queue-id={q.id}
            checked={selected.includes(q.id)}
            onChange={(e) => onChange(e.target.checked ? [...selected, q.id].sort() : selected.filter((id) => id !== q.id))}
          />
          {q.name}
        </label>
      ))}
    </fieldset>
  );
}
