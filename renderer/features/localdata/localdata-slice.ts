import { type AppState, type SliceCreator } from '../../app/store-types';
import { localScope } from '../../data/db';
import { LocalDataSession, wipeScope } from '../../data/local-data';

export type LocalDataStatus = 'off' | 'opening' | 'ready' | 'wiped' | 'error';

export interface LocalDataState {
  status: LocalDataStatus;
  /** The open local data of the signed-in user; null until opened, and after sign-out or wipe. */
  session: LocalDataSession | null;
  error: string | null;
  /** After sign-out: whose data is still on this computer, to offer its removal on the sign-in screen. */
  leftBehind: { scope: string; name: string } | null;
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
  nudgeSync(cursor?: string): void;
  syncOnline(): void;
}

const initialLocalData: LocalDataState = { status: 'off', session: null, error: null, leftBehind: null };

export const createLocalDataSlice: SliceCreator<LocalDataSlice> = (deps) => (set, get) => {
  // A newer open (or a close) makes an open still in flight stale.
  let generation = 0;
  const patch = (next: Partial<LocalDataState>) => set((s) => ({ localData: { ...s.localData, ...next } }));

  return {
    localData: initialLocalData,

    async openLocalData() {
      const env = deps.localData;
      const { user, serverUrl, token } = get().auth;
      if (!env || !user || !token) return;
      // A privacy officer has no desk: nothing of customers is synced to their computer (the server refuses sync too).
      if (user.role === 'privacy') return;
      const current = get().localData.session;
      if (current && current.scope === localScope(user.id, serverUrl)) return;
      current?.close();
      const mine = ++generation;
      patch({ status: 'opening', session: null, error: null, leftBehind: null });
      try {
        const session = await LocalDataSession.open(env, { user, serverUrl, token });
        if (mine !== generation) return session.close();
        session.onUnauthenticated = () => get().endSession('Your session has ended. Sign in again.');
        patch({ status: 'ready', session });
        session.startSync();
      } catch (error) {
        if (mine !== generation) return;
        env.log?.('local data could not be opened', error);
        patch({
          status: 'error',
          error: 'Veildesk cannot keep data on this computer (local storage unavailable). History needs the connection.',
        });
      }
    },

    closeLocalData() {
      generation += 1;
      const { session } = get().localData;
      session?.close();
      const user = get().auth.user;
      patch({ status: 'off', session: null, error: null, leftBehind: session && user ? { scope: session.scope, name: user.displayName } : null });
    },

    async wipeLocalData() {
      const { session } = get().localData;
      if (!session) return;
      generation += 1;
      patch({ status: 'wiped', session: null });
      await session.wipe();
    },

    async removeLeftBehindData() {
      const env = deps.localData;
      const left = get().localData.leftBehind;
      if (!env || !left) return;
      await wipeScope(env, left.scope);
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
