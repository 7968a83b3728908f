import { type WidgetApi } from './api';
import type { LoadCallModule } from './call-types';
import { CallSession } from './call-session';
import { ChatDelivery } from './chat-delivery';
import { chatReducer, type ChatAction } from './chat-state';
import { WidgetConnection, type ConnectionLike, type ConnectionPhase, type FatalClose, type WidgetConnectionOptions } from './connection';
import { randomId } from './ids';
import { saveConversation, type SessionStore } from './saved-session';
import { conversationRestored, conversationStarted, SnapshotStore, startScreenAgain, type CallView, type StartForm, type WidgetSnapshot } from './snapshot';
import { ConsentSession } from './consent-session';
import { startConversation } from './conversation-start';
import { loadQueues, sendLeftMessage, type LeaveMessageInput } from './start-screen';
import { MAX_CHAT_TEXT, type CustomerStateFrame, type InteractionKindLive, type ServerMessage } from './types';

/**
 * Everything the widget does, without the DOM: React renders `snapshot` and calls the methods.
 * Side effects (HTTP, socket, storage, the call module, clocks) come in as dependencies. This file
 * is the conversation's life (connection, frames, end) once started; the start form's checks and
 * request are in conversation-start.ts, the chat's delivery and the call in chat-delivery.ts and
 * call-session.ts, the snapshot and its store in snapshot.ts.
 */

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

const NOT_SENT_ENDED = 'the conversation had already ended.';

export class WidgetController {
  private readonly store = new SnapshotStore();
  private connection: ConnectionLike | null = null;
  private token: string | null = null;
  private expiresAt = '';
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly chatDelivery: ChatDelivery;
  private readonly call: CallSession;
  /** The conversation's consents: listed and withdrawn with its token. */
  readonly consent: ConsentSession;
  private endFallbackTimer: ReturnType<typeof setTimeout> | null = null;
  private pendingEnd = false;
  private acceptedOnce = false;
  private disposed = false;

  constructor(private readonly deps: WidgetControllerDeps) {
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? (() => randomId('m'));
    this.chatDelivery = new ChatDelivery({
      store: this.store,
      connection: () => this.connection,
      dispatch: (action) => this.dispatch(action),
      isOver: () => this.isOver(),
      now: this.now,
    });
    this.consent = new ConsentSession({ api: deps.api, store: this.store, token: () => this.token });
    this.call = new CallSession({
      store: this.store,
      api: deps.api,
      token: () => this.token,
      ...(deps.loadCall ? { loadCall: deps.loadCall } : {}),
      isOver: () => this.isOver(),
      sendSignal: (signal) => {
        const s = this.s.session;
        if (s) this.connection?.send({ type: 'call.signal', interactionId: s.interactionId, signal });
      },
    });
  }

  // ---- store interface (useSyncExternalStore) ----

  get snapshot(): WidgetSnapshot {
    return this.store.snapshot;
  }

  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  getSnapshot = (): WidgetSnapshot => this.store.snapshot;

  private get s(): WidgetSnapshot {
    return this.store.snapshot;
  }

  private set(patch: Partial<WidgetSnapshot>): void {
    this.store.set(patch);
  }

  private setCall(patch: Partial<CallView>): void {
    this.store.setCall(patch);
  }

  dismissError(id: number): void {
    this.store.dismissError(id);
  }

  // ---- start-up ----

  /** Restores a conversation kept in this tab, and loads the queues for the start form. */
  init(): void {
    const saved = this.deps.sessions.load(this.now());
    if (saved) {
      this.token = saved.customerToken;
      this.expiresAt = saved.expiresAt;
      this.set(conversationRestored(this.s, saved));
      this.openConnection();
      void this.consent.load();
    }
    void this.loadQueues();
  }

  async loadQueues(): Promise<void> {
    await loadQueues(this.deps.api, this.store);
  }

  /** Starts a chat or a call (checks, microphone and request in conversation-start.ts). */
  start(kind: InteractionKindLive, form: StartForm): Promise<void> {
    return startConversation({ api: this.deps.api, store: this.store, call: this.call, now: this.now }, kind, form, (r, sentConsents) => {
      if (this.disposed) return;
      this.token = r.customerToken;
      this.expiresAt = r.expiresAt;
      this.acceptedOnce = false;
      this.chatDelivery.restart();
      this.set(conversationStarted({ interactionId: r.interactionId, kind, queueId: form.queueId }));
      this.persist();
      this.openConnection();
      if (sentConsents) void this.consent.load();
    });
  }

  /** Back to the start form after a conversation ended. */
  newConversation(): void {
    this.teardown();
    this.deps.sessions.clear();
    this.set(startScreenAgain(this.s, null));
    void this.loadQueues();
  }

  // ---- chat ----

  /** Returns false (and says why) when the text cannot be sent. */
  sendChat(text: string): boolean {
    const session = this.s.session;
    const trimmed = text.trim();
    if (!session || !trimmed || this.isOver()) return false;
    if (trimmed.length > MAX_CHAT_TEXT) {
      this.store.pushError(`That message is too long (${trimmed.length} characters). Keep it under ${MAX_CHAT_TEXT}.`);
      return false;
    }
    this.dispatch({ type: 'queued', clientMsgId: this.newId(), text: trimmed, at: new Date(this.now()).toISOString() });
    this.chatDelivery.flushOutbox();
    return true;
  }

  retryMessage(clientMsgId: string): void {
    this.dispatch({ type: 'retry', clientMsgId });
    this.chatDelivery.flushOutbox();
  }

  discardMessage(clientMsgId: string): void {
    this.dispatch({ type: 'discard', clientMsgId });
  }

  /** Call on every keystroke: at most one chat.typing per 2 s goes out. */
  typing(): void {
    this.chatDelivery.typing();
  }

  /** The view has shown every message up to `upToSeq` to the customer (page visible). */
  displayed(upToSeq: number): void {
    this.chatDelivery.displayed(upToSeq);
  }

  // ---- ending ----

  /** Ends the chat or hangs up the call. */
  end(): void {
    const session = this.s.session;
    if (!session || this.isOver() || this.s.ending) return;
    this.call.stop();
    this.set({ ending: true });
    this.pendingEnd = true;
    this.flushEnd();
    // If the server stays silent (offline), the customer still gets a clear end.
    this.endFallbackTimer = setTimeout(() => {
      if (this.s.ending && this.s.customerState?.state !== 'ended') this.finish(null);
    }, 5_000);
  }

  // ---- leave a message ----

  async leaveMessage(input: LeaveMessageInput): Promise<boolean> {
    const sent = await sendLeftMessage(this.deps.api, this.store, input, new Date(this.now()));
    // The message replaces the live conversation that found nobody.
    if (sent && this.s.session && !this.isOver()) this.end();
    return sent;
  }

  // ---- call controls ----

  toggleMute(): void {
    this.call.toggleMute();
  }

  /** After a failure (mic blocked, audio lost): try again from a click, which browsers want for the mic prompt. */
  retryAudio(): void {
    this.call.retryAudio();
  }

  /** The browser is online again: skip the backoff wait. */
  online(): void {
    this.connection?.reconnectNow();
  }

  /** The browser went offline: say so at once instead of waiting for the silence to tell. */
  offline(): void {
    this.connection?.networkLost();
  }

  dispose(): void {
    this.disposed = true;
    this.teardown();
    this.store.clearListeners();
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
      this.chatDelivery.flushOutbox();
      // A receipt the previous socket could not carry.
      this.chatDelivery.flushSeen();
    }
  }

  private onFatal(close: FatalClose): void {
    const hadConversation = this.acceptedOnce || this.s.chat.messages.length > 0;
    this.dispatch({ type: 'closed', error: NOT_SENT_ENDED });
    this.call.teardown();
    this.deps.sessions.clear();
    if (close.kind === 'protocol-mismatch') {
      this.set({ fatal: 'This page is out of date. Reload it to continue.', ending: false });
      return;
    }
    if (!hadConversation) {
      // A conversation kept from before (reload) that the server no longer knows: start fresh.
      this.set(startScreenAgain(this.s, 'Your previous conversation has ended. Start a new one below if you still need help.'));
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
      case 'chat.typing':
      case 'chat.seen':
        this.chatDelivery.receive(frame);
        return;
      case 'call.signal':
        this.call.onRemoteSignal(frame.signal);
        return;
      case 'call.recording':
        this.set({ recordingNow: frame.state });
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
    this.store.pushError(text);
  }

  private onCustomerState(frame: CustomerStateFrame): void {
    this.set({ customerState: frame });
    if (frame.state === 'ended') {
      this.finish(frame);
      return;
    }
    if (this.s.session?.kind !== 'call') return;
    if (frame.state === 'connected' || frame.state === 'on_hold') this.call.onConnectedState();
  }

  /** The conversation is over: stop everything, forget the token, keep the transcript on screen. */
  private finish(frame: CustomerStateFrame | null): void {
    this.dispatch({ type: 'closed', error: NOT_SENT_ENDED });
    this.deps.sessions.clear();
    this.call.teardown();
    if (this.endFallbackTimer) clearTimeout(this.endFallbackTimer);
    this.endFallbackTimer = null;
    const connection = this.connection;
    this.connection = null;
    connection?.close();
    this.chatDelivery.setAgentTyping(false);
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
    if (this.token && !this.isOver()) saveConversation(this.deps.sessions, this.s, { customerToken: this.token, expiresAt: this.expiresAt });
  }

  private teardown(): void {
    this.call.teardown();
    const connection = this.connection;
    this.connection = null;
    connection?.close();
    this.chatDelivery.reset();
    if (this.endFallbackTimer) clearTimeout(this.endFallbackTimer);
    this.endFallbackTimer = null;
    this.token = null;
    this.pendingEnd = false;
    this.acceptedOnce = false;
    this.call.forgetFailures();
  }
}
