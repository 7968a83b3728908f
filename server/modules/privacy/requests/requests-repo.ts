import type { PrivacyRequest, Replacement, StoreResult, SubjectIdentifiers } from '../../../../shared/api/privacy';
import type { Db } from '../../../db/database';
import type { Database, PrivacyRequestsTable } from '../../../db/schema';
import type { Kysely } from 'kysely';

export type PrivacyRequestRow = PrivacyRequestsTable;

/** What the `subject` column holds while a request runs. */
export interface StoredSubject {
  subject: SubjectIdentifiers;
  replacements?: Replacement[];
}

/** Table access for privacy requests. */
export class PrivacyRequestsRepo {
  constructor(private readonly db: Db) {}

  /** `trx`: the transaction that also writes the change's audit entry. */
  async insert(row: PrivacyRequestRow, trx: Kysely<Database> = this.db.kysely): Promise<void> {
    await trx.insertInto('privacy_requests').values(row).execute();
  }

  async update(id: string, patch: Partial<Omit<PrivacyRequestRow, 'id'>>, trx: Kysely<Database> = this.db.kysely): Promise<void> {
    await trx.updateTable('privacy_requests').set(patch).where('id', '=', id).execute();
  }

  get(id: string): Promise<PrivacyRequestRow | undefined> {
    return this.db.kysely.selectFrom('privacy_requests').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Newest first. */
  list(limit = 500): Promise<PrivacyRequestRow[]> {
    return this.db.kysely.selectFrom('privacy_requests').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /** Requests a previous process left running (a server stop interrupts them). */
  unfinished(): Promise<PrivacyRequestRow[]> {
    return this.db.kysely.selectFrom('privacy_requests').selectAll().where('status', 'in', ['received', 'searching', 'working']).orderBy('created_at').orderBy('id').execute();
  }
}

export function storedSubject(row: PrivacyRequestRow): StoredSubject | null {
  return row.subject === null ? null : (JSON.parse(row.subject) as StoredSubject);
}

export function toPrivacyRequest(row: PrivacyRequestRow, exportReady: boolean): PrivacyRequest {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    requestedBy: { id: row.requested_by_id, username: row.requested_by_name },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    subject: storedSubject(row)?.subject ?? null,
    subjectDigests: JSON.parse(row.subject_digests) as string[],
    interactionIds: JSON.parse(row.interaction_ids) as string[],
    stores: JSON.parse(row.stores) as StoreResult[],
    progress: { done: row.progress_done, total: row.progress_total },
    tookMs: row.took_ms,
    error: row.error,
    exportReady,
  };
}
