import { type ClientMessage } from '../../../shared';
import { type AppState, type LiveConnection, type SliceCreator } from '../../app/store-types';
import { type ConnectionState, type SelectablePresence } from '../../net/ws-client';
import { wsUrl } from '../../net/urls';
import { routeShareFrames } from '../share/share-frames';
import { routeInteractionFrames } from '../workspace/frame-routing';
import { fatalMessage } from './messages';
import { type PendingRequest, PendingRequests, type RequestMessage } from './requests';

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
  /** The browser went offline: show it now rather than when the heartbeat notices. */
  networkLost(): void;
  /** Woke from sleep or changed network: a new socket now, so the first offer can be answered. */
  freshStart(why: string): void;
  /** Forwards a presence choice; returns the request id when sent now. */
  sendPresence(presence: SelectablePresence): string | null;
  /** Sends a frame now if the session is open; false when it could not go out. */
  sendMessage(message: ClientMessage): boolean;
  /**
   * Sends a frame that may be refused, with a request id so an error frame can be matched to it.
   * Returns the id when sent, null when the session is not open. `id` lets callers pick their own.
   */
  sendRequest(message: RequestMessage, id?: string): string | null;
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
  const requests = new PendingRequests();

  const patch = (next: Partial<ConnectionInfo>) => set((s) => ({ connection: { ...s.connection, ...next } }));

  return {
    connection: initialConnection,

    connect(serverUrl, token) {
      get().disconnect();
      const c = deps.createConnection({ url: wsUrl(serverUrl), token });
      client = c;
      get().prepareCalls();
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
      c.on(
        'server-error',
        live((message) => {
          const request: PendingRequest | null = requests.take(message.ref);
          get().routeServerError(message, request);
        }),
      );
      c.on('hello', live(() => get().resumeWork()));
      // Sync: the server has changes for us; and a (re)connection is the moment to send what waited.
      c.on('sync.nudge', live((m) => get().nudgeSync(m.cursor)));
      c.on('hello', live(() => get().syncOnline()));
      routeInteractionFrames(c, live, get);
      routeShareFrames(c, live, get);
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
      requests.clear();
      c?.dispose();
      set({ connection: initialConnection });
    },

    retryNow() {
      client?.reconnectNow();
    },

    networkLost() {
      client?.networkLost();
    },

    freshStart(why) {
      client?.freshStart(why);
    },

    sendPresence(presence) {
      return client ? client.setPresence(presence) : null;
    },

    sendMessage(message) {
      return client ? client.send(message) : false;
    },

    sendRequest(message, id) {
      if (!client) return null;
      const requestId = id ?? requests.nextId(message.type);
      if (!client.send({ ...message, id: requestId } as ClientMessage)) return null;
      requests.add(requestId, message);
      return requestId;
    },
  };
};

// ---- selectors ----

export const selectConnection = (s: AppState) => s.connection;
export const selectConnectionState = (s: AppState) => s.connection.state;
export const selectIsLive = (s: AppState) => s.connection.state === 'open';
