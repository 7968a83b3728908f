import { FakeWebSocketBase } from '../browser/fake-websocket';
import type { ChatMessage } from '../../../widget/lib/types';

/** The shared fake WebSocket with the widget's names: the close code, `all`, `framesOf`, the customer handshake. */
export class FakeSocket extends FakeWebSocketBase {
  closedByClient: number | null = null;

  static get all(): FakeSocket[] {
    return FakeWebSocketBase.instances as FakeSocket[];
  }

  protected recordClose(code: number | undefined): void {
    this.closedByClient = code ?? 1000;
  }

  framesOf(type: string): Array<Record<string, unknown>> {
    return this.framesOfType(type);
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
