import { useSyncExternalStore } from 'react';
import { DEFAULT_SHORTCUTS, type KeyCombo, type ShortcutAction, type ShortcutMap, mapFromStored, storedFromMap } from './shortcut-keys';

/** Per machine, not per account: the keyboard and its habits belong to the desk. */
export const SHORTCUTS_STORAGE_KEY = 'veildesk.shortcuts';

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface ShortcutStore {
  get(): ShortcutMap;
  subscribe(listener: () => void): () => void;
  set(action: ShortcutAction, combo: KeyCombo): void;
  reset(action?: ShortcutAction): void;
}

/** The remapped keys, read once from storage and written back on every change. */
export function createShortcutStore(storage: KeyValueStorage | null): ShortcutStore {
  let map: ShortcutMap = DEFAULT_SHORTCUTS;
  try {
    const raw = storage?.getItem(SHORTCUTS_STORAGE_KEY);
    if (raw) map = mapFromStored(JSON.parse(raw));
  } catch {
    // Unreadable or disabled storage: the defaults.
  }
  const listeners = new Set<() => void>();

  const write = (next: ShortcutMap) => {
    map = next;
    try {
      const stored = storedFromMap(next);
      if (Object.keys(stored).length === 0) storage?.removeItem(SHORTCUTS_STORAGE_KEY);
      else storage?.setItem(SHORTCUTS_STORAGE_KEY, JSON.stringify(stored));
    } catch {
      // Storage refused (quota, policy): the change holds until the window closes.
    }
    for (const listener of listeners) listener();
  };

  return {
    get: () => map,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set: (action, combo) => write({ ...map, [action]: combo }),
    reset: (action) => write(action ? { ...map, [action]: DEFAULT_SHORTCUTS[action] } : DEFAULT_SHORTCUTS),
  };
}

function safeLocalStorage(): KeyValueStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

let shared: ShortcutStore | null = null;

/** The app's one store, on this machine's localStorage (created on first use). */
export function shortcutStore(): ShortcutStore {
  shared ??= createShortcutStore(safeLocalStorage());
  return shared;
}

export function useShortcutMap(store: ShortcutStore = shortcutStore()): ShortcutMap {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
