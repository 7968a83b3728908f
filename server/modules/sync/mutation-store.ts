import type { SyncMutation, SyncMutationResult } from '../../../shared/api/sync';
import type { Executor } from './change-log';

/** A mutation's answer before it is tied to its id. */
export type MutationOutcome = Omit<SyncMutationResult, 'mutationId'>;

/** The first answer to this user's mutation id, marked `duplicate`; undefined when it is new. */
export async function findHandled(db: Executor, userId: string, mutationId: string): Promise<SyncMutationResult | undefined> {
  const row = await db.selectFrom('sync_mutations').select(['status', 'result']).where('user_id', '=', userId).where('mutation_id', '=', mutationId).executeTakeFirst();
  if (!row) return undefined;
  const first = JSON.parse(row.result) as SyncMutationResult;
  return { ...first, mutationId, status: 'duplicate', original: row.status };
}

/** Stores the answer with the effect, in the same transaction: that is what makes a push exactly once. */
export async function storeHandled(trx: Executor, userId: string, mutation: SyncMutation, outcome: MutationOutcome, at: Date): Promise<SyncMutationResult> {
  const result: SyncMutationResult = { mutationId: mutation.mutationId, ...outcome };
  if (outcome.status === 'duplicate') throw new Error('sync: a duplicate is never stored');
  await trx
    .insertInto('sync_mutations')
    .values({ user_id: userId, mutation_id: mutation.mutationId, type: mutation.type, status: outcome.status, result: JSON.stringify(result), at: at.toISOString() })
    .execute();
  return result;
}

export function rejected(code: NonNullable<SyncMutationResult['error']>['code'], message: string): MutationOutcome {
  return { status: 'rejected', changes: [], error: { code, message } };
}
