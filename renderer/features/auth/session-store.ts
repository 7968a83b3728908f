import { z } from 'zod';
import { User } from '../../../shared';

/**
 * Where the session token lives between reloads. sessionStorage, not localStorage: a reload of the
 * tab stays signed in, but closing the tab (or the shared workstation's browser) forgets it.
 */

const KEY = 'veildesk.session';

// `user`: who signed in, so a reload while the server is unreachable can open their local data.
const SavedSession = z.object({ token: z.string().min(1), serverUrl: z.string().min(1), user: User.optional() });
export type SavedSession = z.infer<typeof SavedSession>;

export interface SessionStore {
  load(): SavedSession | null;
  save(session: SavedSession): void;
  clear(): void;
}

type Storage_ = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function createSessionStore(storage: Storage_ | null): SessionStore {
  return {
    load() {
      try {
        const raw = storage?.getItem(KEY);
        if (!raw) return null;
        const parsed = SavedSession.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    save(session) {
      try {
        storage?.setItem(KEY, JSON.stringify(session));
      } catch {
        // Storage full or disabled: the session still works until the tab reloads.
      }
    },
    clear() {
      try {
        storage?.removeItem(KEY);
      } catch {
        // Nothing stored, nothing to forget.
      }
    },
  };
}

/** The browser's sessionStorage, or null where it is unavailable (privacy modes, Node). */
export function browserSessionStorage(): Storage_ | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}
