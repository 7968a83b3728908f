import type { SyncHeadResponse, SyncInteractionResponse, SyncPullResponse, SyncUpsert } from '../../../shared/api/sync';
import type { Db } from '../../db/database';
import { DomainError } from '../../kernel/errors';
import type { ChangeLog } from './change-log';
import { toChanges, type LogRow } from './entity-reader';
import { changeVisible, countVisible, interactionAccess, type SyncScope } from './scope';
import { SENSITIVE_REFUSAL } from '../interactions/not-theirs';

const LOG_COLUMNS = ['c.seq', 'c.kind', 'c.entity_id', 'c.interaction_id', 'c.op', 'c.version', 'c.reason'] as const;
const HEAD_KINDS = new Set<LogRow['kind']>(['interaction', 'contact', 'wrapup', 'note']);
/** Users whose backfill position is remembered (for `remaining` without a full count per page). */
const MAX_TRACKED = 10_000;

/** The read side of sync: pages of the change log, the newest interactions, one interaction in full. */
export class SyncReader {
  /** Per user: the last page's cursor, the head it was read at and what remained then. */
  private readonly progress = new Map<string, { cursor: number; head: number; remaining: number }>();

  constructor(
    private readonly db: Db,
    private readonly log: ChangeLog,
  ) {}

  /**
   * Changes after the cursor, oldest first. Reads up to the head position taken first, so when the
   * page is the last one the cursor can jump to that head (rows past it belong to the next pull).
   * No transaction is needed: a row read here names the entity's version at that moment or
   * earlier, its data is read later (newer or equal), and versions only grow.
   */
  async pull(scope: SyncScope, after: number, limit: number): Promise<SyncPullResponse> {
    const k = this.db.kysely;
    const head = await this.log.head(k);
    // Nothing is past the head. A cursor beyond it (a client's bad one) must not reach PostgreSQL's integer column: out of range there is a 500.
    if (after > head) {
      this.progress.delete(scope.userId);
      return { changes: [], cursor: String(after), hasMore: false, remaining: 0 };
    }
    const rows = await k
      .selectFrom('sync_changes as c')
      .select(LOG_COLUMNS)
      .where('c.seq', '>', after)
      .where('c.seq', '<=', head)
      .where(changeVisible(scope))
      .orderBy('c.seq')
      .limit(limit + 1)
      .execute();
    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit);
    const cursor = hasMore ? Number(page.at(-1)!.seq) : Math.max(after, head);
    const remaining = await this.remaining(scope, { after, head, cursor, taken: page.length, hasMore });
    const visible = scope.hideSensitive ? await this.withoutSensitive(page) : page;
    return { changes: await toChanges(k, visible), cursor: String(cursor), hasMore, remaining };
  }

  /**
   * For a scope that may not see sensitive interactions: a marked interaction's own row becomes a
   * tombstone (so a cache that had it removes it with everything in it) and its other records are
   * left out. Marking moves all of an interaction's rows forward (write-hooks.ts), so every cache
   * past them meets the tombstone; unmarking does the same, so they come back.
   */
  private async withoutSensitive(rows: readonly LogRow[]): Promise<LogRow[]> {
    const ids = [...new Set(rows.map((r) => r.interaction_id).filter((id): id is string => id !== null))];
    const marked = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const found = await this.db.kysely.selectFrom('interactions').select('id').where('id', 'in', ids.slice(i, i + 500)).where('sensitive_category', 'is not', null).execute();
      for (const row of found) marked.add(row.id);
    }
    if (marked.size === 0) return [...rows];
    return rows.flatMap((row): LogRow[] => {
      if (row.interaction_id === null || !marked.has(row.interaction_id)) return [row];
      return row.kind === 'interaction' ? [{ ...row, op: 'tombstone', reason: 'deleted' }] : [];
    });
  }

  /**
   * What is left after this page. Counted in full on a backfill's first page; on each next page
   * (the previous cursor sent back) it is the previous count, minus this page, plus what the
   * scope gained since the previous head. Rows an update moved forward meanwhile count twice
   * until the end, so it is an estimate that errs high; it is 0 exactly when nothing is left.
   */
  private async remaining(scope: SyncScope, page: { after: number; head: number; cursor: number; taken: number; hasMore: boolean }): Promise<number> {
    if (!page.hasMore) {
      this.progress.delete(scope.userId);
      return 0;
    }
    const prev = this.progress.get(scope.userId);
    const total =
      prev && prev.cursor === page.after && prev.head <= page.head
        ? prev.remaining + (await countVisible(this.db.kysely, scope, prev.head, page.head))
        : await countVisible(this.db.kysely, scope, page.after, page.head);
    const remaining = Math.max(1, total - page.taken);
    this.progress.delete(scope.userId);
    if (this.progress.size >= MAX_TRACKED) this.progress.delete(this.progress.keys().next().value!);
    this.progress.set(scope.userId, { cursor: page.cursor, head: page.head, remaining });
    return remaining;
  }

  /** The newest interactions in scope with their contact, wrap-up and notes; every queue and setting. */
  async head(scope: SyncScope, limit: number): Promise<SyncHeadResponse> {
    const k = this.db.kysely;
    const ids = scope.all
      ? (
          await k
            .selectFrom('interactions')
            .select('id')
            .$if(scope.hideSensitive === true, (q) => q.where('sensitive_category', 'is', null))
            .orderBy('created_at', 'desc')
            .orderBy('id', 'desc')
            .limit(limit)
            .execute()
        ).map((r) => r.id)
      : (
          await k
            .selectFrom('sync_access')
            .select('interaction_id')
            .where('user_id', '=', scope.userId)
            .orderBy('created_at', 'desc')
            .orderBy('interaction_id', 'desc')
            .limit(limit)
            .execute()
        ).map((r) => r.interaction_id);
    const own: LogRow[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      // Kinds are filtered here, not in SQL: a kind condition makes SQLite pick the (kind, entity_id) index and scan.
      const rows = await k.selectFrom('sync_changes as c').select(LOG_COLUMNS).where('c.interaction_id', 'in', ids.slice(i, i + 500)).execute();
      own.push(...rows.filter((r) => r.op === 'upsert' && HEAD_KINDS.has(r.kind)));
    }
    const org = await k.selectFrom('sync_changes as c').select(LOG_COLUMNS).where('c.interaction_id', 'is', null).where('c.op', '=', 'upsert').orderBy('c.seq').execute();
    // Newest interaction first, each followed by its own records; org entities last.
    const rank = new Map(ids.map((id, i) => [id, i]));
    own.sort((a, b) => rank.get(a.interaction_id!)! - rank.get(b.interaction_id!)! || Number(a.seq) - Number(b.seq));
    const changes = (await toChanges(k, [...own, ...org])) as SyncUpsert[];

    const totalInteractions = scope.all
      ? Number(
          (
            await k
              .selectFrom('interactions')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .$if(scope.hideSensitive === true, (q) => q.where('sensitive_category', 'is', null))
              .executeTakeFirstOrThrow()
          ).n,
        )
      : Number((await k.selectFrom('sync_access').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', scope.userId).executeTakeFirstOrThrow()).n);
    const totalChanges = await countVisible(k, scope, 0, await this.log.head(k));
    return { changes, totalInteractions, totalChanges };
  }

  /** One interaction in full (messages in order), when the user may sync it. */
  async interaction(scope: SyncScope, interactionId: string): Promise<SyncInteractionResponse> {
    const k = this.db.kysely;
    const access = await interactionAccess(k, scope, interactionId);
    if (access === 'not_found') throw new DomainError('not_found', `No interaction ${interactionId}.`);
    if (access === 'forbidden') throw new DomainError('forbidden', SENSITIVE_REFUSAL);
    const rows = await k.selectFrom('sync_changes as c').select(LOG_COLUMNS).where('c.interaction_id', '=', interactionId).where('c.op', '=', 'upsert').orderBy('c.seq').execute();
    const changes = (await toChanges(k, rows)) as SyncUpsert[];
    const seqOf = (c: SyncUpsert) => (c.kind === 'message' ? c.data.seq : 0);
    changes.sort((a, b) => Number(a.kind === 'message') - Number(b.kind === 'message') || seqOf(a) - seqOf(b));
    return { changes };
  }
}
