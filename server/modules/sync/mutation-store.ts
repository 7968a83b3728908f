import type { SyncChange, SyncMutation, SyncMutationResult } from '../../../shared/api/sync';
import type { Executor } from './change-log';
import { recordOf } from './records';

/** A mutation's answer before it is tied to its id. */
export type MutationOutcome = Omit<SyncMutationResult, 'mutationId'>;

/** What is stored of a record: which entity and version, never its data (no second copy of notes or words to erase). */
type Ref = Pick<SyncChange, 'kind' | 'id' | 'version'>;
type StoredResult = Omit<SyncMutationResult, 'changes' | 'kept'> & { changes: Ref[]; kept?: Ref };

const ref = (c: SyncChange): Ref => ({ kind: c.kind, id: c.id, version: c.version });

/**
 * The first answer to this user's mutation id, marked `duplicate`; undefined when it is new. Its
 * records are read again: the entity's current record (a later version, or its tombstone) when it
 * changed since.
 */
export async function findHandled(db: Executor, userId: string, mutationId: string): Promise<SyncMutationResult | undefined> {
  const row = await db.selectFrom('sync_mutations').select(['status', 'result']).where('user_id', '=', userId).where('mutation_id', '=', mutationId).executeTakeFirst();
  if (!row) return undefined;
  const first = JSON.parse(row.result) as StoredResult;
  const changes: SyncChange[] = [];
  for (const r of first.changes) {
    const current = await recordOf(db, r.kind, r.id);
    if (current) changes.push(current);
  }
  const kept = first.kept ? await recordOf(db, first.kept.kind, first.kept.id) : undefined;
  const { kept: _ref, changes: _refs, ...rest } = first;
  return { ...rest, mutationId, status: 'duplicate', original: row.status, changes, ...(kept ? { kept } : {}) };
}

/** Stores the answer with the effect, in the same transaction: that is what makes a push exactly once. */
export async function storeHandled(trx: Executor, userId: string, mutation: SyncMutation, outcome: MutationOutcome, at: Date): Promise<SyncMutationResult> {
  if (outcome.status === 'duplicate') throw new Error('sync: a duplicate is never stored');
  const result: SyncMutationResult = { mutationId: mutation.mutationId, ...outcome };
  const stored: StoredResult = { ...result, changes: outcome.changes.map(ref), ...(outcome.kept ? { kept: ref(outcome.kept) } : {}) };
  await trx
    .insertInto('sync_mutations')
    .values({ user_id: userId, mutation_id: mutation.mutationId, type: mutation.type, status: outcome.status, result: JSON.stringify(stored), at: at.toISOString() })
    .execute();
  return result;
}

export function rejected(code: NonNullable<SyncMutationResult['error']>['code'], message: string): MutationOutcome {
  return { status: 'rejected', changes: [], error: { code, message } };
}
