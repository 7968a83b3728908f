/**
 * The desktop's global hotkey for secure pause (default Ctrl+Shift+P; Cmd+Shift+P on macOS): works
 * while another application has the focus, e.g. when the agent types card details elsewhere. A
 * plain module over the parts of Electron's globalShortcut it uses, so it can be tested with fakes.
 */

export const DEFAULT_SECURE_PAUSE_ACCELERATOR = 'CommandOrControl+Shift+P';

export interface GlobalShortcutLike {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export interface HotkeyLog {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** Letters, digits, F-keys and named keys joined by +, with at least one modifier: what Electron accepts for a global shortcut. */
const ACCELERATOR = /^((CommandOrControl|CmdOrCtrl|Command|Cmd|Control|Ctrl|Alt|Option|AltGr|Shift|Super|Meta)\+)+([A-Z0-9]|F([1-9]|1[0-9]|2[0-4])|Space|Tab|Backspace|Delete|Insert|Home|End|PageUp|PageDown|Up|Down|Left|Right|Escape|Plus|[`\-=[\];',./\\])$/i;

/** The configured accelerator (VEILDESK_SECURE_PAUSE_HOTKEY), else the default; `off` disables it. */
export function resolveAccelerator(value: string | undefined, log?: HotkeyLog): string | null {
  const wanted = value?.trim();
  if (!wanted) return DEFAULT_SECURE_PAUSE_ACCELERATOR;
  if (wanted.toLowerCase() === 'off') return null;
  if (ACCELERATOR.test(wanted)) return wanted;
  log?.warn('secure pause hotkey: not a valid accelerator, using the default', { value: wanted, default: DEFAULT_SECURE_PAUSE_ACCELERATOR });
  return DEFAULT_SECURE_PAUSE_ACCELERATOR;
}

/**
 * Registers the hotkey; each press calls `onPressed` (main forwards it to the app window). Returns
 * the accelerator in use (null when none could be registered, e.g. another app holds it) and a
 * dispose function for quit.
 */
export function registerSecurePauseHotkey(options: {
  shortcut: GlobalShortcutLike;
  accelerator: string | null;
  onPressed(): void;
  log?: HotkeyLog;
}): { accelerator: string | null; dispose(): void } {
  const { shortcut, accelerator, log } = options;
  if (!accelerator) return { accelerator: null, dispose: () => undefined };
  let ok = false;
  try {
    ok = shortcut.register(accelerator, () => options.onPressed());
  } catch (error) {
    log?.warn('secure pause hotkey: could not register', { accelerator, error: String(error) });
  }
  if (!ok) {
    log?.warn('secure pause hotkey: taken by another application; use the button in the call panel', { accelerator });
    return { accelerator: null, dispose: () => undefined };
  }
  let disposed = false;
  return {
    accelerator,
    dispose() {
      if (disposed) return;
      disposed = true;
      shortcut.unregister(accelerator);
    },
  };
}
