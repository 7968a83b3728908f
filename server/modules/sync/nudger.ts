import type { Db } from '../../db/database';
import type { Hub } from '../../kernel/hub';
import type { ChangeLog } from './change-log';

/**
 * Tells connected users that changes concern them (`sync.nudge`). Agents hear about their own
 * interactions within `agentDelayMs` (50 ms); supervisors and admins, who sync the whole org, at
 * most every `orgDelayMs` (1 s) so a busy org does not make them pull many times a second. A queue
 * or setting change goes to all staff. The head is read when a timer fires: on SQLite that read
 * waits for the writing transaction, so a nudge never precedes its commit.
 */
export class SyncNudger {
  private pending = new Set<string | null>();
  private orgPending = false;
  private agentTimer: NodeJS.Timeout | null = null;
  private orgTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly deps: { db: Db; log: ChangeLog; hub: () => Hub; agentDelayMs?: number; orgDelayMs?: number; onError?: (err: unknown) => void },
  ) {
    deps.log.onChange((ids) => {
      for (const id of ids) this.pending.add(id);
      this.orgPending = true;
      this.schedule();
    });
  }

  stop(): void {
    this.stopped = true;
    for (const timer of [this.agentTimer, this.orgTimer]) if (timer) clearTimeout(timer);
    this.agentTimer = this.orgTimer = null;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.agentTimer ??= setTimeout(() => {
      this.agentTimer = null;
      this.flushAgents().catch((err: unknown) => this.deps.onError?.(err));
    }, this.deps.agentDelayMs ?? 50);
    this.orgTimer ??= setTimeout(() => {
      this.orgTimer = null;
      this.flushOrg().catch((err: unknown) => this.deps.onError?.(err));
    }, this.deps.orgDelayMs ?? 1000);
  }

  private async frame() {
    return { type: 'sync.nudge' as const, cursor: String(await this.deps.log.head(this.deps.db.kysely)) };
  }

  private async flushOrg(): Promise<void> {
    if (!this.orgPending || this.stopped) return;
    this.orgPending = false;
    this.deps.hub().sendToRoles(['supervisor', 'admin'], await this.frame());
  }

  private async flushAgents(): Promise<void> {
    const ids = this.pending;
    this.pending = new Set();
    if (ids.size === 0 || this.stopped) return;
    const frame = await this.frame();
    const hub = this.deps.hub();
    if (ids.has(null)) return hub.sendToRoles(['agent'], frame);
    const list = [...ids].filter((id): id is string => id !== null);
    const users = new Set<string>();
    for (let i = 0; i < list.length; i += 500) {
      const rows = await this.deps.db.kysely.selectFrom('sync_access').select('user_id').where('interaction_id', 'in', list.slice(i, i + 500)).execute();
      for (const r of rows) users.add(r.user_id);
    }
    for (const userId of users) hub.sendTo(userId, frame);
  }
}
