import { randomUUID } from 'node:crypto';
import type { NoticeCampaign } from '../../../shared/api/notice-campaigns';
import type { Db } from '../../db/database';
import type { NoticeCampaignRecipientsTable, NoticeCampaignsTable } from '../../db/schema';
import type { Recipient } from './recipient-list';

/** Rows per INSERT: well under SQLite's bound-parameter limit. */
const BATCH = 500;

export type Counts = NoticeCampaign['counts'];

/** A recipient whose turn it is. */
export type DueRecipient = Pick<NoticeCampaignRecipientsTable, 'seq' | 'email' | 'attempts'>;

/** The campaigns and their recipients' states; every write is one short statement or transaction. */
export class CampaignRepo {
  constructor(private readonly db: Db) {}

  private get k() {
    return this.db.kysely;
  }

  /** The campaign and all its recipients (pending, due now), in one transaction. */
  async create(input: { subject: string; body: string; createdBy: string; at: Date }, recipients: readonly Recipient[]): Promise<string> {
    const id = randomUUID();
    const at = input.at.toISOString();
    await this.k.transaction().execute(async (trx) => {
      await trx.insertInto('notice_campaigns').values({ id, subject: input.subject, body: input.body, status: 'running', created_by: input.createdBy, created_at: at, completed_at: null }).execute();
      for (let i = 0; i < recipients.length; i += BATCH) {
        const rows = recipients.slice(i, i + BATCH).map((r, j) => ({
          campaign_id: id,
          seq: i + j,
          interaction_id: r.interactionId,
          email_hash: r.emailHash,
          email: r.email,
          state: 'pending' as const,
          attempts: 0,
          next_attempt_at: at,
          last_error: null,
          sent_at: null,
        }));
        await trx.insertInto('notice_campaign_recipients').values(rows).execute();
      }
    });
    return id;
  }

  get(id: string): Promise<NoticeCampaignsTable | undefined> {
    return this.k.selectFrom('notice_campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list(): Promise<NoticeCampaignsTable[]> {
    return this.k.selectFrom('notice_campaigns').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(100).execute();
  }

  running(): Promise<NoticeCampaignsTable[]> {
    return this.k.selectFrom('notice_campaigns').selectAll().where('status', '=', 'running').orderBy('created_at').execute();
  }

  async counts(id: string): Promise<{ counts: Counts; failures: { reason: string; count: number }[] }> {
    const rows = await this.k.selectFrom('notice_campaign_recipients').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).where('campaign_id', '=', id).groupBy('state').execute();
    const counts: Counts = { total: 0, sent: 0, failed: 0, pending: 0, skipped: 0 };
    for (const r of rows) {
      counts[r.state] = Number(r.n);
      counts.total += Number(r.n);
    }
    const failed = await this.k
      .selectFrom('notice_campaign_recipients')
      .select(['last_error', (eb) => eb.fn.countAll<number>().as('n')])
      .where('campaign_id', '=', id)
      .where('state', '=', 'failed')
      .groupBy('last_error')
      .orderBy('last_error')
      .execute();
    return { counts, failures: failed.map((f) => ({ reason: f.last_error ?? 'unknown', count: Number(f.n) })) };
  }

  /** The next pending recipient due at `now` (retries wait for their time), in list order. */
  nextDue(id: string, now: Date): Promise<DueRecipient | undefined> {
    return this.k
      .selectFrom('notice_campaign_recipients')
      .select(['seq', 'email', 'attempts'])
      .where('campaign_id', '=', id)
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now.toISOString())
      .orderBy('next_attempt_at')
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
  }

  /** When the earliest pending recipient is due (undefined: none left). */
  async earliestPending(id: string): Promise<Date | undefined> {
    const row = await this.k.selectFrom('notice_campaign_recipients').select('next_attempt_at').where('campaign_id', '=', id).where('state', '=', 'pending').orderBy('next_attempt_at').limit(1).executeTakeFirst();
    return row ? new Date(row.next_attempt_at) : undefined;
  }

  /** The SMTP server accepted it: sent, and the address is no longer kept. */
  async markSent(id: string, seq: number, at: Date): Promise<void> {
    await this.k
      .updateTable('notice_campaign_recipients')
      .set((eb) => ({ state: 'sent', email: null, sent_at: at.toISOString(), last_error: null, attempts: eb('attempts', '+', 1) }))
      .where('campaign_id', '=', id)
      .where('seq', '=', seq)
      .execute();
  }

  /** A try failed: wait until `retryAt`, or give up (failed, the address dropped) when `retryAt` is null. */
  async markFailure(id: string, seq: number, reason: string, retryAt: Date | null): Promise<void> {
    await this.k
      .updateTable('notice_campaign_recipients')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        last_error: reason,
        ...(retryAt === null ? { state: 'failed' as const, email: null } : { next_attempt_at: retryAt.toISOString() }),
      }))
      .where('campaign_id', '=', id)
      .where('seq', '=', seq)
      .execute();
  }

  /** Not sent: erased or no longer on record before its turn; the address (if still there) is dropped. */
  async markSkipped(id: string, seq: number, reason: string): Promise<void> {
    await this.k.updateTable('notice_campaign_recipients').set({ state: 'skipped', email: null, last_error: reason }).where('campaign_id', '=', id).where('seq', '=', seq).execute();
  }

  async complete(id: string, at: Date): Promise<void> {
    await this.k.updateTable('notice_campaigns').set({ status: 'completed', completed_at: at.toISOString() }).where('id', '=', id).execute();
  }
}
