import { reviveOutbox, type OutboxItem } from './outbox';
import type { InteractionKindLive } from './types';

/**
 * What survives a page reload in this tab (sessionStorage: gone when the tab closes). Only the
 * interaction's own token, its id and the unsent messages; no name or email.
 */
export interface SavedSession {
  interactionId: string;
  customerToken: string;
  expiresAt: string;
  kind: InteractionKindLive;
  queueId: string;
  outbox: OutboxItem[];
  agentReadUpTo: number;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const SESSION_KEY = 'veildesk.widget.session';

export interface SessionStore {
  load(now: number): SavedSession | null;
  save(session: SavedSession): void;
  clear(): void;
}

/** Keeps the live conversation (token, ids, unsent messages) for a reload of this tab. */
export function saveConversation(
  sessions: SessionStore,
  s: { session: { interactionId: string; kind: InteractionKindLive; queueId: string } | null; chat: { outbox: readonly OutboxItem[]; agentReadUpTo: number } },
  credentials: Pick<SavedSession, 'customerToken' | 'expiresAt'>,
): void {
  if (!s.session) return;
  const { interactionId, kind, queueId } = s.session;
  sessions.save({ interactionId, ...credentials, kind, queueId, outbox: [...s.chat.outbox], agentReadUpTo: s.chat.agentReadUpTo });
}

/** Storage that may be missing or refuse writes (private mode, quota): the widget then just forgets on reload. */
export function createSessionStore(storage: KeyValueStorage | null): SessionStore {
  return {
    load(now) {
      if (!storage) return null;
      let raw: string | null;
      try {
        raw = storage.getItem(SESSION_KEY);
      } catch {
        return null;
      }
      if (!raw) return null;
      const session = parseSession(raw);
      const expires = session ? Date.parse(session.expiresAt) : NaN;
      if (!session || (Number.isFinite(expires) && expires <= now)) {
        try {
          storage.removeItem(SESSION_KEY);
        } catch {
          // nothing to clean up then
        }
        return null;
      }
      return session;
    },
    save(session) {
      try {
        storage?.setItem(SESSION_KEY, JSON.stringify(session));
      } catch {
        // Not fatal: only a reload would lose the conversation.
      }
    },
    clear() {
      try {
        storage?.removeItem(SESSION_KEY);
      } catch {
        // ignore
      }
    },
  };
}

export function parseSession(raw: string): SavedSession | null {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  if (typeof r.interactionId !== 'string' || typeof r.customerToken !== 'string' || typeof r.expiresAt !== 'string') return null;
  if (r.kind !== 'chat' && r.kind !== 'call') return null;
  return {
    interactionId: r.interactionId,
    customerToken: r.customerToken,
    expiresAt: r.expiresAt,
    kind: r.kind,
    queueId: typeof r.queueId === 'string' ? r.queueId : '',
    outbox: reviveOutbox(r.outbox),
    agentReadUpTo: typeof r.agentReadUpTo === 'number' && Number.isInteger(r.agentReadUpTo) ? r.agentReadUpTo : 0,
  };
}
