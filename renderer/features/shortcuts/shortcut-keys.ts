/**
 * Keyboard shortcuts of the agent desk (issue 19): the actions, their default keys, how a key press
 * is matched, and the checks a remapping must pass. Plain logic: no DOM, no React, no storage.
 */

export const SHORTCUT_ACTIONS = [
  'accept',
  'decline',
  'hangUp',
  'mute',
  'hold',
  'securePause',
  'nextConversation',
  'previousConversation',
  'focusReply',
  'help',
] as const;

export type ShortcutAction = (typeof SHORTCUT_ACTIONS)[number];

/** A key combination written as text: modifiers in a fixed order, then the key, e.g. "Alt+A", "?". */
export type KeyCombo = string;

export type ShortcutMap = Readonly<Record<ShortcutAction, KeyCombo>>;

export const SHORTCUT_LABELS: Readonly<Record<ShortcutAction, string>> = {
  accept: 'Accept the oldest offer',
  decline: 'Decline the oldest offer',
  hangUp: 'Hang up the call, or end the open chat',
  mute: 'Mute or unmute the call',
  hold: 'Hold or resume the call',
  securePause: 'Secure pause or resume',
  nextConversation: 'Next conversation',
  previousConversation: 'Previous conversation',
  focusReply: 'Go to the reply box',
  help: 'Show the keyboard shortcuts',
};

/**
 * Alt+letter by default: they work from the reply box too (a modifier), and no browser or OS
 * reserves them for itself (unlike Ctrl+W, Ctrl+T or Alt+Left).
 */
export const DEFAULT_SHORTCUTS: ShortcutMap = {
  accept: 'Alt+A',
  decline: 'Alt+D',
  hangUp: 'Alt+H',
  mute: 'Alt+M',
  hold: 'Alt+O',
  securePause: 'Alt+P',
  nextConversation: 'Alt+ArrowDown',
  previousConversation: 'Alt+ArrowUp',
  focusReply: 'Alt+R',
  help: '?',
};

/** What a key press carries, as in a DOM KeyboardEvent. */
export interface KeyPress {
  key: string;
  code?: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
  /** AltGr held (it reports Ctrl+Alt on Windows): the key types a character such as "@". */
  altGraph?: boolean;
}

const MODIFIER_KEYS = new Set(['Control', 'Alt', 'AltGraph', 'Shift', 'Meta', 'OS', 'CapsLock', 'Fn']);

const NAMED_KEYS: Readonly<Record<string, string>> = { ' ': 'Space', Spacebar: 'Space', Esc: 'Escape', Up: 'ArrowUp', Down: 'ArrowDown', Left: 'ArrowLeft', Right: 'ArrowRight' };

/** True for a press of a modifier alone (Shift, Ctrl…): not a combination yet. */
export function isModifierOnly(press: Pick<KeyPress, 'key'>): boolean {
  return MODIFIER_KEYS.has(press.key);
}

function baseKey(press: KeyPress): string {
  // Letters and digits by their physical key: Option+A on a Mac types "å", Alt+Shift+1 types "!".
  const letter = /^Key([A-Z])$/.exec(press.code ?? '');
  if (letter && (press.altKey || press.ctrlKey || press.metaKey)) return letter[1]!;
  const digit = /^Digit([0-9])$/.exec(press.code ?? '');
  if (digit && (press.altKey || press.ctrlKey || press.metaKey)) return digit[1]!;
  const key = NAMED_KEYS[press.key] ?? press.key;
  return key.length === 1 ? key.toUpperCase() : key;
}

/** True when the key's character already says Shift was held ("?", "!"): Shift is then not written. */
function shiftIsInTheCharacter(key: string): boolean {
  return key.length === 1 && !/[A-Z0-9]/.test(key);
}

/** The combination of a key press, in the same form as the map's values; null for a modifier alone. */
export function comboOf(press: KeyPress): KeyCombo | null {
  if (isModifierOnly(press)) return null;
  const key = baseKey(press);
  const parts: string[] = [];
  if (press.ctrlKey) parts.push('Ctrl');
  if (press.altKey) parts.push('Alt');
  if (press.shiftKey && !shiftIsInTheCharacter(key)) parts.push('Shift');
  if (press.metaKey) parts.push('Meta');
  parts.push(key);
  return parts.join('+');
}

/** A combination with Ctrl, Alt or Meta: allowed to fire while the agent types in a field. */
export function hasCommandModifier(combo: KeyCombo): boolean {
  return /^(?:Ctrl|Alt|Meta)\+/.test(combo) || /\+(?:Ctrl|Alt|Meta)\+/.test(combo);
}

/** Where the key press happened, as far as shortcuts care. */
export interface PressTarget {
  /** An input, textarea, select or contenteditable element has the focus. */
  typing: boolean;
}

/**
 * The action a key press asks for, or null. Never fires while the agent types in a field unless
 * the combination has Ctrl, Alt or Meta (Shift alone is typing: "?" in a message is a question mark).
 */
export function matchShortcut(map: ShortcutMap, press: KeyPress, target: PressTarget): ShortcutAction | null {
  const combo = comboOf(press);
  if (combo === null) return null;
  if (target.typing && (!hasCommandModifier(combo) || press.altGraph === true)) return null;
  for (const action of SHORTCUT_ACTIONS) {
    if (map[action] === combo) return action;
  }
  return null;
}

/** Keys that keep the app usable by keyboard (moving, activating, closing) or that the browser or OS keeps. */
const RESERVED: ReadonlySet<KeyCombo> = new Set([
  'Tab',
  'Shift+Tab',
  'Enter',
  'Shift+Enter',
  'Space',
  'Escape',
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
  'Home',
  'End',
  'Alt+ArrowLeft',
  'Alt+ArrowRight',
  'Alt+F4',
  'Ctrl+W',
  'Ctrl+T',
  'Ctrl+N',
  'Ctrl+Tab',
  'Ctrl+Shift+Tab',
  'Ctrl+Shift+P',
  'Meta+W',
  'Meta+Q',
  'Meta+T',
  'Meta+N',
]);

export type BindingProblem = { kind: 'reserved' } | { kind: 'conflict'; with: ShortcutAction };

/** Why `combo` cannot be given to `action` in `map`, or null when it can. */
export function bindingProblem(map: ShortcutMap, action: ShortcutAction, combo: KeyCombo): BindingProblem | null {
  if (RESERVED.has(combo)) return { kind: 'reserved' };
  for (const other of SHORTCUT_ACTIONS) {
    if (other !== action && map[other] === combo) return { kind: 'conflict', with: other };
  }
  return null;
}

/** Every group of actions that share one combination (a stored map edited by hand, or an old default). */
export function findConflicts(map: ShortcutMap): ShortcutAction[][] {
  const byCombo = new Map<KeyCombo, ShortcutAction[]>();
  for (const action of SHORTCUT_ACTIONS) {
    const list = byCombo.get(map[action]) ?? [];
    list.push(action);
    byCombo.set(map[action], list);
  }
  return [...byCombo.values()].filter((list) => list.length > 1);
}

/** Text for a problem, for the Settings row. */
export function problemText(problem: BindingProblem, combo: KeyCombo): string {
  return problem.kind === 'reserved'
    ? `${formatCombo(combo)} is kept for moving around the app or by the browser; choose another.`
    : `${formatCombo(combo)} already does "${SHORTCUT_LABELS[problem.with]}"; change that one first.`;
}

/** How a combination is shown: "Alt + A", "↓" for arrows. */
export function formatCombo(combo: KeyCombo): string {
  const arrows: Record<string, string> = { ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→' };
  return combo
    .split('+')
    .map((part, i, all) => (i === all.length - 1 && part === '' ? '+' : (arrows[part] ?? part)))
    .filter((part) => part !== '')
    .join(' + ');
}

/**
 * The map to use from what was stored: defaults for anything missing or not a string, and the
 * defaults again when the stored one has conflicts (an ambiguous key would do two things).
 */
export function mapFromStored(stored: unknown): ShortcutMap {
  if (!stored || typeof stored !== 'object') return DEFAULT_SHORTCUTS;
  const record = stored as Record<string, unknown>;
  const map = { ...DEFAULT_SHORTCUTS } as Record<ShortcutAction, KeyCombo>;
  for (const action of SHORTCUT_ACTIONS) {
    const value = record[action];
    if (typeof value === 'string' && value.length > 0 && value.length <= 40 && !RESERVED.has(value)) map[action] = value;
  }
  return findConflicts(map).length > 0 ? DEFAULT_SHORTCUTS : map;
}

/** Only the actions that differ from the defaults are stored, so a later default change reaches everyone else. */
export function storedFromMap(map: ShortcutMap): Partial<Record<ShortcutAction, KeyCombo>> {
  const out: Partial<Record<ShortcutAction, KeyCombo>> = {};
  for (const action of SHORTCUT_ACTIONS) if (map[action] !== DEFAULT_SHORTCUTS[action]) out[action] = map[action];
  return out;
}
