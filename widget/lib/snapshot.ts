import { EMPTY_CHAT, type ChatState } from './chat-state';
import { EMPTY_CONSENT_PANEL, NO_CONSENT_SETTINGS, type ConsentPanelView, type ConsentSettingsView } from './consent-view';
import type { NoticeFacts, RecordingNow } from './notices';
import type { SavedSession } from './saved-session';
import type { Phase } from './state-line';
import type { CustomerStateFrame, InteractionKindLive, WidgetQueue } from './types';

/**
 * What the widget shows, as one immutable snapshot (React reads it with useSyncExternalStore),
 * and the small store the controller and its parts (chat-delivery.ts, call-session.ts) update it through.
 */

export type CallStatus = 'idle' | 'mic' | 'waiting' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'ended';

export interface CallView {
  status: CallStatus;
  muted: boolean;
  error: string | null;
  remoteStream: MediaStream | null;
}

export interface LeaveMessageView {
  status: 'idle' | 'sending' | 'sent' | 'error';
  error: string | null;
  /** Where the team will answer, when the customer gave an email. */
  replyTo: string | null;
  /** Sent by someone who could be under 13: the server kept neither the text nor any contact. */
  childProtected?: boolean;
}

export interface WidgetSnapshot {
  queues: readonly WidgetQueue[];
  queuesStatus: 'loading' | 'ready' | 'error';
  queuesError: string | null;
  /** The org asks for a year of birth before a conversation (privacy-model.md, principle 7). */
  askBirthYear: boolean;
  /** The privacy notice and the purposes the start form offers as unticked boxes. */
  consentSettings: ConsentSettingsView;
  /** What applies to chats and calls under the org's settings; null until loaded (or when it could not be). */
  notices: NoticeFacts | null;
  /** Whether the call is being recorded now (the server's `call.recording`); null until it says. */
  recordingNow: RecordingNow | null;
  /** This conversation's consents, each with a withdraw button (during and after the conversation). */
  consents: ConsentPanelView;
  /** Which start button is busy. */
  starting: InteractionKindLive | null;
  startError: string | null;
  /** A note on the start screen, e.g. that the previous conversation is over. */
  notice: string | null;
  session: { interactionId: string; kind: InteractionKindLive; queueId: string } | null;
  phase: Phase;
  retryInMs: number | null;
  customerState: CustomerStateFrame | null;
  chat: ChatState;
  agentTyping: boolean;
  /** Error frames and failures, newest last; each shown inline until dismissed. */
  errors: ReadonlyArray<{ id: number; text: string }>;
  ending: boolean;
  /** Why the conversation cannot continue (token expired…), shown on the state line. */
  fatal: string | null;
  call: CallView;
  leave: LeaveMessageView;
}

export interface StartForm {
  queueId: string;
  name: string;
  email: string;
  /** As typed; read only when the org asks (age-question.ts). */
  birthYear?: string;
  /** Ids of the purposes ticked (none by default). */
  consents?: readonly string[];
}

export const INITIAL_SNAPSHOT: WidgetSnapshot = {
  queues: [],
  queuesStatus: 'loading',
  queuesError: null,
  askBirthYear: false,
  consentSettings: NO_CONSENT_SETTINGS,
  notices: null,
  recordingNow: null,
  consents: EMPTY_CONSENT_PANEL,
  starting: null,
  startError: null,
  notice: null,
  session: null,
  phase: 'idle',
  retryInMs: null,
  customerState: null,
  chat: EMPTY_CHAT,
  agentTyping: false,
  errors: [],
  ending: false,
  fatal: null,
  call: { status: 'idle', muted: false, error: null, remoteStream: null },
  leave: { status: 'idle', error: null, replyTo: null },
};

/** A conversation kept in this tab before a reload: its chat comes back from the server, the outbox from storage. */
export function conversationRestored(s: WidgetSnapshot, saved: SavedSession): Partial<WidgetSnapshot> {
  return {
    session: { interactionId: saved.interactionId, kind: saved.kind, queueId: saved.queueId },
    chat: { messages: [], outbox: saved.outbox, agentReadUpTo: saved.agentReadUpTo, redacted: {} },
    call: { ...s.call, status: saved.kind === 'call' ? 'waiting' : 'idle' },
  };
}

/** Back on the start form (queues kept), with an optional note on why. */
export function startScreenAgain(s: WidgetSnapshot, notice: string | null): WidgetSnapshot {
  return { ...INITIAL_SNAPSHOT, queues: s.queues, queuesStatus: s.queuesStatus, queuesError: s.queuesError, askBirthYear: s.askBirthYear, consentSettings: s.consentSettings, notices: s.notices, notice };
}

/** The server created the conversation: a clean chat, call and error list for it. */
export function conversationStarted(session: NonNullable<WidgetSnapshot['session']>): Partial<WidgetSnapshot> {
  return {
    starting: null,
    session,
    chat: EMPTY_CHAT,
    customerState: null,
    errors: [],
    fatal: null,
    ending: false,
    leave: INITIAL_SNAPSHOT.leave,
    consents: EMPTY_CONSENT_PANEL,
    recordingNow: null,
    call: { status: session.kind === 'call' ? 'waiting' : 'idle', muted: false, error: null, remoteStream: null },
  };
}

const MAX_ERRORS = 3;

export class SnapshotStore {
  private current: WidgetSnapshot = INITIAL_SNAPSHOT;
  private readonly listeners = new Set<() => void>();
  private nextErrorId = 1;

  get snapshot(): WidgetSnapshot {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(patch: Partial<WidgetSnapshot>): void {
    this.current = { ...this.current, ...patch };
    for (const l of [...this.listeners]) l();
  }

  setCall(patch: Partial<CallView>): void {
    this.set({ call: { ...this.current.call, ...patch } });
  }

  /** Shows an error inline; the same text twice is shown once, at most MAX_ERRORS at a time. */
  pushError(text: string): void {
    const errors = [...this.current.errors.filter((e) => e.text !== text), { id: this.nextErrorId++, text }].slice(-MAX_ERRORS);
    this.set({ errors });
  }

  dismissError(id: number): void {
    this.set({ errors: this.current.errors.filter((e) => e.id !== id) });
  }

  clearListeners(): void {
    this.listeners.clear();
  }
}
