import { roleHasWorkspace } from '../auth/role-scope';
import { type PrivacyNotice } from '../../../shared';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { ApiError } from '../../net/api-client';

/**
 * The privacy notice at sign-in (issue 16): `checking` while the app asks the server, `required`
 * while the user must accept the current material version (the shell and the live connection wait),
 * `clear` once they may work. Without a policy API (tests of other features) it is clear at once.
 */
export type PolicyStatus = 'idle' | 'checking' | 'required' | 'clear';

export interface PolicyState {
  status: PolicyStatus;
  notice: PrivacyNotice | null;
  /** A newer non-material version than the one accepted: the shell shows a dismissible banner. */
  updated: { noticeId: string; effectiveAt: string } | null;
  bannerDismissed: boolean;
  accepting: boolean;
  error: string | null;
}

export interface PolicySlice {
  policy: PolicyState;
  /** Call before the auth state turns signed-in, so the shell never shows before the check. */
  beginPolicyCheck(): void;
  /** Asks the server; when nothing needs accepting, starts the live connection and the local data. */
  checkPolicy(serverUrl: string, token: string): Promise<void>;
  acceptPolicy(): Promise<void>;
  /** Declining signs out: nobody works without the current material notice accepted. */
  declinePolicy(): Promise<void>;
  dismissPolicyBanner(): void;
  resetPolicy(): void;
}

const initialPolicy: PolicyState = { status: 'idle', notice: null, updated: null, bannerDismissed: false, accepting: false, error: null };

export const createPolicySlice: SliceCreator<PolicySlice> = (deps) => (set, get) => {
  const patch = (next: Partial<PolicyState>) => set((s) => ({ policy: { ...s.policy, ...next } }));
  const startWork = (serverUrl: string, token: string) => {
    patch({ status: 'clear', accepting: false, error: null });
    // The privacy role has no workspace: no live connection, no local data.
    const user = get().auth.user;
    if (user && !roleHasWorkspace(user.role)) return;
    get().connect(serverUrl, token);
    void get().openLocalData();
  };
  const stillSignedIn = (token: string) => get().auth.token === token;

  return {
    policy: initialPolicy,

    beginPolicyCheck() {
      set({ policy: { ...initialPolicy, status: deps.policy ? 'checking' : 'idle' } });
    },

    async checkPolicy(serverUrl, token) {
      if (!deps.policy) return startWork(serverUrl, token);
      patch({ status: 'checking' });
      try {
        const mine = await deps.policy.mine(serverUrl, token);
        if (!stillSignedIn(token)) return;
        patch({ notice: mine.current, updated: mine.updated });
        if (mine.mustAccept && mine.current) {
          patch({ status: 'required' });
          return;
        }
        startWork(serverUrl, token);
      } catch (err) {
        if (!stillSignedIn(token)) return;
        if (err instanceof ApiError && err.code === 'unauthenticated') return get().endSession('Your session has ended. Sign in again.');
        // Offline: work from local data; the server checks again when the connection says hello.
        startWork(serverUrl, token);
      }
    },

    async acceptPolicy() {
      const { token, serverUrl } = get().auth;
      const notice = get().policy.notice;
      if (!deps.policy || !token || !notice || get().policy.accepting) return;
      patch({ accepting: true, error: null });
      try {
        await deps.policy.accept(serverUrl, token, notice.id);
        if (!stillSignedIn(token)) return;
        startWork(serverUrl, token);
      } catch (err) {
        if (!stillSignedIn(token)) return;
        // A newer version may have been published meanwhile: check again, which shows it.
        if (err instanceof ApiError && err.code === 'conflict') return get().checkPolicy(serverUrl, token);
        patch({ accepting: false, error: err instanceof ApiError ? err.message : 'Could not record your acceptance. Try again.' });
      }
    },

    async declinePolicy() {
      await get().signOut();
    },

    dismissPolicyBanner() {
      patch({ bannerDismissed: true });
    },

    resetPolicy() {
      set({ policy: initialPolicy });
    },
  };
};

export const selectPolicy = (s: AppState) => s.policy;
/** The "updated" banner: a newer non-material version the user has not dismissed. */
export const selectPolicyBanner = (s: AppState) => (s.policy.updated && !s.policy.bannerDismissed ? s.policy.updated : null);
