import type { ChatAuthor, InteractionStatus } from '../../../shared/domain/interactions';
import type { SensitiveCategory } from '../../../shared/domain/sensitive';

/** What the service keeps in memory for an interaction still in progress (the database has the rest). */
export interface LiveInteraction {
  readonly id: string;
  readonly kind: 'chat' | 'call';
  queueId: string;
  status: Extract<InteractionStatus, 'queued' | 'offered' | 'active' | 'wrapup'>;
  /** Assigned agent (active, wrap-up); null while queued or offered. */
  agentId: string | null;
  customerName: string | null;
  /** Its sensitive mark's category as stored (null: unmarked), mirrored for the board and monitoring. */
  sensitive: string | null;
  /** When it (last) entered a queue: creation, or a transfer. */
  enqueuedAt: number;
  onHold: boolean;
  /** The pending offer, if any. */
  offer: { agentId: string; expiresAt: number } | null;
  /** Set while in wrap-up. */
  wrapup: { agentId: string; deadline: number; timer: NodeJS.Timeout } | null;
  /** Runs while a queued customer has no connection; when it fires they have abandoned. */
  goneTimer: NodeJS.Timeout | null;
  /** The wait passed the org's maximum queue time: the customer has been offered to leave a message. */
  leaveMessageOffered?: boolean;
  /** The last customer.state sent (state and position), so unchanged states are not re-sent. */
  lastCustomerState: string | null;
  /** Categories the org's keywords matched so far in this interaction (never text). */
  matchedSensitive?: Set<SensitiveCategory>;
  /** Which of them each agent has been told of: once per agent and category, so a transfer's new agent hears too. */
  suggestedSensitive?: Map<string, Set<SensitiveCategory>>;
  /** Chat numbering and de-duplication, loaded from the database by the first message (chat.ts). */
  chatLog?: ChatLog;
}

/** The last seq given out and which side used each clientMsgId; only chat.ts changes it. */
export interface ChatLog {
  lastSeq: number;
  clientMsgIds: Map<string, ChatAuthor>;
  /** Bytes of text stored so far (both sides), for the per-interaction cap. */
  bytes: number;
  /** What the customer sent while nobody had answered (the pre-answer cap). */
  unanswered: { count: number; bytes: number };
}

/**
 * Runs tasks one at a time, in the order they were queued. Every change to interactions goes
 * through one of these, so a check and the writes that depend on it are never interleaved with
 * another change (accept vs. timeout, two accepts, a message vs. the end). Tasks must not wait for
 * another task of the same queue.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const next = this.tail.then(task);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
