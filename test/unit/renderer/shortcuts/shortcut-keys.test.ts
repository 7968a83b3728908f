import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SHORTCUTS,
  SHORTCUT_ACTIONS,
  bindingProblem,
  comboOf,
  findConflicts,
  formatCombo,
  mapFromStored,
  matchShortcut,
  storedFromMap,
  type KeyPress,
} from '../../../../renderer/features/shortcuts/shortcut-keys';
import { SHORTCUTS_STORAGE_KEY, createShortcutStore } from '../../../../renderer/features/shortcuts/shortcut-store';
import { memoryStorage } from '../store-harness';

const press = (key: string, mods: Partial<KeyPress> = {}, code?: string): KeyPress => ({
  key,
  code,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  ...mods,
});

describe('key matching', () => {
  it('writes a combination with its modifiers in a fixed order, letters upper-case', () => {
    expect(comboOf(press('a', { altKey: true }, 'KeyA'))).toBe('Alt+A');
    expect(comboOf(press('K', { ctrlKey: true, shiftKey: true, altKey: true }, 'KeyK'))).toBe('Ctrl+Alt+Shift+K');
    expect(comboOf(press('ArrowDown', { altKey: true }))).toBe('Alt+ArrowDown');
    expect(comboOf(press(' '))).toBe('Space');
  });

  it('reads a letter by its physical key when Alt is held (macOS Option types another character)', () => {
    expect(comboOf(press('å', { altKey: true }, 'KeyA'))).toBe('Alt+A');
    expect(matchShortcut(DEFAULT_SHORTCUTS, press('å', { altKey: true }, 'KeyA'), { typing: false })).toBe('accept');
  });

  it('does not write Shift for a character that needs it ("?"), and ignores a modifier pressed alone', () => {
    expect(comboOf(press('?', { shiftKey: true }, 'Slash'))).toBe('?');
    expect(comboOf(press('Shift', { shiftKey: true }))).toBeNull();
    expect(comboOf(press('Alt', { altKey: true }))).toBeNull();
  });

  it('matches every default outside a field', () => {
    expect(matchShortcut(DEFAULT_SHORTCUTS, press('a', { altKey: true }, 'KeyA'), { typing: false })).toBe('accept');
    expect(matchShortcut(DEFAULT_SHORTCUTS, press('h', { altKey: true }, 'KeyH'), { typing: false })).toBe('hangUp');
    expect(matchShortcut(DEFAULT_SHORTCUTS, press('ArrowUp', { altKey: true }), { typing: false })).toBe('previousConversation');
    expect(matchShortcut(DEFAULT_SHORTCUTS, press('?', { shiftKey: true }), { typing: false })).toBe('help');
    expect(matchShortcut(DEFAULT_SHORTCUTS, press('a', {}, 'KeyA'), { typing: false })).toBeNull();
  });

  it('never fires while typing unless the combination has Ctrl, Alt or Meta', () => {
    // "?" in a message is a question mark.
    expect(matchShortcut(DEFAULT_SHORTCUTS, press('?', { shiftKey: true }), { typing: true })).toBeNull();
    expect(matchShortcut(DEFAULT_SHORTCUTS, press('a', { altKey: true }, 'KeyA'), { typing: true })).toBe('accept');
    const remapped = { ...DEFAULT_SHORTCUTS, mute: 'M', hold: 'Shift+O', hangUp: 'Ctrl+Shift+H', decline: 'Meta+D' };
    expect(matchShortcut(remapped, press('m', {}, 'KeyM'), { typing: true })).toBeNull();
    expect(matchShortcut(remapped, press('m', {}, 'KeyM'), { typing: false })).toBe('mute');
    expect(matchShortcut(remapped, press('O', { shiftKey: true }, 'KeyO'), { typing: true })).toBeNull();
    expect(matchShortcut(remapped, press('H', { ctrlKey: true, shiftKey: true }, 'KeyH'), { typing: true })).toBe('hangUp');
    expect(matchShortcut(remapped, press('d', { metaKey: true }, 'KeyD'), { typing: true })).toBe('decline');
    // AltGr+Q types "@" on a German keyboard (reported as Ctrl+Alt): typing, not a shortcut.
    const altGr = { ...DEFAULT_SHORTCUTS, mute: 'Ctrl+Alt+Q' };
    expect(matchShortcut(altGr, press('@', { ctrlKey: true, altKey: true, altGraph: true }, 'KeyQ'), { typing: true })).toBeNull();
    expect(matchShortcut(altGr, press('q', { ctrlKey: true, altKey: true }, 'KeyQ'), { typing: true })).toBe('mute');
  });
});

describe('remapping', () => {
  it('has a default for every action and no conflicts among them', () => {
    for (const action of SHORTCUT_ACTIONS) expect(DEFAULT_SHORTCUTS[action]).toBeTruthy();
    expect(findConflicts(DEFAULT_SHORTCUTS)).toEqual([]);
  });

  it('refuses a key another action has, and keys kept for moving around or by the browser', () => {
    expect(bindingProblem(DEFAULT_SHORTCUTS, 'mute', 'Alt+A')).toEqual({ kind: 'conflict', with: 'accept' });
    expect(bindingProblem(DEFAULT_SHORTCUTS, 'mute', 'Alt+M')).toBeNull();
    expect(bindingProblem(DEFAULT_SHORTCUTS, 'mute', 'Tab')).toEqual({ kind: 'reserved' });
    expect(bindingProblem(DEFAULT_SHORTCUTS, 'mute', 'Escape')).toEqual({ kind: 'reserved' });
    expect(bindingProblem(DEFAULT_SHORTCUTS, 'mute', 'Ctrl+W')).toEqual({ kind: 'reserved' });
    // The desktop's global secure-pause hotkey.
    expect(bindingProblem(DEFAULT_SHORTCUTS, 'securePause', 'Ctrl+Shift+P')).toEqual({ kind: 'reserved' });
    expect(bindingProblem(DEFAULT_SHORTCUTS, 'mute', 'Ctrl+Shift+M')).toBeNull();
  });

  it('lists every group of actions sharing a key', () => {
    expect(findConflicts({ ...DEFAULT_SHORTCUTS, mute: 'Alt+A', hold: 'Alt+A' })).toEqual([['accept', 'mute', 'hold']]);
  });

  it('reads a stored map leniently: defaults for what is missing or wrong, all defaults when it conflicts', () => {
    expect(mapFromStored(null)).toEqual(DEFAULT_SHORTCUTS);
    expect(mapFromStored({ mute: 'Ctrl+M', hold: 42, bogus: 'X', accept: 'Tab' })).toEqual({ ...DEFAULT_SHORTCUTS, mute: 'Ctrl+M' });
    expect(mapFromStored({ mute: 'Alt+A' })).toEqual(DEFAULT_SHORTCUTS);
    expect(storedFromMap({ ...DEFAULT_SHORTCUTS, mute: 'Ctrl+M' })).toEqual({ mute: 'Ctrl+M' });
  });

  it('shows a combination readably', () => {
    expect(formatCombo('Alt+ArrowDown')).toBe('Alt + ↓');
    expect(formatCombo('Ctrl+Shift+H')).toBe('Ctrl + Shift + H');
    expect(formatCombo('?')).toBe('?');
    expect(formatCombo('Ctrl++')).toBe('Ctrl + +');
  });
});

describe('the store on this machine', () => {
  it('remembers a change across a restart, and a reset forgets it', () => {
    const storage = memoryStorage();
    const first = createShortcutStore(storage);
    let notified = 0;
    first.subscribe(() => notified++);
    first.set('mute', 'Ctrl+Shift+M');
    expect(notified).toBe(1);
    expect(JSON.parse(storage.getItem(SHORTCUTS_STORAGE_KEY)!)).toEqual({ mute: 'Ctrl+Shift+M' });
    expect(createShortcutStore(storage).get().mute).toBe('Ctrl+Shift+M');

    first.reset('mute');
    expect(storage.getItem(SHORTCUTS_STORAGE_KEY)).toBeNull();
    expect(createShortcutStore(storage).get()).toEqual(DEFAULT_SHORTCUTS);
  });

  it('falls back to the defaults when storage is unreadable', () => {
    const storage = memoryStorage();
    storage.setItem(SHORTCUTS_STORAGE_KEY, '{not json');
    expect(createShortcutStore(storage).get()).toEqual(DEFAULT_SHORTCUTS);
    expect(createShortcutStore(null).get()).toEqual(DEFAULT_SHORTCUTS);
  });
});
