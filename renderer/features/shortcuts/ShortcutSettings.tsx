import { type KeyboardEvent, useState } from 'react';
import {
  DEFAULT_SHORTCUTS,
  SHORTCUT_ACTIONS,
  SHORTCUT_LABELS,
  type ShortcutAction,
  bindingProblem,
  comboOf,
  formatCombo,
  problemText,
} from './shortcut-keys';
import { shortcutStore, useShortcutMap } from './shortcut-store';
import './shortcuts.css';

/**
 * Settings → Keyboard: each shortcut with its keys; Edit listens for the next combination (Escape
 * cancels), Reset puts the default back. Kept in this machine's storage.
 */
export function ShortcutSettings() {
  const store = shortcutStore();
  const map = useShortcutMap(store);
  const [editing, setEditing] = useState<ShortcutAction | null>(null);
  const [error, setError] = useState<{ action: ShortcutAction; text: string } | null>(null);

  const capture = (action: ShortcutAction) => (event: KeyboardEvent<HTMLButtonElement>) => {
    // Nothing else (the desk's own shortcuts, the browser) may act on the key being chosen.
    event.preventDefault();
    event.stopPropagation();
    if (event.key === 'Escape') {
      setEditing(null);
      return;
    }
    const combo = comboOf(event.nativeEvent);
    if (combo === null) return; // a modifier alone: wait for the key
    const problem = bindingProblem(map, action, combo);
    if (problem) {
      setError({ action, text: problemText(problem, combo) });
      return;
    }
    store.set(action, combo);
    setError(null);
    setEditing(null);
  };

  return (
    <section className="card settings-section" aria-labelledby="settings-keyboard-title" data-testid="settings-keyboard">
      <div className="card-header">
        <h2 id="settings-keyboard-title">Keyboard</h2>
        <button
          type="button"
          className="button-secondary"
          data-testid="shortcut-reset-all"
          onClick={() => {
            store.reset();
            setError(null);
            setEditing(null);
          }}
        >
          Reset all
        </button>
      </div>
      <p className="muted small">
        Press <kbd>?</kbd> anywhere outside a text field to see these. Shortcuts without Ctrl, Alt or Meta do nothing while you type. Saved on this
        computer.
      </p>
      <table className="shortcuts-table">
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Keys</th>
            <th scope="col">
              <span className="visually-hidden">Change</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUT_ACTIONS.map((action) => {
            const isEditing = editing === action;
            const errorId = `shortcut-error-${action}`;
            const rowError = error?.action === action ? error.text : null;
            return (
              <tr key={action} data-testid="shortcut-row" data-action={action} data-combo={map[action]}>
                <td>
                  {SHORTCUT_LABELS[action]}
                  {rowError && (
                    <p className="inline-error small" role="alert" id={errorId} data-testid="shortcut-error">
                      {rowError}
                    </p>
                  )}
                </td>
                <td>
                  <kbd data-testid="shortcut-keys">{formatCombo(map[action])}</kbd>
                </td>
                <td className="shortcut-actions">
                  <button
                    type="button"
                    className={isEditing ? 'button-toggle shortcut-capture' : 'button-secondary'}
                    data-testid="shortcut-edit"
                    aria-pressed={isEditing}
                    aria-describedby={rowError ? errorId : undefined}
                    onClick={() => {
                      setError(null);
                      setEditing(isEditing ? null : action);
                    }}
                    onKeyDown={isEditing ? capture(action) : undefined}
                    onBlur={() => isEditing && setEditing(null)}
                  >
                    {/* The visible word starts the accessible name; the rest says which shortcut. */}
                    {isEditing ? 'Press keys…' : 'Change'}
                    <span className="visually-hidden">
                      {isEditing ? ` for "${SHORTCUT_LABELS[action]}", Escape to cancel` : ` the keys for "${SHORTCUT_LABELS[action]}"`}
                    </span>
                  </button>
                  <button
                    type="button"
                    className="button-secondary"
                    data-testid="shortcut-reset"
                    onClick={() => {
                      store.reset(action);
                      if (error?.action === action) setError(null);
                    }}
                  >
                    Reset
                    <span className="visually-hidden">{` "${SHORTCUT_LABELS[action]}" to ${formatCombo(DEFAULT_SHORTCUTS[action])}`}</span>
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
