import { LoginRequest, PROTOCOL_VERSION, type User } from '../../../shared';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { ApiError } from '../../net/api-client';
import { normalizeServerUrl } from '../../net/urls';
import { protocolMismatchMessage } from '../connection/messages';
import { changeOwnPassword } from './password-api';
import { roleHasWorkspace } from './role-scope';

export type AuthStatus = 'starting' | 'signed-out' | 'signing-in' | 'signed-in';

export interface AuthState {
  status: AuthStatus;
  user: User | null;
  /** The server signed in to, or the one to prefill on the sign-in form. */
  serverUrl: string;
  token: string | null;
  expiresAt: string | null;
  /** Message for the sign-in form: wrong credentials, rate limited, unreachable, session ended. */
  error: string | null;
  /** An admin set the password: the change-password screen comes before anything else. */
  mustChangePassword: boolean;
}

export interface SignInInput {
  serverUrl: string;
  username: string;
  password: string;
}

export interface AuthSlice {
  auth: AuthState;
  /** Restores a session kept in sessionStorage (validated with GET /api/me), else shows sign-in. */
  start(): Promise<void>;
  /** Resolves true when signed in; on failure the reason is in auth.error. */
  signIn(input: SignInInput): Promise<boolean>;
  /** Ends the session on the server and locally. */
  signOut(): Promise<void>;
  /** Local-only sign-out for when the server already ended the session. */
  endSession(message: string | null): void;
  setUser(user: User): void;
  /** The user's own password (current + new). Null when changed, else what went wrong. A forced change then opens the app. */
  changePassword(currentPassword: string, newPassword: string): Promise<string | null>;
}

const initialAuth: AuthState = {
  status: 'starting',
  user: null,
  serverUrl: '',
  token: null,
  expiresAt: null,
  error: null,
  mustChangePassword: false,
};

function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return 'Something went wrong. Try again.';
}

/** "username is required" → "Username is required." so local checks read like server messages. */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

export const createAuthSlice: SliceCreator<AuthSlice> = (deps) => (set, get) => {
  // React StrictMode runs effects twice in development; the restore must happen once.
  let started = false;

  const signedOut = (state: AppState, error: string | null, serverUrl = state.auth.serverUrl): Partial<AppState> => ({
    auth: { ...initialAuth, status: 'signed-out', serverUrl, error },
  });

  const openWorkspace = (user: User, serverUrl: string, token: string) => {
    if (!roleHasWorkspace(user.role)) return;
    get().connect(serverUrl, token);
    void get().openLocalData();
  };

  const clearLocal = () => {
    get().closeLocalData();
    get().disconnect();
    get().resetWork();
    get().resetPresence();
    get().clearRoster();
    get().resetPolicy();
    deps.session.clear();
  };

  return {
    auth: initialAuth,

    async start() {
      if (started) return;
      started = true;
      const serverUrl = await deps.bridge.getServerUrl().catch(() => '');
      const saved = deps.session.load();
      if (!saved) {
        set((s) => signedOut(s, null, serverUrl));
        return;
      }
      try {
        const me = await deps.createApi(saved.serverUrl).me(saved.token);
        deps.session.save({ ...saved, user: me.user });
        const mustChangePassword = me.mustChangePassword === true;
        if (!mustChangePassword) get().beginPolicyCheck();
        set({
          auth: {
            status: 'signed-in',
            user: me.user,
            serverUrl: saved.serverUrl,
            token: saved.token,
            expiresAt: me.expiresAt,
            error: null,
            mustChangePassword,
          },
        });
        // An admin-set password first, then the privacy notice: the live connection starts once nothing is left.
        if (!mustChangePassword) void get().checkPolicy(saved.serverUrl, saved.token);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'unauthenticated') {
          deps.session.clear();
          set((s) => signedOut(s, 'Your session has ended. Sign in again.', saved.serverUrl));
          return;
        }
        // Offline with local data: work from it; the connection keeps trying and the server
        // checks the token again when it answers.
        const unreachable = err instanceof ApiError && (err.code === 'network' || err.code === 'timeout');
        if (unreachable && saved.user && roleHasWorkspace(saved.user.role) && deps.localData) {
          set({ auth: { status: 'signed-in', user: saved.user, serverUrl: saved.serverUrl, token: saved.token, expiresAt: null, error: null, mustChangePassword: false } });
          openWorkspace(saved.user, saved.serverUrl, saved.token);
          return;
        }
        // Server unreachable or failing: keep the token so a later reload can still resume.
        set((s) => signedOut(s, messageOf(err), saved.serverUrl));
      }
    },

    async signIn(input) {
      if (get().auth.status === 'signing-in') return false;
      const server = normalizeServerUrl(input.serverUrl);
      if (!server.ok) {
        set((s) => ({ auth: { ...s.auth, error: server.message } }));
        return false;
      }
      // Usernames are lower-case by contract; accept "Agent1" the way people type it.
      const credentials = LoginRequest.safeParse({
        username: input.username.trim().toLowerCase(),
        password: input.password,
      });
      if (!credentials.success) {
        const first = credentials.error.issues[0]?.message ?? 'Check your username and password';
        set((s) => ({ auth: { ...s.auth, serverUrl: server.url, error: sentence(first) } }));
        return false;
      }

      set((s) => ({ auth: { ...s.auth, status: 'signing-in', serverUrl: server.url, error: null } }));
      const api = deps.createApi(server.url);
      try {
        // Checking the protocol first turns "update the app" into a clear message, not a socket loop.
        const config = await api.config();
        if (config.protocolVersion !== PROTOCOL_VERSION) {
          set((s) => signedOut(s, protocolMismatchMessage(deps.bridge.kind), server.url));
          return false;
        }
        const login = await api.login(credentials.data);
        deps.session.save({ token: login.token, serverUrl: server.url, user: login.user });
        deps.bridge.setServerUrl(server.url).catch(() => {
          // Remembering the server is a convenience; sign-in already succeeded.
        });
        const mustChangePassword = login.mustChangePassword === true;
        if (!mustChangePassword) get().beginPolicyCheck();
        set({
          auth: {
            status: 'signed-in',
            user: login.user,
            serverUrl: server.url,
            token: login.token,
            expiresAt: login.expiresAt,
            error: null,
            mustChangePassword,
          },
        });
        if (!mustChangePassword) void get().checkPolicy(server.url, login.token);
        return true;
      } catch (err) {
        set((s) => signedOut(s, messageOf(err), server.url));
        return false;
      }
    },

    async signOut() {
      const { token, serverUrl } = get().auth;
      // Close our socket first so the server's "signed out" close does not read as an error here.
      clearLocal();
      set((s) => signedOut(s, null, serverUrl));
      if (!token || !serverUrl) return;
      try {
        await deps.createApi(serverUrl).logout(token);
      } catch (err) {
        // Locally signed out either way; the token expires on its own if the server missed this.
        console.warn('[veildesk] logout request failed', err);
      }
    },

    endSession(message) {
      // The first reason stands: a request the server refuses (401) just after its socket closed
      // with why (an admin disabled the account) must not replace that with a vaguer message.
      if (get().auth.status === 'signed-out') return;
      clearLocal();
      set((s) => signedOut(s, message));
    },

    setUser(user) {
      set((s) => ({ auth: { ...s.auth, user } }));
    },

    async changePassword(currentPassword, newPassword) {
      const { token, serverUrl, mustChangePassword } = get().auth;
      if (!token || !serverUrl) return 'Sign in first.';
      try {
        await changeOwnPassword(serverUrl, token, { currentPassword, newPassword });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'unauthenticated') {
          get().endSession('Your session has ended. Sign in again.');
          return null;
        }
        return messageOf(err);
      }
      if (mustChangePassword && get().auth.token === token) {
        get().beginPolicyCheck();
        set((s) => ({ auth: { ...s.auth, mustChangePassword: false } }));
        void get().checkPolicy(serverUrl, token);
      }
      return null;
    },
  };
};

// ---- selectors ----

export const selectAuth = (s: AppState) => s.auth;
export const selectAuthStatus = (s: AppState) => s.auth.status;
export const selectUser = (s: AppState) => s.auth.user;
export const selectAuthError = (s: AppState) => s.auth.error;
export const selectServerUrl = (s: AppState) => s.auth.serverUrl;
/** Supervisors and admins watch the team; agents only manage themselves. */
export const selectCanSeeRoster = (s: AppState) => s.auth.user?.role === 'supervisor' || s.auth.user?.role === 'admin';
/** Privacy requests and retention: admins (Admin section) and the privacy role (its only view). */
export const selectCanUsePrivacy = (s: AppState) => s.auth.user?.role === 'admin' || s.auth.user?.role === 'privacy';
/** False for the privacy role: no queues, chats, presence or local data in its app. */
export const selectHasWorkspace = (s: AppState) => !s.auth.user || roleHasWorkspace(s.auth.user.role);
