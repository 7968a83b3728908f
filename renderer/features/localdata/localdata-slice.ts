import { type AppState, type SliceCreator } from '../../app/store-types';
import { localScope } from '../../data/db';
import { LocalKeyUnavailableError } from '../../data/crypto/local-key';
import { LocalDataKeyMismatchError, LocalDataSession, wipeScope } from '../../data/local-data';

/**
 * `locked`: the key cannot be had now (keychain unavailable or locked, keys file unreadable, the
 * sign-in not confirmed): the data stays closed and untouched, and opening is tried again.
 * `unreadable`: the key the keychain gives does not open the data: closed until the user chooses.
 */
export type LocalDataStatus = 'off' | 'opening' | 'ready' | 'wiped' | 'error' | 'locked' | 'unreadable';

/** Waits before the next try while locked: quick at first (a keychain prompt), then every 30 s. */
export const LOCKED_RETRY_MS = [2000, 5000, 10_000, 30_000] as const;

export interface LocalDataState {
  status: LocalDataStatus;
  /** The open local data of the signed-in user; null until opened, and after sign-out or wipe. */
  session: LocalDataSession | null;
  error: string | null;
  /** After sign-out: whose data is still on this computer, to offer its removal on the sign-in screen. */
  leftBehind: { scope: string; name: string; userId: string; serverUrl: string } | null;
  /** While `unreadable`: changes waiting in the closed database, which removing it would lose. */
  unreadable: { scope: string; waiting: number } | null;
  /** Tries made while `locked` (the next one is automatic). */
  lockedTries: number;
}

export interface LocalDataSlice {
  localData: LocalDataState;
  /** Opens the signed-in user's local data and starts sync (this tab syncs when it is the leader). */
  openLocalData(): Promise<void>;
  closeLocalData(): void;
  /** Deletes everything this user has on this computer, and its key. Sync stays off until the next sign-in. */
  wipeLocalData(): Promise<void>;
  /** The sign-in screen's "remove local data from this computer" after a sign-out. */
  removeLeftBehindData(): Promise<void>;
  dismissLeftBehind(): void;
  /** Tries to open a locked local data again now (the banner's button; also on a timer). */
  retryLocalData(): Promise<void>;
  /** The user's explicit choice for data no key opens: remove it (and its waiting changes) and download history again. */
  removeUnreadableLocalData(): Promise<void>;
  nudgeSync(cursor?: string): void;
  syncOnline(): void;
}

const initialLocalData: LocalDataState = { status: 'off', session: null, error: null, leftBehind: null, unreadable: null, lockedTries: 0 };

export const createLocalDataSlice: SliceCreator<LocalDataSlice> = (deps) => (set, get) => {
  // A newer open (or a close) makes an open still in flight stale.
  let generation = 0;
  const patch = (next: Partial<LocalDataState>) => set((s) => ({ localData: { ...s.localData, ...next } }));
  const setTimer = deps.localData?.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = deps.localData?.clearTimer ?? ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let retryTimer: unknown = null;
  const cancelRetry = () => {
    if (retryTimer !== null) clearTimer(retryTimer);
    retryTimer = null;
  };

  /** Opens the signed-in user's data; `retry` keeps the locked state's count. Never deletes anything. */
  const open = async (retry: boolean) => {
    const env = deps.localData;
    const { user, serverUrl, token } = get().auth;
    if (!env || !user || !token) return;
    // A privacy officer has no desk: nothing of customers is synced to their computer (the server refuses sync too).
    if (user.role === 'privacy') return;
    const current = get().localData.session;
    if (current && current.scope === localScope(user.id, serverUrl)) return;
    current?.close();
    cancelRetry();
    const mine = ++generation;
    const tries = retry ? get().localData.lockedTries : 0;
    patch({ status: retry ? 'locked' : 'opening', session: null, error: retry ? get().localData.error : null, leftBehind: null, unreadable: null, lockedTries: tries });
    try {
      // Desktop: main hands out only this user's key once the server confirmed the session.
      await env.keys.bindUser?.({ serverUrl, userId: user.id, token });
      const session = await LocalDataSession.open(env, { user, serverUrl, token });
      if (mine !== generation) return session.close();
      session.onUnauthenticated = () => get().endSession('Your session has ended. Sign in again.');
      patch({ status: 'ready', session, error: null, lockedTries: 0 });
      session.startSync();
    } catch (error) {
      if (mine !== generation) return;
      if (error instanceof LocalDataKeyMismatchError) {
        patch({ status: 'unreadable', error: null, unreadable: { scope: error.scope, waiting: error.waiting } });
        return;
      }
      env.log?.('local data could not be opened', error);
      // The desktop's sign-in check failed (main could not confirm the session with the server): its message says why.
      const bindFailed = error instanceof Error && error.name.startsWith('IpcError');
      if (error instanceof LocalKeyUnavailableError || bindFailed) {
        // Closed, untouched, tried again: the keychain (or the sign-in check) may be back in a moment.
        const message = error.message || 'The key of your local data is not available right now.';
        patch({ status: 'locked', error: message, lockedTries: tries + 1 });
        const delay = LOCKED_RETRY_MS[Math.min(tries, LOCKED_RETRY_MS.length - 1)] ?? 30_000;
        retryTimer = setTimer(() => {
          retryTimer = null;
          if (mine === generation) void open(true);
        }, delay);
        return;
      }
      patch({
        status: 'error',
        error: 'Veildesk cannot keep data on this computer (local storage unavailable). History needs the connection.',
      });
    }
  };

  return {
    localData: initialLocalData,

    openLocalData: () => open(false),

    retryLocalData: () => (get().localData.status === 'locked' ? open(true) : Promise.resolve()),

    async removeUnreadableLocalData() {
      const env = deps.localData;
      const unreadable = get().localData.unreadable;
      if (!env || !unreadable || get().localData.status !== 'unreadable') return;
      await wipeScope(env, unreadable.scope);
      patch({ status: 'off', unreadable: null });
      await open(false);
    },

    closeLocalData() {
      generation += 1;
      cancelRetry();
      const { session } = get().localData;
      session?.close();
      const { user, serverUrl } = get().auth;
      // Main stops handing this window the user's key; forgetting it (the sign-in screen's offer) stays possible.
      void deps.localData?.keys.releaseUser?.().catch(() => undefined);
      patch({ status: 'off', session: null, error: null, unreadable: null, lockedTries: 0, leftBehind: session && user ? { scope: session.scope, name: user.displayName, userId: user.id, serverUrl } : null });
    },

    async wipeLocalData() {
      const { session } = get().localData;
      const { user, serverUrl } = get().auth;
      if (!session) return;
      generation += 1;
      patch({ status: 'wiped', session: null });
      await session.wipe();
      // The user's recorded audio still waiting for upload is local data of theirs too.
      if (user) await get().clearRecordingQueueFor(user.id, serverUrl);
    },

    async removeLeftBehindData() {
      const env = deps.localData;
      const left = get().localData.leftBehind;
      if (!env || !left) return;
      await wipeScope(env, left.scope);
      // The same removal as the panel's: their recorded audio still waiting for upload goes too.
      await get().clearRecordingQueueFor(left.userId, left.serverUrl);
      patch({ leftBehind: null });
    },

    dismissLeftBehind() {
      patch({ leftBehind: null });
    },

    nudgeSync(cursor) {
      get().localData.session?.nudge(cursor);
    },

    syncOnline() {
      get().localData.session?.online();
    },
  };
};

// ---- selectors ----

export const selectLocalData = (s: AppState) => s.localData;
export const selectLocalSession = (s: AppState) => s.localData.session;
