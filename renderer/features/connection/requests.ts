import { type ClientMessage } from '../../../shared';

/** Interaction frames that may be refused and carry a request id for the error to name. */
export type RequestType = 'offer.accept' | 'offer.decline' | 'chat.send' | 'call.hold' | 'interaction.end' | 'interaction.child_flag' | 'interaction.transfer' | 'interaction.move' | 'wrapup.submit';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type RequestMessage = DistributiveOmit<Extract<ClientMessage, { type: RequestType }>, 'id'>;

/** What an error frame refers to, so the right part of the UI can show it. */
export interface PendingRequest {
  id: string;
  type: RequestType;
  interactionId: string;
  /** For chat.send: which outgoing message failed. */
  clientMsgId?: string;
}

/** Requests not answered by an error are forgotten after this many newer ones. */
const MAX_PENDING = 200;

/**
 * Requests sent recently, so an error frame's `ref` (our request id, or just the message type when
 * the server could not read our id) finds what it is about. Successes are not reported by id, so
 * entries simply age out.
 */
export class PendingRequests {
  private readonly byId = new Map<string, PendingRequest>();
  private seq = 0;

  nextId(type: RequestType): string {
    this.seq += 1;
    return `${type}-${this.seq}`;
  }

  add(id: string, message: RequestMessage): void {
    const entry: PendingRequest = { id, type: message.type, interactionId: message.interactionId };
    if (message.type === 'chat.send') entry.clientMsgId = message.clientMsgId;
    this.byId.delete(id);
    this.byId.set(id, entry);
    while (this.byId.size > MAX_PENDING) {
      const oldest = this.byId.keys().next().value;
      if (oldest === undefined) break;
      this.byId.delete(oldest);
    }
  }

  /** The request an error refers to (and forgets it), or null when the ref names none of ours. */
  take(ref: string | undefined): PendingRequest | null {
    if (!ref) return null;
    const exact = this.byId.get(ref);
    if (exact) {
      this.byId.delete(ref);
      return exact;
    }
    // A bare message type: the most recent request of that type is the best guess.
    const entries = [...this.byId.values()];
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const entry = entries[i];
      if (entry && entry.type === ref) {
        this.byId.delete(entry.id);
        return entry;
      }
    }
    return null;
  }

  clear(): void {
    this.byId.clear();
  }
}
