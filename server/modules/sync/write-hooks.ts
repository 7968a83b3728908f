import type { InteractionWriteHooks } from '../interactions/repo';
import type { ChangeInput, ChangeLog } from './change-log';

/**
 * Feeds the change log from the interactions module's writes, in their transactions: a new
 * interaction (and its contact), every update of it (and its wrap-up once there is one), every
 * message. Assigning an agent lets that agent sync the interaction.
 */
export function syncWriteHooks(log: ChangeLog): InteractionWriteHooks {
  return {
    async inserted(trx, row) {
      const now = new Date();
      if (row.agent_id) await log.grant(trx, row.agent_id, row.id, now);
      await log.record(
        trx,
        [
          { kind: 'interaction', entityId: row.id, interactionId: row.id, op: 'upsert' },
          { kind: 'contact', entityId: row.id, interactionId: row.id, op: 'upsert' },
        ],
        now,
      );
    },
    async updated(trx, id, patch) {
      const now = new Date();
      if (patch.agent_id) await log.grant(trx, patch.agent_id, id, now);
      const changes: ChangeInput[] = [{ kind: 'interaction', entityId: id, interactionId: id, op: 'upsert' }];
      if (patch.wrapup_at) changes.push({ kind: 'wrapup', entityId: id, interactionId: id, op: 'upsert' });
      if (patch.customer_name !== undefined || patch.customer_email !== undefined) changes.push({ kind: 'contact', entityId: id, interactionId: id, op: 'upsert' });
      await log.record(trx, changes, now);
      // A child flag mid-conversation: messages synced before it are taken back from every cache at
      // once (tombstones in the flag's transaction), not only when the conversation ends.
      if (patch.child_protected === 1) {
        // Kind and op filtered here: a kind condition in SQL makes SQLite scan the (kind, entity_id) index.
        const rows = await trx.selectFrom('sync_changes').select(['entity_id', 'kind', 'op']).where('interaction_id', '=', id).execute();
        const synced = rows.filter((row) => row.kind === 'message' && row.op === 'upsert');
        await log.record(trx, synced.map((row) => ({ kind: 'message' as const, entityId: row.entity_id, interactionId: id, op: 'tombstone' as const, reason: 'erased' as const })), now);
      }
      // A sensitive mark set or removed changes who may see everything in it: every reader meets it again.
      if (patch.sensitive_category !== undefined) await log.moveForward(trx, id);
    },
    async messagesAdded(trx, rows) {
      // A child's words never reach a local cache (privacy-model.md, principle 7).
      const ids = [...new Set(rows.map((row) => row.interaction_id))];
      const children = new Set((await trx.selectFrom('interactions').select('id').where('id', 'in', ids).where('child_protected', '=', 1).execute()).map((r) => r.id));
      const synced = rows.filter((row) => !children.has(row.interaction_id));
      if (synced.length === 0) return;
      // New ids: there is no earlier row of theirs to replace.
      await log.record(trx, synced.map((row) => ({ kind: 'message' as const, entityId: row.id, interactionId: row.interaction_id, op: 'upsert' as const, fresh: true })), new Date());
    },
  };
}
