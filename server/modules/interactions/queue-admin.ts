import type { Transaction } from 'kysely';
import type { CreateQueueRequest, UpdateQueueRequest } from '../../../shared/api/admin-queues';
import type { z } from 'zod';
import type { Queue } from '../../../shared/domain/interactions';
import type { Db } from '../../db/database';
import type { Database } from '../../db/schema';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import { QueuesRepo } from './queues-repo';

/** A new queue as the route parsed it (defaults filled in). */
type NewQueue = z.output<typeof CreateQueueRequest>;

/**
 * Admins' queues (Admin → Queues): create, rename, members (the whole list), dispositions, offer
 * timeout and chat capacity. The change and its audit entry commit together; then routing reloads
 * its queues, so the change applies without a restart. The queue CLI writes the same rows.
 */
export class QueueAdmin {
  private readonly repo: QueuesRepo;

  constructor(private readonly deps: { db: Db; audit: AuditLog; reload(): Promise<void> }) {
    this.repo = new QueuesRepo(deps.db);
  }

  list(): Promise<Queue[]> {
    return this.repo.list();
  }

  async create(input: NewQueue, actor: AuditActor): Promise<Queue> {
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      if (await trx.selectFrom('queues').select('id').where('id', '=', input.id).executeTakeFirst()) throw new DomainError('conflict', `A queue with the id ${input.id} already exists.`);
      const members = await checkMembers(trx, input.memberIds);
      await trx.insertInto('queues').values({ id: input.id, name: input.name, offer_timeout_ms: input.offerTimeoutMs, dispositions: JSON.stringify(input.dispositions), chat_capacity: input.chatCapacity }).execute();
      if (members.length > 0) await trx.insertInto('queue_members').values(members.map((user_id) => ({ queue_id: input.id, user_id }))).execute();
      await this.deps.audit.appendIn(trx, {
        actor,
        action: AuditAction.queueCreated,
        target: input.id,
        details: { via: 'admin', members: members.length, dispositions: input.dispositions.length, offerTimeoutMs: input.offerTimeoutMs, chatCapacity: input.chatCapacity },
      });
    });
    return this.applied(input.id);
  }

  async update(queueId: string, change: UpdateQueueRequest, actor: AuditActor): Promise<Queue> {
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('queues').selectAll().where('id', '=', queueId).executeTakeFirst();
      if (!before) throw notFound(queueId);
      const changed: Record<string, unknown> = {};
      const set: { name?: string; dispositions?: string; offer_timeout_ms?: number; chat_capacity?: number | null } = {};
      if (change.name !== undefined && change.name !== before.name) set.name = changed.name = change.name;
      if (change.dispositions !== undefined && JSON.stringify(change.dispositions) !== before.dispositions) {
        set.dispositions = JSON.stringify(change.dispositions);
        changed.dispositions = change.dispositions.length;
      }
      if (change.offerTimeoutMs !== undefined && change.offerTimeoutMs !== Number(before.offer_timeout_ms)) set.offer_timeout_ms = changed.offerTimeoutMs = change.offerTimeoutMs;
      const capBefore = before.chat_capacity === null ? null : Number(before.chat_capacity);
      if (change.chatCapacity !== undefined && change.chatCapacity !== capBefore) set.chat_capacity = changed.chatCapacity = change.chatCapacity;
      if (Object.keys(set).length > 0) await trx.updateTable('queues').set(set).where('id', '=', queueId).execute();
      if (change.memberIds !== undefined) {
        const wanted = await checkMembers(trx, change.memberIds);
        const current = (await trx.selectFrom('queue_members').select('user_id').where('queue_id', '=', queueId).execute()).map((r) => r.user_id);
        const gone = current.filter((id) => !wanted.includes(id));
        const added = wanted.filter((id) => !current.includes(id));
        if (gone.length > 0) await trx.deleteFrom('queue_members').where('queue_id', '=', queueId).where('user_id', 'in', gone).execute();
        if (added.length > 0) await trx.insertInto('queue_members').values(added.map((user_id) => ({ queue_id: queueId, user_id }))).execute();
        if (gone.length > 0 || added.length > 0) changed.members = { added, removed: gone };
      }
      if (Object.keys(changed).length > 0) await this.deps.audit.appendIn(trx, { actor, action: AuditAction.queueChanged, target: queueId, details: { via: 'admin', ...changed } });
    });
    return this.applied(queueId);
  }

  private async applied(queueId: string): Promise<Queue> {
    await this.deps.reload();
    const queue = (await this.repo.list()).find((q) => q.id === queueId);
    if (!queue) throw notFound(queueId);
    return queue;
  }
}

/** Members must be existing staff who take work (agents); unknown ids are a bad request. */
async function checkMembers(trx: Transaction<Database>, memberIds: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(memberIds)];
  if (wanted.length === 0) return [];
  const rows = await trx.selectFrom('users').select(['id', 'role']).where('id', 'in', wanted).execute();
  const found = new Map(rows.map((r) => [r.id, r.role]));
  const unknown = wanted.filter((id) => !found.has(id));
  if (unknown.length > 0) throw new DomainError('bad_request', `No user ${unknown.map((id) => id.slice(0, 64)).join(', ')}.`);
  return wanted;
}

const notFound = (queueId: string) => new DomainError('not_found', `No queue ${queueId.slice(0, 64)}.`);
