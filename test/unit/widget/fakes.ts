import type { WebSocketLike } from '../../../widget/lib/connection';
import type { ChatMessage } from '../../../widget/lib/types';

/** In-memory stand-in for the browser WebSocket; tests play the server through it. */
export class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  static reset(): void {
    FakeSocket.all = [];
  }
  static latest(): FakeSocket {
    const s = FakeSocket.all.at(-1);
    if (!s) throw new Error('no socket yet');
    return s;
  }

  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: string[] = [];
  closedByClient: number | null = null;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(data);
  }

  close(code?: number): void {
    this.closedByClient = code ?? 1000;
    this.readyState = 3;
  }

  get frames(): Array<Record<string, unknown>> {
    return this.sent.map((s) => JSON.parse(s) as Record<string, unknown>);
  }

  framesOf(type: string): Array<Record<string, unknown>> {
    return this.frames.filter((f) => f.type === type);
  }

  serverOpen(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  serverSend(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  serverClose(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** Open + answer the hello like the server does. */
  accept(interactionId: string, messages: ChatMessage[] = [], kind: 'chat' | 'call' = 'chat'): void {
    this.serverOpen();
    this.serverSend({ type: 'hello.customer', protocol: 1, serverVersion: 'test', heartbeatMs: 15_000, interactionId, kind, messages });
  }
}

export function msg(seq: number, from: ChatMessage['from'] = 'agent', text = `message ${seq}`, id = `id-${seq}`): ChatMessage {
  return { id, interactionId: 'i1', seq, from, authorName: from === 'agent' ? 'Ada Agent' : from === 'customer' ? 'Cleo' : 'System', text, at: new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString() };
}

/** sessionStorage stand-in. */
export class MemoryStorage {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}
