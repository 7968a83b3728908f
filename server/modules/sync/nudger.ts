import type { Db } from '../../db/database';
import type { Hub } from '../../ws/hub';
import type { ChangeLog } from './change-log';

/**
 * Tells connected users that changes concern them (`sync.nudge`), at most once per `delayMs`.
 * Changes of an interaction go to the agents who may sync it and to every supervisor and admin;
 * org-wide changes (queues, settings) go to all staff. The head is read when the timer fires: on
 * SQLite that read waits for the writing transaction, so a nudge never precedes its commit.
 */
export class SyncNudger {
  private pending = new Set<string | null>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly deps: { db: Db; log: ChangeLog; hub: () => Hub; delayMs?: number; onError?: (err: unknown) => void },
  ) {
    deps.log.onChange((ids) => {
      for (const id of ids) this.pending.add(id);
      this.schedule();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch((err: unknown) => this.deps.onError?.(err));
    }, this.deps.delayMs ?? 50);
  }

  private async flush(): Promise<void> {
    const ids = this.pending;
    this.pending = new Set();
    if (ids.size === 0 || this.stopped) return;
    const k = this.deps.db.kysely;
    const frame = { type: 'sync.nudge' as const, cursor: String(await this.deps.log.head(k)) };
    const hub = this.deps.hub();
    if (ids.has(null)) return hub.sendToRoles(['agent', 'supervisor', 'admin'], frame);
    hub.sendToRoles(['supervisor', 'admin'], frame);
    const list = [...ids].filter((id): id is string => id !== null);
    const users = new Set<string>();
    for (let i = 0; i < list.length; i += 500) {
      const rows = await k.selectFrom('sync_access').select('user_id').where('interaction_id', 'in', list.slice(i, i + 500)).execute();
      for (const r of rows) users.add(r.user_id);
    }
    for (const userId of users) hub.sendTo(userId, frame);
  }
}
