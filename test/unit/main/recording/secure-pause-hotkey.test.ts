import { describe, expect, it } from 'vitest';
import { DEFAULT_SECURE_PAUSE_ACCELERATOR, registerSecurePauseHotkey, resolveAccelerator } from '../../../../main/secure-pause-hotkey';
import { createElectronBridge } from '../../../../preload/bridge';

function fakeShortcut(opts: { refuse?: boolean; throws?: boolean } = {}) {
  const registered = new Map<string, () => void>();
  const unregistered: string[] = [];
  return {
    registered,
    unregistered,
    register(accelerator: string, callback: () => void) {
      if (opts.throws) throw new Error('bad accelerator');
      if (opts.refuse) return false;
      registered.set(accelerator, callback);
      return true;
    },
    unregister(accelerator: string) {
      unregistered.push(accelerator);
      registered.delete(accelerator);
    },
  };
}

describe('secure pause hotkey (main)', () => {
  it('defaults to Ctrl+Shift+P, takes a valid configured one, can be turned off', () => {
    const warnings: string[] = [];
    const log = { warn: (m: string) => void warnings.push(m) };
    expect(resolveAccelerator(undefined)).toBe(DEFAULT_SECURE_PAUSE_ACCELERATOR);
    expect(DEFAULT_SECURE_PAUSE_ACCELERATOR).toBe('CommandOrControl+Shift+P');
    expect(resolveAccelerator('Alt+F9')).toBe('Alt+F9');
    expect(resolveAccelerator(' off ')).toBeNull();
    expect(resolveAccelerator('P', log)).toBe(DEFAULT_SECURE_PAUSE_ACCELERATOR);
    expect(resolveAccelerator('Ctrl+Shift+Nope', log)).toBe(DEFAULT_SECURE_PAUSE_ACCELERATOR);
    expect(warnings).toHaveLength(2);
  });

  it('each press calls onPressed; dispose unregisters once', () => {
    const shortcut = fakeShortcut();
    let presses = 0;
    const hotkey = registerSecurePauseHotkey({ shortcut, accelerator: 'CommandOrControl+Shift+P', onPressed: () => (presses += 1) });
    expect(hotkey.accelerator).toBe('CommandOrControl+Shift+P');
    shortcut.registered.get('CommandOrControl+Shift+P')!();
    shortcut.registered.get('CommandOrControl+Shift+P')!();
    expect(presses).toBe(2);
    hotkey.dispose();
    hotkey.dispose();
    expect(shortcut.unregistered).toEqual(['CommandOrControl+Shift+P']);
  });

  it('a hotkey held by another app (or refused) is reported and leaves nothing registered', () => {
    const warnings: string[] = [];
    const log = { warn: (m: string) => void warnings.push(m) };
    for (const shortcut of [fakeShortcut({ refuse: true }), fakeShortcut({ throws: true })]) {
      const hotkey = registerSecurePauseHotkey({ shortcut, accelerator: 'Ctrl+Shift+P', onPressed: () => undefined, log });
      expect(hotkey.accelerator).toBeNull();
      hotkey.dispose();
      expect(shortcut.unregistered).toEqual([]);
    }
    expect(warnings.some((w) => /taken by another application/.test(w))).toBe(true);
    expect(registerSecurePauseHotkey({ shortcut: fakeShortcut(), accelerator: null, onPressed: () => undefined }).accelerator).toBeNull();
  });

  it('the preload bridge turns the event into onSecurePauseHotkey, with an unsubscribe', () => {
    const listeners = new Map<string, Set<() => void>>();
    const bridge = createElectronBridge(
      async () => ({ ok: true, value: undefined }),
      (event, listener) => {
        const set = listeners.get(event) ?? new Set();
        set.add(listener);
        listeners.set(event, set);
        return () => void set.delete(listener);
      },
    );
    let toggles = 0;
    const off = bridge.onSecurePauseHotkey!(() => (toggles += 1));
    for (const l of listeners.get('recording:toggle-pause')!) l();
    off();
    expect(listeners.get('recording:toggle-pause')!.size).toBe(0);
    expect(toggles).toBe(1);
    expect(createElectronBridge(async () => ({ ok: true, value: undefined })).onSecurePauseHotkey).toBeUndefined();
  });
});
