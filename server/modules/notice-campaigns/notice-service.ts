import { DEFAULT_NOTICE_SUBJECT, type CreateNoticeCampaign, type NoticeCampaign } from '../../../shared/api/notice-campaigns';
import type { Db } from '../../db/database';
import type { NoticeCampaignsTable } from '../../db/schema';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import { cutoffFor } from '../retention/retention-scope';
import type { CampaignRepo } from './campaign-repo';
import type { CampaignRunner } from './campaign-runner';
import { recipientsOnRecord, stillOnRecord } from './recipient-list';

export const SMTP_NOT_CONFIGURED =
  'No SMTP server is configured, so no notice can be sent. Set VEILDESK_SMTP_HOST, VEILDESK_SMTP_FROM (and VEILDESK_SMTP_PORT, VEILDESK_SMTP_SECURE, VEILDESK_SMTP_USER and VEILDESK_SMTP_PASSWORD as your server needs) and restart the server.';

const STILL_RUNNING = 'A notice campaign is still running. Wait until it completes (GET /api/admin/notice-campaigns), then start the next.';

/**
 * Notice campaigns: an admin starts one (audited with its count), the runner sends it in the
 * background, and it is audited again when done. Recipients are every distinct customer address
 * on record within the retention policy's `contactsDays` (null: all), taken when the campaign
 * starts; each is checked again just before its turn. One campaign runs at a time; one still
 * running at start-up (a restart mid-run) resumes where it stopped.
 */
export class NoticeService {
  private starting = false;

  constructor(
    private readonly deps: {
      db: Db;
      repo: CampaignRepo;
      /** Null when no SMTP server is configured. */
      runner: CampaignRunner | null;
      audit: AuditLog;
      contactsDays: () => Promise<number | null>;
      now: () => Date;
      log: { warn(obj: object, msg: string): void };
    },
  ) {}

  async create(input: CreateNoticeCampaign, actor: AuditActor): Promise<NoticeCampaign> {
    const { runner } = this.deps;
    if (!runner) throw new DomainError('conflict', SMTP_NOT_CONFIGURED);
    // Checked and taken before the first await, so two starts at once cannot both pass.
    if (this.starting || runner.busy) throw new DomainError('conflict', STILL_RUNNING);
    this.starting = true;
    try {
      return await this.createNow(input, actor);
    } finally {
      this.starting = false;
    }
  }

  private async createNow(input: CreateNoticeCampaign, actor: AuditActor): Promise<NoticeCampaign> {
    const { repo } = this.deps;
    if ((await repo.running()).length > 0) throw new DomainError('conflict', STILL_RUNNING);
    const now = this.deps.now();
    const recipients = await recipientsOnRecord(this.deps.db.kysely, await this.cutoff(now));
    const id = await repo.create({ subject: input.subject ?? DEFAULT_NOTICE_SUBJECT, body: input.text, createdBy: actor.username, at: now }, recipients);
    // Counts only: the audit log never holds an address.
    await this.deps.audit.append({ actor, action: AuditAction.noticeCampaignStarted, target: id, details: { campaignId: id, total: recipients.length } });
    this.resume((await repo.get(id))!);
    return this.view((await repo.get(id))!);
  }

  async get(id: string): Promise<NoticeCampaign> {
    const row = id.length <= 64 ? await this.deps.repo.get(id) : undefined;
    if (!row) throw new DomainError('not_found', `No notice campaign ${id.slice(0, 64)}.`);
    return this.view(row);
  }

  async list(): Promise<NoticeCampaign[]> {
    const rows = await this.deps.repo.list();
    return Promise.all(rows.map((r) => this.view(r)));
  }

  /** At start-up: a campaign a stopped server left running goes on with its pending recipients. */
  async resumeRunning(): Promise<void> {
    const running = await this.deps.repo.running();
    for (const row of running) {
      if (!this.deps.runner) {
        this.deps.log.warn({ campaignId: row.id }, 'notices: a campaign is still running but no SMTP server is configured; it resumes once one is');
        return;
      }
      const { counts } = await this.deps.repo.counts(row.id);
      await this.deps.audit.append({ actor: null, action: AuditAction.noticeCampaignResumed, target: row.id, details: { campaignId: row.id, ...counts } });
      this.resume(row);
      // One at a time: a second one left running (not possible through the API) waits for the next start.
      return;
    }
  }

  private resume(row: NoticeCampaignsTable): void {
    const { runner, repo, db } = this.deps;
    runner!.start({
      id: row.id,
      subject: row.subject,
      text: row.body,
      stillOnRecord: async (email) => stillOnRecord(db.kysely, email, await this.cutoff(this.deps.now())),
      finished: async () => {
        await repo.complete(row.id, this.deps.now());
        const { counts } = await repo.counts(row.id);
        await this.deps.audit.append({ actor: null, action: AuditAction.noticeCampaignCompleted, target: row.id, details: { campaignId: row.id, ...counts } });
      },
    });
  }

  private async cutoff(now: Date): Promise<Date | null> {
    const days = await this.deps.contactsDays();
    return days === null ? null : cutoffFor(now, days);
  }

  private async view(row: NoticeCampaignsTable): Promise<NoticeCampaign> {
    const { counts, failures } = await this.deps.repo.counts(row.id);
    return { id: row.id, subject: row.subject, text: row.body, status: row.status, createdAt: row.created_at, createdBy: row.created_by, completedAt: row.completed_at, counts, failures };
  }
}
