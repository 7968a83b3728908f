import { randomUUID } from 'node:crypto';
import wrtc from '@roamhq/wrtc';
import SimplePeer from 'simple-peer';
import WebSocket from 'ws';
import { StartInteractionResponse } from '../../shared/api/interactions-http';
import { ServerMessage, type ClientMessage } from '../../shared/api/ws';
import type { ChatMessage } from '../../shared/domain/interactions';
import { PROTOCOL_VERSION } from '../../shared/version';
import { ToneSource } from './tone-source';

export type CustomerEvent =
  | { kind: 'state'; state: string; detail: string }
  | { kind: 'message'; message: ChatMessage }
  | { kind: 'error'; message: string };

/**
 * One customer driven from Node, speaking the same protocol as the web widget: starts a chat or a
 * call through the widget API, then talks over the WebSocket. Calls use real WebRTC (@roamhq/wrtc)
 * with a tone as the microphone; the customer is the initiator, as in the widget.
 */
export class SimulatedCustomer {
  interactionId = '';
  state = 'new';
  readonly messages: ChatMessage[] = [];
  private ws?: WebSocket;
  private peer?: SimplePeer.Instance;
  private tone?: ToneSource;
  private readonly listeners = new Set<(event: CustomerEvent) => void>();
  /** Resolvers for chat acknowledgements, by clientMsgId. */
  private readonly pendingAcks = new Map<string, (message: ChatMessage) => void>();

  constructor(
    private readonly baseUrl: string,
    readonly kind: 'chat' | 'call',
    private readonly opts: { name?: string; queueId?: string; toneHz?: number } = {},
  ) {}

  on(listener: (event: CustomerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    const queueId = this.opts.queueId ?? (await this.firstQueueId());
    const res = await fetch(`${this.baseUrl}/api/widget/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: this.kind, queueId, customer: this.opts.name ? { name: this.opts.name } : {} }),
    });
    if (!res.ok) throw new Error(`could not start a ${this.kind}: ${res.status} ${await res.text()}`);
    const started = StartInteractionResponse.parse(await res.json());
    this.interactionId = started.interactionId;
    await this.connect(started.customerToken);
  }

  /** Sends a chat message and resolves when the server acknowledged (stored) it. */
  say(text: string): Promise<ChatMessage> {
    const clientMsgId = randomUUID();
    const acked = new Promise<ChatMessage>((resolve) => this.pendingAcks.set(clientMsgId, resolve));
    this.send({ type: 'chat.send', interactionId: this.interactionId, clientMsgId, text });
    return acked;
  }

  setToneFrequency(hz: number): void {
    this.tone?.setFrequency(hz);
  }

  hangUp(): void {
    this.send({ type: 'interaction.end', interactionId: this.interactionId });
  }

  close(): void {
    this.peer?.destroy();
    this.tone?.stop();
    this.ws?.close();
  }

  /** Resolves when the state line reaches `state` (e.g. 'connected'). */
  waitForState(state: string, timeoutMs = 30_000): Promise<void> {
    if (this.state === state) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`customer ${this.interactionId} did not reach ${state} within ${timeoutMs} ms (now ${this.state})`));
      }, timeoutMs);
      const off = this.on((e) => {
        if (e.kind === 'state' && e.state === state) {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
    });
  }

  private async firstQueueId(): Promise<string> {
    const res = await fetch(`${this.baseUrl}/api/widget/queues`);
    const body = (await res.json()) as { queues: { id: string }[] };
    const first = body.queues[0];
    if (!first) throw new Error('the server has no queues');
    return first.id;
  }

  private connect(token: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${this.baseUrl.replace(/^http/, 'ws')}/ws`);
      this.ws = ws;
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, token })));
      ws.on('error', reject);
      ws.on('message', (data) => {
        const parsed = ServerMessage.safeParse(JSON.parse(data.toString()));
        if (!parsed.success) return;
        const message = parsed.data;
        if (message.type === 'hello.customer') resolve();
        this.handle(message);
      });
    });
  }

  private handle(message: ServerMessage): void {
    switch (message.type) {
      case 'customer.state': {
        const previous = this.state;
        this.state = message.state;
        this.emit({ kind: 'state', state: message.state, detail: message.agentName ?? (message.position ? `position ${message.position}` : '') });
        if (this.kind === 'call' && message.state === 'connected' && previous !== 'connected' && previous !== 'on_hold') this.startCall();
        break;
      }
      case 'chat.message':
        this.messages.push(message.message);
        if (message.clientMsgId) this.pendingAcks.get(message.clientMsgId)?.(message.message);
        if (message.clientMsgId) this.pendingAcks.delete(message.clientMsgId);
        this.emit({ kind: 'message', message: message.message });
        break;
      case 'call.signal':
        this.peer?.signal(message.signal as unknown as SimplePeer.SignalData);
        break;
      case 'error':
        this.emit({ kind: 'error', message: `${message.code}: ${message.message}` });
        break;
      default:
        break;
    }
  }

  private startCall(): void {
    this.tone = new ToneSource(this.opts.toneHz ?? 440);
    this.tone.start();
    const stream = new wrtc.MediaStream([this.tone.track as never]);
    this.peer = new SimplePeer({ initiator: true, trickle: true, wrtc: wrtc as never, stream: stream as never });
    this.peer.on('signal', (signal) => this.send({ type: 'call.signal', interactionId: this.interactionId, signal: signal as unknown as Record<string, unknown> }));
    this.peer.on('error', (err) => this.emit({ kind: 'error', message: `call: ${err.message}` }));
  }

  private send(message: ClientMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private emit(event: CustomerEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
