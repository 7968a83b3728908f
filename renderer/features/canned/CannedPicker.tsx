import './canned.css';
import type { CannedResponse } from '../../../shared';
import { cannedMatches } from '../../../shared';

/** What the reply box shows while its text starts with "/": the replies matching what follows. */
export function cannedQuery(draft: string): string | null {
  return draft.startsWith('/') && !draft.includes('\n') ? draft.slice(1) : null;
}

export function filterCanned(items: readonly CannedResponse[], query: string): CannedResponse[] {
  return items.filter((i) => cannedMatches(i, query)).slice(0, 8);
}

/**
 * The list under the reply box: ↑/↓ move, Enter or a click puts the reply in the box (variables
 * filled, editable before sending), Escape closes it. A listbox the box points at with
 * aria-activedescendant, so screen readers follow the highlighted reply.
 */
export function CannedPicker({ id, matches, active, error, onPick }: { id: string; matches: readonly CannedResponse[] | null; active: number; error: string | null; onPick(item: CannedResponse): void }) {
  return (
    // The reply box's aria-controls points here, so the id is on what is always shown (loading, none, the list).
    <div className="canned-picker" id={id} data-testid="canned-list">
      {error && <p className="inline-note">{error}</p>}
      {matches === null && !error && <p className="muted small">Loading replies…</p>}
      {matches?.length === 0 && <p className="muted small">No reply matches. Add your own under Replies.</p>}
      {matches && matches.length > 0 && (
        <ul role="listbox" aria-label="Canned replies">
          {matches.map((item, index) => (
            <li
              key={item.id}
              id={`${id}-${index}`}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'active' : undefined}
              data-testid="canned-option"
              onMouseDown={(event) => {
                // Keep focus in the reply box.
                event.preventDefault();
                onPick(item);
              }}
            >
              <span className="canned-title">{item.title}</span>
              <span className="muted small">{item.scope === 'org' ? 'Org' : 'Mine'}</span>
              <span className="canned-text muted small">{item.text}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
