import { type AppState, type LiveConnection, type SliceCreator } from '../../app/store-types';
import { type ConnectionState, type SelectablePresence } from '../../net/ws-client';
import { wsUrl } from '../../net/urls';
import { fatalMessage } from './messages';

export interface ConnectionInfo {
  state: ConnectionState;
  /** Consecutive failed attempts since the last accepted hello. */
  attempt: number;
  /** Epoch ms of the next reconnect attempt while waiting, else null. */
  retryAt: number | null;
  /** A refusal that needs the user to act (e.g. update the app); no retry happens. */
  problem: string | null;
  serverVersion: string | null;
}

export interface ConnectionSlice {
  connection: ConnectionInfo;
  /** Opens the live connection for a signed-in session, replacing any previous one. */
  connect(serverUrl: string, token: string): void;
  disconnect(): void;
  /** Skips the backoff wait (Retry button, browser back online). */
  retryNow(): void;
  /** Forwards a presence choice; returns the request id when sent now. */
  sendPresence(presence: SelectablePresence): string | null;
}

const initialConnection: ConnectionInfo = {
  state: 'closed',
  attempt: 0,
  retryAt: null,
  problem: null,
  serverVersion: null,
};

export const createConnectionSlice: SliceCreator<ConnectionSlice> = (deps) => (set, get) => {
  // The socket is a resource, not state: it lives in this closure and never in the store.
  let client: LiveConnection | null = null;
  const now = deps.now ?? Date.now;

  const patch = (next: Partial<ConnectionInfo>) => set((s) => ({ connection: { ...s.connection, ...next } }));

  return {
    connection: initialConnection,

    connect(serverUrl, token) {
      get().disconnect();
      const c = deps.createConnection({ url: wsUrl(serverUrl), token });
      client = c;
      // Events from a client we already replaced are stale and must not touch the store.
      const live =
        <T>(fn: (payload: T) => void) =>
        (payload: T) => {
          if (client === c) fn(payload);
        };

      c.on(
        'state',
        live(({ state, attempt, retryInMs }) => {
          patch({
            state,
            attempt,
            retryAt: retryInMs === null ? null : now() + retryInMs,
            ...(state === 'open' ? { problem: null } : {}),
          });
        }),
      );
      c.on(
        'hello',
        live((hello) => {
          patch({ serverVersion: hello.serverVersion });
          get().setUser(hello.user);
          get().applyHelloPresence(hello.presence);
        }),
      );
      c.on('presence', live((message) => get().applyPresenceSelf(message)));
      c.on('roster.snapshot', live((message) => get().applyRosterSnapshot(message.agents)));
      c.on('roster.changed', live((message) => get().applyRosterChange(message.agent)));
      c.on('server-error', live((message) => get().applyServerError(message)));
      c.on(
        'fatal',
        live(({ reason }) => {
          const message = fatalMessage(reason, deps.bridge.kind);
          if (reason === 'protocol-mismatch') {
            // Stay in the shell with a banner: signing in again would not help, updating does.
            client = null;
            c.dispose();
            patch({ state: 'closed', retryAt: null, problem: message });
            return;
          }
          get().endSession(message);
        }),
      );
      c.connect();
    },

    disconnect() {
      const c = client;
      client = null;
      c?.dispose();
      set({ connection: initialConnection });
    },

    retryNow() {
      client?.reconnectNow();
    },

    sendPresence(presence) {
      return client ? client.setPresence(presence) : null;
    },
  };
};

// ---- selectors ----

export const selectConnection = (s: AppState) => s.connection;
export const selectConnectionState = (s: AppState) => s.connection.state;
export const selectIsLive = (s: AppState) => s.connection.state === 'open';
