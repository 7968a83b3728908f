import { ApiError, type WidgetApi } from './api';
import type { CallModule, CallPeerHandle, LoadCallModule, SignalData } from './call-types';
import { chatReducer, EMPTY_CHAT, type ChatAction, type ChatState } from './chat-state';
import { WidgetConnection, type ConnectionPhase, type FatalClose, type WidgetConnectionOptions } from './connection';
import { randomId } from './ids';
import { nextResendAt, planOutbox } from './outbox';
import type { SessionStore } from './saved-session';
import type { Phase } from './state-line';
import { AGENT_TYPING_SHOWN_MS, createTypingThrottle } from './typing';
import { MAX_CHAT_TEXT, type ClientMessage, type CustomerInfo, type CustomerStateFrame, type InteractionKindLive, type ServerMessage, type WidgetQueue } from './types';

/**
 * Everything the widget does, without the DOM: React renders `snapshot` and calls the methods.
 * Side effects (HTTP, socket, storage, the call module, clocks) come in as dependencies.
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
}

export interface WidgetSnapshot {
  queues: readonly WidgetQueue[];
  queuesStatus: 'loading' | 'ready' | 'error';
  queuesError: string | null;
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

export interface ConnectionLike {
  connect(): void;
  close(): void;
  reconnectNow(): void;
  send(frame: ClientMessage): boolean;
  readonly currentConnectionId: number | null;
}

export interface WidgetControllerDeps {
  api: WidgetApi;
  sessions: SessionStore;
  /** ws(s)://host/ws */
  wsUrl: string;
  createConnection?: (options: WidgetConnectionOptions) => ConnectionLike;
  loadCall?: LoadCallModule;
  now?: () => number;
  newId?: () => string;
}

export interface StartForm {
  queueId: string;
  name: string;
  email: string;
}

const MAX_ERRORS = 3;
const NOT_SENT_ENDED = 'the conversation had already ended.';
const MAX_PEER_RETRIES = 3;
/**
 * An offer the agent's app never answers (it was reloading when the offer went out, and the server
 * relays signals only to connected windows) is given up after this long and made again.
 */
export const PEER_ANSWER_TIMEOUT_MS = 15_000;
const MAX_BUFFERED_SIGNALS = 64;

export const INITIAL_SNAPSHOT: WidgetSnapshot = {
  queues: [],
  queuesStatus: 'loading',
  queuesError: null,
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

/** Only the fields the customer filled in; empty strings would fail the server's email check. */
export function customerInfo(name: string, email: string): CustomerInfo {
  const info: CustomerInfo = {};
  if (name.trim()) info.name = name.trim();
  if (email.trim()) info.email = email.trim();
  return info;
}

export class WidgetController {
  private s: WidgetSnapshot = INITIAL_SNAPSHOT;
  private readonly listeners = new Set<() => void>();
  private connection: ConnectionLike | null = null;
  private token: string | null = null;
  private expiresAt = '';
  private customer: CustomerInfo = {};
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly typingThrottle = createTypingThrottle();
  private agentTypingTimer: ReturnType<typeof setTimeout> | null = null;
  private resendTimer: ReturnType<typeof setTimeout> | null = null;
  private endFallbackTimer: ReturnType<typeof setTimeout> | null = null;
  private displayedUpTo = 0;
  private seenSentUpTo = 0;
  private pendingEnd = false;
  private acceptedOnce = false;
  private nextErrorId = 1;
  // call
  private callModule: CallModule | null = null;
  private localStream: MediaStream | null = null;
  private peer: CallPeerHandle | null = null;
  private peerStarting = false;
  private peerFailures = 0;
  private peerRetryTimer: ReturnType<typeof setTimeout> | null = null;
  private peerAnswerTimer: ReturnType<typeof setTimeout> | null = null;
  private iceServers: RTCIceServer[] | null = null;
  private bufferedSignals: SignalData[] = [];
  private disposed = false;

  constructor(private readonly deps: WidgetControllerDeps) {
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? (() => randomId('m'));
  }

  // ---- store interface (useSyncExternalStore) ----

  get snapshot(): WidgetSnapshot {
    return this.s;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): WidgetSnapshot => this.s;

  private set(patch: Partial<WidgetSnapshot>): void {
    this.s = { ...this.s, ...patch };
    for (const l of [...this.listeners]) l();
  }

  private setCall(patch: Partial<CallView>): void {
    this.set({ call: { ...this.s.call, ...patch } });
  }

  private pushError(text: string): void {
    const errors = [...this.s.errors.filter((e) => e.text !== text), { id: this.nextErrorId++, text }].slice(-MAX_ERRORS);
    this.set({ errors });
  }

  dismissError(id: number): void {
    this.set({ errors: this.s.errors.filter((e) => e.id !== id) });
  }

  // ---- start-up ----

  /** Restores a conversation kept in this tab, and loads the queues for the start form. */
  init(): void {
    const saved = this.deps.sessions.load(this.now());
    if (saved) {
      this.token = saved.customerToken;
      this.expiresAt = saved.expiresAt;
      this.set({
        session: { interactionId: saved.interactionId, kind: saved.kind, queueId: saved.queueId },
        chat: { messages: [], outbox: saved.outbox, agentReadUpTo: saved.agentReadUpTo },
        call: { ...this.s.call, status: saved.kind === 'call' ? 'waiting' : 'idle' },
      });
      this.openConnection();
    }
    void this.loadQueues();
  }

  async loadQueues(): Promise<void> {
    this.set({ queuesStatus: 'loading', queuesError: null });
    try {
      const queues = await this.deps.api.queues();
      this.set({ queues, queuesStatus: 'ready' });
    } catch (err) {
      this.set({ queuesStatus: 'error', queuesError: messageOf(err) });
    }
  }

  /** Starts a chat or a call. A call asks for the microphone first, so a blocked mic never queues a silent call. */
  async start(kind: InteractionKindLive, form: StartForm): Promise<void> {
    if (this.s.starting || this.s.session) return;
    if (!form.queueId) {
      this.set({ startError: 'Choose who you want to talk to first.' });
      return;
    }
    this.customer = customerInfo(form.name, form.email);
    this.set({ starting: kind, startError: null, notice: null, phase: 'starting' });
    if (kind === 'call') {
      this.setCall({ status: 'mic', error: null });
      try {
        await this.acquireMicrophone();
      } catch (err) {
        this.set({ starting: null, phase: 'idle', startError: messageOf(err) });
        this.setCall({ status: 'idle' });
        return;
      }
    }
    try {
      const r = await this.deps.api.start({ kind, queueId: form.queueId, customer: this.customer });
      if (this.disposed) return;
      this.token = r.customerToken;
      this.expiresAt = r.expiresAt;
      this.acceptedOnce = false;
      this.displayedUpTo = 0;
      this.seenSentUpTo = 0;
      this.set({
        starting: null,
        session: { interactionId: r.interactionId, kind, queueId: form.queueId },
        chat: EMPTY_CHAT,
        customerState: null,
        errors: [],
        fatal: null,
        ending: false,
        leave: INITIAL_SNAPSHOT.leave,
        call: { status: kind === 'call' ? 'waiting' : 'idle', muted: false, error: null, remoteStream: null },
      });
      this.persist();
      this.openConnection();
    } catch (err) {
      this.stopLocalStream();
      this.set({ starting: null, phase: 'idle', startError: messageOf(err) });
      this.setCall({ status: 'idle' });
    }
  }

  /** Back to the start form after a conversation ended. */
  newConversation(): void {
    this.teardown();
    this.deps.sessions.clear();
    this.set({
      ...INITIAL_SNAPSHOT,
      queues: this.s.queues,
      queuesStatus: this.s.queuesStatus,
      queuesError: this.s.queuesError,
    });
    void this.loadQueues();
  }

  // ---- chat ----

  /** Returns false (and says why) when the text cannot be sent. */
  sendChat(text: string): boolean {
    const session = this.s.session;
    const trimmed = text.trim();
    if (!session || !trimmed || this.isOver()) return false;
    if (trimmed.length > MAX_CHAT_TEXT) {
      this.pushError(`That message is too long (${trimmed.length} characters). Keep it under ${MAX_CHAT_TEXT}.`);
      return false;
    }
    this.dispatch({ type: 'queued', clientMsgId: this.newId(), text: trimmed, at: new Date(this.now()).toISOString() });
    this.flushOutbox();
    return true;
  }

  retryMessage(clientMsgId: string): void {
    this.dispatch({ type: 'retry', clientMsgId });
    this.flushOutbox();
  }

  discardMessage(clientMsgId: string): void {
    this.dispatch({ type: 'discard', clientMsgId });
  }

  /** Call on every keystroke: at most one chat.typing per 2 s goes out. */
  typing(): void {
    const session = this.s.session;
    if (!session || !this.connection || this.connection.currentConnectionId === null || this.isOver()) return;
    if (!this.typingThrottle(this.now())) return;
    this.connection.send({ type: 'chat.typing', interactionId: session.interactionId });
  }

  /** The view has shown every message up to `upToSeq` to the customer (page visible). */
  displayed(upToSeq: number): void {
    if (upToSeq > this.displayedUpTo) this.displayedUpTo = upToSeq;
    this.flushSeen();
  }

  // ---- ending ----

  /** Ends the chat or hangs up the call. */
  end(): void {
    const session = this.s.session;
    if (!session || this.isOver() || this.s.ending) return;
    this.stopCall();
    this.set({ ending: true });
    this.pendingEnd = true;
    this.flushEnd();
    // If the server stays silent (offline), the customer still gets a clear end.
    this.endFallbackTimer = setTimeout(() => {
      if (this.s.ending && this.s.customerState?.state !== 'ended') this.finish(null);
    }, 5_000);
  }

  // ---- leave a message ----

  async leaveMessage(input: { queueId: string; name: string; email: string; text: string }): Promise<boolean> {
    const text = input.text.trim();
    if (!text) {
      this.set({ leave: { status: 'error', error: 'Write your message first.', replyTo: null } });
      return false;
    }
    if (text.length > MAX_CHAT_TEXT) {
      this.set({ leave: { status: 'error', error: `Your message is too long (${text.length} characters). Keep it under ${MAX_CHAT_TEXT}.`, replyTo: null } });
      return false;
    }
    const customer = customerInfo(input.name, input.email);
    this.set({ leave: { status: 'sending', error: null, replyTo: null } });
    try {
      await this.deps.api.leaveMessage({ queueId: input.queueId, customer, text });
      this.set({ leave: { status: 'sent', error: null, replyTo: customer.email ?? null } });
      // The message replaces the live conversation that found nobody.
      if (this.s.session && !this.isOver()) this.end();
      return true;
    } catch (err) {
      this.set({ leave: { status: 'error', error: messageOf(err), replyTo: null } });
      return false;
    }
  }

  // ---- call controls ----

  toggleMute(): void {
    this.setCall({ muted: !this.s.call.muted });
    this.applyTrackState();
  }

  /** After a failure (mic blocked, audio lost): try again from a click, which browsers want for the mic prompt. */
  retryAudio(): void {
    this.peerFailures = 0;
    this.setCall({ error: null });
    void this.ensurePeer();
  }

  /** The browser is online again: skip the backoff wait. */
  online(): void {
    this.connection?.reconnectNow();
  }

  dispose(): void {
    this.disposed = true;
    this.teardown();
    this.listeners.clear();
  }

  // ---- internals: connection ----

  private openConnection(): void {
    const token = this.token;
    if (!token) return;
    this.connection?.close();
    const options: WidgetConnectionOptions = {
      url: this.deps.wsUrl,
      token,
      onPhase: (phase, info) => this.onPhase(phase, info.retryInMs),
      onFrame: (frame) => this.onFrame(frame),
      onFatal: (close) => this.onFatal(close),
    };
    const connection = this.deps.createConnection ? this.deps.createConnection(options) : new WidgetConnection(options);
    this.connection = connection;
    connection.connect();
  }

  private onPhase(phase: ConnectionPhase, retryInMs: number | null): void {
    if (this.isOver() && phase !== 'closed') return;
    this.set({ phase, retryInMs });
    if (phase === 'open') {
      this.acceptedOnce = true;
      this.flushEnd();
      this.flushOutbox();
      // A receipt the previous socket could not carry.
      this.flushSeen();
    }
  }

  private onFatal(close: FatalClose): void {
    const hadConversation = this.acceptedOnce || this.s.chat.messages.length > 0;
    this.dispatch({ type: 'closed', error: NOT_SENT_ENDED });
    this.teardownCall();
    this.deps.sessions.clear();
    if (close.kind === 'protocol-mismatch') {
      this.set({ fatal: 'This page is out of date. Reload it to continue.', ending: false });
      return;
    }
    if (!hadConversation) {
      // A conversation kept from before (reload) that the server no longer knows: start fresh.
      this.set({
        ...INITIAL_SNAPSHOT,
        queues: this.s.queues,
        queuesStatus: this.s.queuesStatus,
        queuesError: this.s.queuesError,
        notice: 'Your previous conversation has ended. Start a new one below if you still need help.',
      });
      return;
    }
    this.set({ fatal: 'This conversation has ended or expired. Start a new one if you still need help.', ending: false });
    this.setCall({ status: this.s.session?.kind === 'call' ? 'ended' : 'idle', remoteStream: null });
  }

  private onFrame(frame: ServerMessage): void {
    const session = this.s.session;
    if (!session) return;
    const forUs = !('interactionId' in frame) || frame.interactionId === session.interactionId;
    if (!forUs) return;
    switch (frame.type) {
      case 'hello.customer':
        if (frame.kind !== session.kind) this.set({ session: { ...session, kind: frame.kind } });
        this.dispatch({ type: 'transcript', messages: Array.isArray(frame.messages) ? frame.messages : [] });
        return;
      case 'customer.state':
        this.onCustomerState(frame);
        return;
      case 'chat.message':
        this.dispatch(frame.clientMsgId ? { type: 'message', message: frame.message, clientMsgId: frame.clientMsgId } : { type: 'message', message: frame.message });
        if (frame.message?.from === 'agent') this.setAgentTyping(false);
        return;
      case 'chat.typing':
        if (frame.from === 'agent') this.setAgentTyping(true);
        return;
      case 'chat.seen':
        this.dispatch({ type: 'seen', upToSeq: frame.upToSeq, by: frame.by });
        return;
      case 'call.signal':
        this.onRemoteSignal(frame.signal);
        return;
      case 'error':
        this.onErrorFrame(frame.message, frame.ref);
        return;
      default:
        return;
    }
  }

  private onErrorFrame(message: string, ref: string | undefined): void {
    const text = message || 'The server refused that.';
    if (ref && this.s.chat.outbox.some((i) => i.clientMsgId === ref)) {
      this.dispatch({ type: 'failed', clientMsgId: ref, error: text });
      return;
    }
    if (ref && ref === this.endRequestId && this.s.ending) {
      this.set({ ending: false });
    }
    this.pushError(text);
  }

  private onCustomerState(frame: CustomerStateFrame): void {
    this.set({ customerState: frame });
    if (frame.state === 'ended') {
      this.finish(frame);
      return;
    }
    if (this.s.session?.kind !== 'call') return;
    if (frame.state === 'connected' || frame.state === 'on_hold') {
      this.applyTrackState();
      if (!this.peer && !this.peerStarting && this.peerRetryTimer === null && this.s.call.status !== 'failed') void this.ensurePeer();
    }
  }

  /** The conversation is over: stop everything, forget the token, keep the transcript on screen. */
  private finish(frame: CustomerStateFrame | null): void {
    this.dispatch({ type: 'closed', error: NOT_SENT_ENDED });
    this.deps.sessions.clear();
    this.teardownCall();
    if (this.endFallbackTimer) clearTimeout(this.endFallbackTimer);
    this.endFallbackTimer = null;
    const connection = this.connection;
    this.connection = null;
    connection?.close();
    this.setAgentTyping(false);
    this.pendingEnd = false;
    this.set({
      ending: false,
      phase: 'closed',
      retryInMs: null,
      customerState: frame ?? { type: 'customer.state', interactionId: this.s.session?.interactionId ?? '', state: 'ended' },
    });
    if (this.s.session?.kind === 'call') this.setCall({ status: 'ended', remoteStream: null });
  }

  private isOver(): boolean {
    return this.s.customerState?.state === 'ended' || this.s.fatal !== null;
  }

  private endRequestId: string | null = null;

  private flushEnd(): void {
    const session = this.s.session;
    if (!this.pendingEnd || !session || !this.connection) return;
    this.endRequestId = `end-${this.newId()}`.slice(0, 64);
    if (this.connection.send({ type: 'interaction.end', interactionId: session.interactionId, id: this.endRequestId })) this.pendingEnd = false;
  }

  // ---- internals: chat ----

  private dispatch(action: ChatAction): void {
    const chat = chatReducer(this.s.chat, action);
    if (chat === this.s.chat) return;
    this.set({ chat });
    this.persist();
  }

  private persist(): void {
    const session = this.s.session;
    if (!session || !this.token || this.isOver()) return;
    this.deps.sessions.save({
      interactionId: session.interactionId,
      customerToken: this.token,
      expiresAt: this.expiresAt,
      kind: session.kind,
      queueId: session.queueId,
      outbox: [...this.s.chat.outbox],
      agentReadUpTo: this.s.chat.agentReadUpTo,
    });
  }

  private flushOutbox(): void {
    const session = this.s.session;
    const connection = this.connection;
    if (this.resendTimer) clearTimeout(this.resendTimer);
    this.resendTimer = null;
    if (!session || !connection) return;
    const connectionId = connection.currentConnectionId;
    const now = this.now();
    const plan = planOutbox(this.s.chat.outbox, connectionId, now);
    for (const item of plan.giveUp) {
      this.dispatch({ type: 'failed', clientMsgId: item.clientMsgId, error: 'no answer from the server. Check your connection, then press Retry.' });
    }
    for (const item of plan.send) {
      if (connectionId === null) break;
      const ok = connection.send({ type: 'chat.send', interactionId: session.interactionId, clientMsgId: item.clientMsgId, text: item.text, id: item.clientMsgId });
      if (!ok) break; // the socket went away: the next accepted connection sends the rest
      this.dispatch({ type: 'transmitted', clientMsgId: item.clientMsgId, connectionId, now });
    }
    const next = nextResendAt(this.s.chat.outbox);
    if (next !== null) this.resendTimer = setTimeout(() => this.flushOutbox(), Math.max(0, next - this.now()) + 10);
  }

  private flushSeen(): void {
    const session = this.s.session;
    if (!session || !this.connection || this.displayedUpTo <= this.seenSentUpTo || this.isOver()) return;
    if (this.connection.send({ type: 'chat.seen', interactionId: session.interactionId, upToSeq: this.displayedUpTo })) this.seenSentUpTo = this.displayedUpTo;
  }

  private setAgentTyping(on: boolean): void {
    if (this.agentTypingTimer) clearTimeout(this.agentTypingTimer);
    this.agentTypingTimer = null;
    if (on) this.agentTypingTimer = setTimeout(() => this.set({ agentTyping: false }), AGENT_TYPING_SHOWN_MS);
    if (this.s.agentTyping !== on) this.set({ agentTyping: on });
  }

  // ---- internals: call ----

  private async loadCallModule(): Promise<CallModule> {
    if (this.callModule) return this.callModule;
    if (!this.deps.loadCall) throw new Error('Calls are not available in this widget.');
    try {
      this.callModule = await this.deps.loadCall();
    } catch {
      throw new Error('The call feature could not be loaded. Check your connection and reload the page.');
    }
    return this.callModule;
  }

  private async acquireMicrophone(): Promise<MediaStream> {
    if (this.localStream) return this.localStream;
    const module = await this.loadCallModule();
    this.localStream = await module.acquireMicrophone();
    this.applyTrackState();
    return this.localStream;
  }

  /** The customer creates the offer (see call/call.ts): once connected, build the peer. */
  private async ensurePeer(): Promise<void> {
    if (this.peer || this.peerStarting || this.isOver()) return;
    const session = this.s.session;
    const state = this.s.customerState?.state;
    if (!session || session.kind !== 'call' || (state !== 'connected' && state !== 'on_hold')) return;
    this.peerStarting = true;
    try {
      let stream: MediaStream;
      try {
        if (!this.localStream) this.setCall({ status: 'mic' });
        stream = await this.acquireMicrophone();
      } catch (err) {
        this.setCall({ status: 'failed', error: messageOf(err) });
        return;
      }
      if (this.iceServers === null) {
        try {
          this.iceServers = await this.deps.api.iceServers();
        } catch {
          this.iceServers = []; // same network as the server (or TURN-less setups) still connect
        }
      }
      const module = await this.loadCallModule();
      if (this.isOver() || this.s.session?.interactionId !== session.interactionId) return;
      this.bufferedSignals = []; // anything before our offer belongs to an older negotiation
      this.setCall({ status: 'connecting', error: null });
      const handle: CallPeerHandle = module.createPeer({
        stream,
        iceServers: this.iceServers,
        onSignal: (signal) => {
          const s = this.s.session;
          if (this.peer === handle && s) this.connection?.send({ type: 'call.signal', interactionId: s.interactionId, signal });
        },
        onRemoteStream: (remote) => {
          if (this.peer === handle) this.setCall({ remoteStream: remote });
        },
        onConnected: () => {
          if (this.peer !== handle) return;
          this.clearAnswerTimer();
          this.peerFailures = 0;
          this.setCall({ status: 'connected', error: null });
        },
        onClose: (error) => {
          if (this.peer !== handle) return;
          this.clearAnswerTimer();
          this.peer = null;
          this.onPeerLost(error);
        },
      });
      this.peer = handle;
      this.clearAnswerTimer();
      this.peerAnswerTimer = setTimeout(() => {
        this.peerAnswerTimer = null;
        if (this.peer !== handle || this.s.call.status === 'connected') return;
        this.peer = null;
        handle.destroy();
        this.onPeerLost('the agent did not answer');
      }, PEER_ANSWER_TIMEOUT_MS);
      for (const s of this.bufferedSignals.splice(0)) handle.signal(s);
    } catch (err) {
      this.setCall({ status: 'failed', error: messageOf(err) });
    } finally {
      this.peerStarting = false;
    }
  }

  private onPeerLost(error: string | null): void {
    const state = this.s.customerState?.state;
    if (this.isOver() || this.s.ending || (state !== 'connected' && state !== 'on_hold')) return;
    this.setCall({ remoteStream: null });
    this.peerFailures += 1;
    if (this.peerFailures > MAX_PEER_RETRIES) {
      this.setCall({ status: 'failed', error: `The audio connection was lost${error ? ` (${error})` : ''}. Press “Reconnect audio” to try again.` });
      return;
    }
    // Re-offer: the agent's side treats a new offer as a new peer.
    this.setCall({ status: 'reconnecting' });
    this.peerRetryTimer = setTimeout(() => {
      this.peerRetryTimer = null;
      void this.ensurePeer();
    }, 1_000 * this.peerFailures);
  }

  private onRemoteSignal(signal: unknown): void {
    if (typeof signal !== 'object' || signal === null) return;
    if (this.peer) {
      this.peer.signal(signal as SignalData);
      return;
    }
    if (this.bufferedSignals.length < MAX_BUFFERED_SIGNALS) this.bufferedSignals.push(signal as SignalData);
  }

  /** Mic track on unless muted by the customer or the call is on hold. */
  private applyTrackState(): void {
    const held = this.s.customerState?.state === 'on_hold';
    for (const t of this.localStream?.getAudioTracks() ?? []) t.enabled = !this.s.call.muted && !held;
  }

  private stopLocalStream(): void {
    for (const t of this.localStream?.getTracks() ?? []) t.stop();
    this.localStream = null;
  }

  private clearAnswerTimer(): void {
    if (this.peerAnswerTimer) clearTimeout(this.peerAnswerTimer);
    this.peerAnswerTimer = null;
  }

  private stopCall(): void {
    if (this.peerRetryTimer) clearTimeout(this.peerRetryTimer);
    this.peerRetryTimer = null;
    this.clearAnswerTimer();
    const peer = this.peer;
    this.peer = null;
    peer?.destroy();
    this.stopLocalStream();
    this.bufferedSignals = [];
  }

  private teardownCall(): void {
    this.stopCall();
    if (this.s.call.remoteStream) this.setCall({ remoteStream: null });
  }

  private teardown(): void {
    this.teardownCall();
    const connection = this.connection;
    this.connection = null;
    connection?.close();
    for (const t of [this.agentTypingTimer, this.resendTimer, this.endFallbackTimer]) if (t) clearTimeout(t);
    this.agentTypingTimer = this.resendTimer = this.endFallbackTimer = null;
    this.token = null;
    this.pendingEnd = false;
    this.acceptedOnce = false;
    this.displayedUpTo = 0;
    this.seenSentUpTo = 0;
    this.peerFailures = 0;
  }
}

export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong. Reload the page and try again.';
}
