import { type KeyboardEvent, useEffect, useRef } from 'react';
import { SHORTCUT_ACTIONS, SHORTCUT_LABELS, formatCombo } from './shortcut-keys';
import { useShortcutMap } from './shortcut-store';
import './shortcuts.css';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * The `?` overlay: every shortcut with its current keys. A modal dialog: the focus stays inside
 * until it closes (Escape or Close) and then goes back where it was.
 */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const map = useShortcutMap();
  const dialogRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    return () => {
      // Back to where the agent was, if that is still on the page.
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab') return;
    const items = [...(dialogRef.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="shortcuts-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={dialogRef}
        className="shortcuts-help card"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-help-title"
        data-testid="shortcuts-help"
        onKeyDown={onKeyDown}
      >
        <div className="card-header">
          <h2 id="shortcuts-help-title">Keyboard shortcuts</h2>
          <button ref={closeRef} type="button" className="button-secondary" data-testid="shortcuts-help-close" onClick={onClose}>
            Close
          </button>
        </div>
        <p className="muted small">
          Shortcuts without Ctrl, Alt or Meta do nothing while you type in a field. Change them in Settings → Keyboard.
        </p>
        <table className="shortcuts-table">
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">Keys</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUT_ACTIONS.map((action) => (
              <tr key={action} data-testid="shortcuts-help-row" data-action={action}>
                <td>{SHORTCUT_LABELS[action]}</td>
                <td>
                  <kbd>{formatCombo(map[action])}</kbd>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
