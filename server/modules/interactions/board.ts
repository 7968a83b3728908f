import type { ServerMessageOf } from '../../../shared/api/ws';
import type { AgentActivity, AgentBoardRow, QueueBoardRow } from '../../../shared/domain/interactions';
import type { PresenceService } from '../presence/presence-service';
import type { InteractionService } from './interaction-service';
import type { LiveInteraction } from './live';

const WATCHERS = ['supervisor', 'admin'] as const;

/** Boards sent at most this often; changes in between are folded into the next (trailing) send. */
export const BOARD_INTERVAL_MS = 200;

/**
 * The supervisors' live board: per queue who waits and which members are there; per agent
 * presence, what they are doing and since when. Sent after hello and, throttled, on every change.
 */
export class BoardPublisher {
  private timer: NodeJS.Timeout | null = null;
  private lastSentAt = 0;
  private readonly activities = new Map<string, { activity: AgentActivity; since: string }>();

  constructor(
    private readonly core: InteractionService,
    private readonly presence: PresenceService,
    private readonly intervalMs = BOARD_INTERVAL_MS,
  ) {
    core.onChange(() => this.changed());
  }

  changed(): void {
    this.track();
    if (this.timer) return;
    if (!this.core.hub.principals().some((p) => p.role === 'supervisor' || p.role === 'admin')) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastSentAt = Date.now();
      this.core.hub.sendToRoles(WATCHERS, this.frame());
    }, wait);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  frame(): ServerMessageOf<'board'> {
    this.track();
    const open = [...this.core.live.values()];
    const agents = this.presence.roster().map((entry): AgentBoardRow => {
      const mine = open.filter((l) => this.involves(l, entry.userId));
      const tracked = this.activities.get(entry.userId);
      return {
        userId: entry.userId,
        username: entry.username,
        displayName: entry.displayName,
        presence: entry.presence,
        activity: tracked?.activity ?? 'offline',
        interactions: mine.map((l) => ({ id: l.id, kind: l.kind, status: l.status })),
        since: tracked?.since ?? entry.since,
      };
    });
    const byId = new Map(agents.map((a) => [a.userId, a]));
    const queues = [...this.core.queues.values()].map((q): QueueBoardRow => {
      const waiting = open.filter((l) => l.queueId === q.id && (l.status === 'queued' || l.status === 'offered'));
      const oldest = waiting.reduce<number | null>((min, l) => (min === null || l.enqueuedAt < min ? l.enqueuedAt : min), null);
      const members = q.memberIds.map((id) => byId.get(id)).filter((a): a is AgentBoardRow => a !== undefined);
      return {
        queueId: q.id,
        name: q.name,
        waiting: waiting.length,
        oldestWaitingSince: oldest === null ? null : new Date(oldest).toISOString(),
        membersSignedIn: members.filter((a) => a.presence !== 'offline').length,
        // Presence available: ready for (more) work.
        membersAvailable: members.filter((a) => a.presence === 'available').length,
        // Handling something: a chat, a call or a wrap-up.
        membersBusy: members.filter((a) => a.activity === 'chat' || a.activity === 'call' || a.activity === 'wrapup').length,
      };
    });
    return { type: 'board', queues, agents, at: new Date().toISOString() };
  }

  private involves(live: LiveInteraction, userId: string): boolean {
    return live.agentId === userId || live.offer?.agentId === userId;
  }

  /** Keeps, per agent, the current activity and when it began. */
  private track(): void {
    const now = new Date().toISOString();
    const open = [...this.core.live.values()];
    for (const entry of this.presence.roster()) {
      const mine = open.filter((l) => this.involves(l, entry.userId));
      const activity = activityOf(entry.presence, mine, entry.userId);
      const previous = this.activities.get(entry.userId);
      if (previous?.activity === activity) continue;
      // The first time an agent is seen, offline and idle date from their presence.
      const since = previous ? now : activity === 'offline' || activity === 'idle' ? entry.since : now;
      this.activities.set(entry.userId, { activity, since });
    }
  }
}

/** One word for what an agent does: a call outranks chats, chats a wrap-up, a wrap-up an offer. */
export function activityOf(presence: string, open: LiveInteraction[], userId: string): AgentActivity {
  if (presence === 'offline') return 'offline';
  const active = open.filter((l) => l.agentId === userId && l.status === 'active');
  if (active.some((l) => l.kind === 'call')) return 'call';
  if (active.length > 0) return 'chat';
  if (open.some((l) => l.agentId === userId && l.status === 'wrapup')) return 'wrapup';
  if (open.some((l) => l.offer?.agentId === userId)) return 'offered';
  return 'idle';
}
