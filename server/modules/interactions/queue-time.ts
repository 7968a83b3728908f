import { endpoints } from '../../../shared/api/endpoints';
import type { QueueTimePolicy } from '../../../shared/api/queue-time';
import type { Db } from '../../db/database';
import { declareRoute, type RouteContext } from '../../kernel/routes';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import type { InteractionService } from './interaction-service';

/** Until an admin sets one, a customer is offered to leave a message after 10 minutes in a queue. */
export const DEFAULT_QUEUE_TIME_POLICY: QueueTimePolicy = { maxQueueSeconds: 600 };

/** How often waiting customers are checked against the maximum (on the server's clock, so tests can move it). */
const SWEEP_MS = 1000;

/**
 * The org's maximum queue time (one row, admins set it, audited), and the sweep that applies it:
 * a customer still waiting past it stays queued (an agent may still answer) and is told, through
 * customer.state's `leaveMessage`, that they may leave a message instead.
 */
export class QueueTime {
  private current: QueueTimePolicy = DEFAULT_QUEUE_TIME_POLICY;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: { db: Db; audit: AuditLog; core: InteractionService }) {}

  async load(): Promise<void> {
    this.current = await this.read();
  }

  get(): QueueTimePolicy {
    return this.current;
  }

  async set(policy: QueueTimePolicy, actor: AuditActor): Promise<QueueTimePolicy> {
    const before = this.current;
    const values = { max_queue_seconds: policy.maxQueueSeconds, updated_at: this.deps.core.now().toISOString(), updated_by: actor.username };
    await this.deps.db.kysely
      .insertInto('queue_time_policy')
      .values({ singleton: 1, ...values })
      .onConflict((oc) => oc.column('singleton').doUpdateSet(values))
      .execute();
    await this.deps.audit.append({ actor, action: AuditAction.queueTimePolicyChanged, target: 'queue-time-policy', details: { before, after: policy } });
    this.current = policy;
    return policy;
  }

  start(): void {
    this.timer = setInterval(() => void this.deps.core.background('queue time', () => this.sweep()), SWEEP_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Offers leaving a message to every customer waiting longer than the maximum (once each). */
  sweep(): void {
    const { core } = this.deps;
    const cutoff = core.now().getTime() - this.current.maxQueueSeconds * 1000;
    for (const live of core.live.values()) {
      if ((live.status !== 'queued' && live.status !== 'offered') || live.leaveMessageOffered || live.enqueuedAt > cutoff) continue;
      live.leaveMessageOffered = true;
      core.pushCustomerState(live);
    }
  }

  private async read(): Promise<QueueTimePolicy> {
    const row = await this.deps.db.kysely.selectFrom('queue_time_policy').select('max_queue_seconds').where('singleton', '=', 1).executeTakeFirst();
    return row ? { maxQueueSeconds: Number(row.max_queue_seconds) } : DEFAULT_QUEUE_TIME_POLICY;
  }
}

/** Admins read and set the maximum queue time. */
export function registerQueueTimeRoutes({ app, guard }: RouteContext, queueTime: QueueTime): void {
  const admin = guard(['admin']);
  declareRoute(app, endpoints.queueTimePolicy, { preHandler: admin }, async () => queueTime.get());
  declareRoute(app, endpoints.saveQueueTimePolicy, { preHandler: admin, input: 'queue time policy' }, async ({ body, request }) => {
    const user = request.session!.user;
    return queueTime.set(body, { id: user.id, username: user.username });
  });
}
