import { type Presence, type ServerMessageOf } from '../../../shared';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { type SelectablePresence } from '../../net/ws-client';

export interface PresenceState {
  /** What the server last confirmed for this user. */
  current: Presence;
  /** ISO time the confirmed presence began, when the server told us. */
  since: string | null;
  /** A choice sent but not yet confirmed; shown meanwhile so the select does not jump back. */
  requested: SelectablePresence | null;
  requestId: string | null;
  /** Why the server refused the last change, until the next change. */
  error: string | null;
}

export interface PresenceSlice {
  presence: PresenceState;
  choosePresence(presence: SelectablePresence): void;
  applyHelloPresence(presence: Presence): void;
  applyPresenceSelf(message: ServerMessageOf<'presence.self'>): void;
  /** Takes an error frame about a presence change; returns false when it is about something else. */
  applyServerError(message: ServerMessageOf<'error'>): boolean;
  resetPresence(): void;
}

const initialPresence: PresenceState = {
  current: 'offline',
  since: null,
  requested: null,
  requestId: null,
  error: null,
};

export const createPresenceSlice: SliceCreator<PresenceSlice> = () => (set, get) => ({
  presence: initialPresence,

  choosePresence(presence) {
    // Choosing what is already in effect changes nothing (and the server would not echo it).
    const { current, requested } = get().presence;
    if (presence === current && requested === null && get().connection.state === 'open') return;
    const requestId = get().sendPresence(presence);
    set((s) => ({ presence: { ...s.presence, requested: presence, requestId, error: null } }));
  },

  applyHelloPresence(presence) {
    set((s) => ({
      presence: {
        ...s.presence,
        current: presence,
        // hello.ok carries no start time; keep ours only if the value did not change meanwhile.
        since: presence === s.presence.current ? s.presence.since : null,
        requested: s.presence.requested === presence ? null : s.presence.requested,
      },
    }));
  },

  applyPresenceSelf(message) {
    // The server's word is final, whoever made the change.
    set({ presence: { current: message.presence, since: message.since, requested: null, requestId: null, error: null } });
  },

  applyServerError(message) {
    const { requestId } = get().presence;
    const aboutPresence = message.ref !== undefined && (message.ref === requestId || message.ref === 'presence.set');
    if (!aboutPresence) return false;
    set((s) => ({ presence: { ...s.presence, requested: null, requestId: null, error: message.message } }));
    return true;
  },

  resetPresence() {
    set({ presence: initialPresence });
  },
});

// ---- selectors ----

export const selectPresence = (s: AppState) => s.presence;

/** What the presence select shows: offline whenever the live connection is not up. */
export const selectDisplayedPresence = (s: AppState): Presence =>
  s.connection.state === 'open' ? (s.presence.requested ?? s.presence.current) : 'offline';
