import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { SENSITIVE_TRAINING_PURPOSE, TRAINING_PURPOSE, type AddTrainingItemRequest, type TrainingItem, type TrainingItemDetail } from '../../../shared/api/consent';
import type { User } from '../../../shared/domain/roles';
import type { Db } from '../../db/database';
import type { ConsentRecordsTable, Database, TrainingItemsTable } from '../../db/schema';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';
import type { InteractionRow, InteractionsRepo } from '../interactions/repo';
import type { SensitiveAccess } from '../interactions/sensitive';
import type { ConsentRecords } from './consent-records';
import { trainingRefusal, type TrainingRefusal } from './training-rules';

type Staff = Pick<User, 'id' | 'username' | 'role'>;

export interface TrainingLibraryDeps {
  db: Db;
  audit: AuditLog;
  repo: InteractionsRepo;
  sensitive: SensitiveAccess;
  consents: ConsentRecords;
  queueName(queueId: string): string;
  now?: () => Date;
}

/**
 * The training library (issue 15): supervisors and admins keep references to ended interactions'
 * transcripts or recordings for coaching. Nothing is copied; every add, list and read asks the
 * consent rules again (training-rules.ts), and an item whose consent is gone is dropped: at once
 * when the customer or an admin withdraws (inside the withdrawal's transaction), when the
 * interaction is erased, and at the next list or read for anything else that changed (a sensitive
 * mark added later). Audit entries carry ids and reasons only.
 */
export class TrainingLibrary {
  constructor(private readonly deps: TrainingLibraryDeps) {}

  async add(user: Staff, input: AddTrainingItemRequest): Promise<TrainingItem> {
    const row = input.interactionId.length <= 64 ? await this.deps.repo.get(input.interactionId) : undefined;
    if (!row) throw new DomainError('not_found', `No interaction ${input.interactionId.slice(0, 64)}.`);
    await this.deps.sensitive.assertMaySee(user, row);
    const refusal = await this.refusalFor(row);
    if (refusal) {
      await this.deps.audit.append({
        actor: { id: user.id, username: user.username },
        action: AuditAction.trainingItemRefused,
        target: row.id,
        details: { interactionId: row.id, what: input.what, reason: refusal.reason },
      });
      throw new DomainError(refusal.code, refusal.message);
    }
    await this.assertHasMaterial(row, input.what);
    const existing = await this.deps.db.kysely.selectFrom('training_items').selectAll().where('interaction_id', '=', row.id).where('what', '=', input.what).executeTakeFirst();
    if (existing) return this.toItem(existing, row);
    const item: TrainingItemsTable = { id: randomUUID(), interaction_id: row.id, what: input.what, added_by: user.id, added_at: (this.deps.now?.() ?? new Date()).toISOString() };
    await this.deps.db.kysely.insertInto('training_items').values(item).execute();
    await this.deps.audit.append({
      actor: { id: user.id, username: user.username },
      action: AuditAction.trainingItemAdded,
      target: row.id,
      details: { itemId: item.id, interactionId: row.id, what: item.what },
    });
    return this.toItem(item, row);
  }

  /** Newest first; items of sensitive interactions only for those who may open them. Items no longer allowed are dropped. */
  async list(user: Staff): Promise<TrainingItem[]> {
    const items = await this.deps.db.kysely.selectFrom('training_items').selectAll().orderBy('added_at', 'desc').orderBy('id').execute();
    const out: TrainingItem[] = [];
    for (const item of items) {
      const row = await this.stillAllowed(item);
      if (row && (await this.deps.sensitive.maySee(user, row))) out.push(await this.toItem(item, row));
    }
    return out;
  }

  /** One item with its material, after the consent rules are checked again. */
  async read(user: Staff, itemId: string): Promise<TrainingItemDetail> {
    const item = itemId.length <= 64 ? await this.deps.db.kysely.selectFrom('training_items').selectAll().where('id', '=', itemId).executeTakeFirst() : undefined;
    const row = item ? await this.stillAllowed(item) : undefined;
    if (!item || !row) throw new DomainError('not_found', `No training item ${itemId.slice(0, 64)} (consent may have been withdrawn).`);
    await this.deps.sensitive.assertMaySee(user, row);
    const actor = { id: user.id, username: user.username };
    await this.deps.sensitive.auditRead(actor, row, item.what === 'transcript' ? 'transcript' : 'recording_metadata');
    await this.deps.audit.append({ actor, action: AuditAction.trainingItemRead, target: row.id, details: { itemId: item.id, interactionId: row.id, what: item.what } });
    const base = await this.toItem(item, row);
    if (item.what === 'recording') return { ...base, messages: [], recordingIds: await this.recordingIds(row.id) };
    // Coaching needs what was said, not who said it: the customer is "Customer" here.
    const messages = (await this.deps.repo.messages(row.id)).map((m) => ({ seq: m.seq, from: m.from, authorName: m.from === 'customer' ? 'Customer' : m.authorName, text: m.text, at: m.at }));
    return { ...base, messages, recordingIds: [] };
  }

  /** Inside a withdrawal's transaction: `training` takes every item of the interaction, `training-sensitive` those of a sensitive one. */
  async dropForWithdrawal(trx: Kysely<Database>, record: ConsentRecordsTable): Promise<number> {
    if (record.purpose_id === SENSITIVE_TRAINING_PURPOSE) {
      const row = await trx.selectFrom('interactions').select('sensitive_category').where('id', '=', record.interaction_id).executeTakeFirst();
      if (row?.sensitive_category === null || row === undefined) return 0;
    } else if (record.purpose_id !== TRAINING_PURPOSE) {
      return 0;
    }
    return this.dropFor(trx, record.interaction_id);
  }

  /** Inside an erasure's transaction (and from privacy erasure through the data map): the interaction's items go. */
  async dropFor(trx: Kysely<Database>, interactionId: string): Promise<number> {
    const result = await trx.deleteFrom('training_items').where('interaction_id', '=', interactionId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private async refusalFor(row: InteractionRow): Promise<TrainingRefusal | null> {
    const { consents } = this.deps;
    return trainingRefusal({
      ended: row.ended_at !== null && (row.status === 'wrapup' || row.status === 'closed'),
      childProtected: Number(row.child_protected) === 1,
      sensitive: row.sensitive_category !== null,
      trainingConsent: await consents.isActive(row.id, TRAINING_PURPOSE),
      sensitiveConsent: await consents.isActive(row.id, SENSITIVE_TRAINING_PURPOSE),
    });
  }

  /** The interaction when the item may stay; otherwise the item is dropped (audited with why) and undefined returned. */
  private async stillAllowed(item: TrainingItemsTable): Promise<InteractionRow | undefined> {
    const row = await this.deps.repo.get(item.interaction_id);
    const refusal = row ? await this.refusalFor(row) : null;
    if (row && !refusal) return row;
    await this.deps.db.kysely.deleteFrom('training_items').where('id', '=', item.id).execute();
    await this.deps.audit.append({
      actor: null,
      action: AuditAction.trainingItemDropped,
      target: item.interaction_id,
      details: { itemId: item.id, interactionId: item.interaction_id, what: item.what, reason: refusal?.reason ?? 'interaction_gone' },
    });
    return undefined;
  }

  private async assertHasMaterial(row: InteractionRow, what: TrainingItem['what']): Promise<void> {
    if (what === 'recording' && (await this.recordingIds(row.id)).length === 0) {
      throw new DomainError('conflict', 'This interaction has no finished recording; add its transcript instead.');
    }
    if (what === 'transcript' && (await this.deps.repo.messages(row.id)).length === 0) {
      throw new DomainError('conflict', 'This interaction has no transcript (a call without chat); add its recording instead.');
    }
  }

  private async recordingIds(interactionId: string): Promise<string[]> {
    const rows = await this.deps.db.kysely.selectFrom('recordings').select('id').where('interaction_id', '=', interactionId).where('status', '=', 'closed').where('kind', '=', 'audio').orderBy('started_at').execute();
    // The call's audio only: a screen recording is for the quality team's viewers, not the training library.
    return rows.map((r) => r.id);
  }

  private async toItem(item: TrainingItemsTable, row: InteractionRow): Promise<TrainingItem> {
    const by = await this.deps.db.kysely.selectFrom('users').select(['display_name']).where('id', '=', item.added_by).executeTakeFirst();
    return {
      id: item.id,
      interactionId: item.interaction_id,
      what: item.what,
      kind: row.kind,
      queueName: this.deps.queueName(row.queue_id),
      addedBy: item.added_by,
      addedByName: by?.display_name ?? 'former user',
      addedAt: item.added_at,
    };
  }
}
