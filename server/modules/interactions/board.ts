import type { ServerMessageOf } from '../../../shared/api/ws';
import type { AgentActivity, AgentBoardRow, BoardInteraction, QueueBoardRow } from '../../../shared/domain/interactions';
import { SensitiveCategory } from '../../../shared/domain/sensitive';
import type { Principal } from '../../kernel/principal';
import type { PresenceService } from '../presence/presence-service';
import type { InteractionService } from './interaction-service';
import type { LiveInteraction } from './live';

/** Who a board is for: supervisors without the `sensitive` permission get marked interactions as metadata only. */
export type BoardViewer = Pick<Principal, 'id' | 'role'>;

/** Boards sent at most this often; changes in between are folded into the next (trailing) send. */
export const BOARD_INTERVAL_MS = 200;

/**
 * The supervisors' live board: per queue who waits and which members are there; per agent
 * presence, what they are doing and since when. Sent after hello and, throttled, on every change.
 * Each watcher gets their own copy: an interaction marked sensitive shows its category only to
 * those who may open it (privacy principle 4).
 */
export class BoardPublisher {
  private timer: NodeJS.Timeout | null = null;
  private lastSentAt = 0;
  private readonly activities = new Map<string, { activity: AgentActivity; since: string }>();
  /** Sends one after the other, so a watcher never gets an older board after a newer one. */
  private sending: Promise<void> = Promise.resolve();

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
    // Whether anyone watches is asked when sending (at most every intervalMs), not on every
    // change: listing the principals walks every connection.
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastSentAt = Date.now();
      // A failed send must not stop the ones after it.
      this.sending = this.sending.then(() => this.broadcast()).catch(() => undefined);
    }, wait);
  }

  /** Every connected supervisor and admin, each their copy; the permission is asked first, then both copies are built at once. */
  private async broadcast(): Promise<void> {
    const watchers = new Map<string, BoardViewer>();
    for (const p of this.core.hub.principals()) if (p.role === 'supervisor' || p.role === 'admin') watchers.set(p.id, p);
    if (watchers.size === 0) return;
    const restricted = new Set<string>();
    for (const viewer of watchers.values()) if (await this.restricts(viewer)) restricted.add(viewer.id);
    const full = this.frame(true);
    const metadataOnly = restricted.size > 0 ? this.frame(false) : full;
    for (const id of watchers.keys()) this.core.hub.sendTo(id, restricted.has(id) ? metadataOnly : full);
  }

  /** The board for one viewer (after hello). */
  async frameFor(viewer: BoardViewer): Promise<ServerMessageOf<'board'>> {
    return this.frame(!(await this.restricts(viewer)));
  }

  /** Whether the viewer sees marked interactions as metadata only; when the answer cannot be had, they do. */
  private async restricts(viewer: BoardViewer): Promise<boolean> {
    if (viewer.role === 'admin') return false;
    if (viewer.role !== 'supervisor') return true;
    try {
      return await this.core.sensitive.hidesSensitiveFrom({ id: viewer.id, role: viewer.role });
    } catch {
      return true;
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** `showCategories`: false for a viewer who may not open sensitive interactions (they see only that one is marked). */
  frame(showCategories: boolean): ServerMessageOf<'board'> {
    this.track();
    const now = this.core.now();
    const open = [...this.core.live.values()];
    const byAgent = this.openByAgent();
    const agents = this.presence.roster().map((entry): AgentBoardRow => {
      const mine = byAgent.get(entry.userId) ?? [];
      const tracked = this.activities.get(entry.userId);
      return {
        userId: entry.userId,
        username: entry.username,
        displayName: entry.displayName,
        presence: entry.presence,
        activity: tracked?.activity ?? 'offline',
        interactions: mine.map((l) => boardInteraction(l, showCategories)),
        since: tracked?.since ?? entry.since,
        offerOutcomes: this.core.deps.offerLog.agentCounts(entry.userId, now),
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
        // Handling something: a chat, a call, a consult or a wrap-up.
        membersBusy: members.filter((a) => a.activity === 'chat' || a.activity === 'call' || a.activity === 'consult' || a.activity === 'wrapup').length,
        offerOutcomes: this.core.deps.offerLog.queueCounts(q.id, now),
        items: [...waiting].sort((a, b) => a.enqueuedAt - b.enqueuedAt).map((l) => boardInteraction(l, showCategories)),
      };
    });
    return { type: 'board', queues, agents, at: new Date().toISOString() };
  }

  /**
   * Each agent's open interactions (assigned to them or offered to them), in the order of the live
   * map: one pass over the interactions, not one per agent. track() runs on every change, and a
   * node taking back 500 agents and 2,000 chats after a failover spent half its CPU filtering
   * every interaction for every agent (bench/cluster).
   */
  private openByAgent(): Map<string, LiveInteraction[]> {
    const byAgent = new Map<string, LiveInteraction[]>();
    const add = (agentId: string, live: LiveInteraction) => {
      const list = byAgent.get(agentId);
      if (list) list.push(live);
      else byAgent.set(agentId, [live]);
    };
    for (const live of this.core.live.values()) {
      if (live.agentId) add(live.agentId, live);
      const offeredTo = live.offer?.agentId;
      if (offeredTo && offeredTo !== live.agentId) add(offeredTo, live);
    }
    return byAgent;
  }

  /** Keeps, per agent, the current activity and when it began. */
  private track(): void {
    const now = new Date().toISOString();
    const byAgent = this.openByAgent();
    this.presence.forEachAgent((userId, presence, presenceSince) => {
      const activity = activityOf(presence, byAgent.get(userId) ?? [], userId, this.core.inConsult(userId));
      const previous = this.activities.get(userId);
      if (previous?.activity === activity) return;
      // The first time an agent is seen, offline and idle date from their presence.
      const since = previous ? now : activity === 'offline' || activity === 'idle' ? presenceSince.toISOString() : now;
      this.activities.set(userId, { activity, since });
    });
  }
}

/** An open interaction as the board shows it; a marked one says so, with its category only when `showCategory`. */
export function boardInteraction(live: LiveInteraction, showCategory: boolean): BoardInteraction {
  const row: BoardInteraction = { id: live.id, kind: live.kind, status: live.status };
  if (live.sensitive === null) return row;
  const category = SensitiveCategory.safeParse(live.sensitive);
  return { ...row, sensitive: { category: showCategory && category.success ? category.data : null } };
}

/**
 * One word for what an agent does: a consult (either side: the agent on the call or the agent
 * consulted) outranks a call, a call chats, chats a wrap-up, a wrap-up an offer.
 */
export function activityOf(presence: string, open: LiveInteraction[], userId: string, inConsult = false): AgentActivity {
  if (presence === 'offline') return 'offline';
  if (inConsult) return 'consult';
  const active = open.filter((l) => l.agentId === userId && l.status === 'active');
  if (active.some((l) => l.kind === 'call')) return 'call';
  if (active.length > 0) return 'chat';
  if (open.some((l) => l.agentId === userId && l.status === 'wrapup')) return 'wrapup';
  if (open.some((l) => l.offer?.agentId === userId)) return 'offered';
  return 'idle';
}
