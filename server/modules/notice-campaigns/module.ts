import type { SmtpConfig } from '../../config';
import type { Db } from '../../db/database';
import type { ServerModule } from '../../kernel/module';
import type { AuditLog } from '../audit/audit-log';
import { CampaignRepo } from './campaign-repo';
import { CampaignRunner, type RunnerSettings } from './campaign-runner';
import { NoticeService } from './notice-service';
import { registerNoticeRoutes } from './routes';
import { smtpMailer } from './smtp-mailer';

export interface NoticeCampaignsModule extends ServerModule {
  readonly service: NoticeService;
}

/**
 * Notices of a material change by e-mail (issue 16): admin routes, the campaign runner on the
 * configured SMTP server (none configured: campaigns are refused with 409), resumed at start.
 */
export function createNoticeCampaigns(deps: {
  db: Db;
  audit: AuditLog;
  smtp: SmtpConfig | null;
  settings: RunnerSettings;
  /** The retention policy's contactsDays (null: contacts are kept, every address is on record). */
  contactsDays: () => Promise<number | null>;
  now: () => Date;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}): NoticeCampaignsModule {
  const repo = new CampaignRepo(deps.db);
  const mailer = deps.smtp ? smtpMailer(deps.smtp) : null;
  // No address in the log line: the error is nodemailer's or the database's, logged as its code and stack.
  const runner = mailer ? new CampaignRunner({ repo, mailer, settings: deps.settings, now: deps.now, onError: (err) => deps.log.error({ code: (err as { code?: unknown }).code }, 'notice campaigns: a campaign stopped on an error; it resumes at the next start') }) : null;
  const service = new NoticeService({ db: deps.db, repo, runner, audit: deps.audit, contactsDays: deps.contactsDays, now: deps.now, log: deps.log });
  return {
    name: 'notice-campaigns',
    service,
    routes: (ctx) => registerNoticeRoutes(ctx, service),
    start: () => service.resumeRunning(),
    async stop() {
      await runner?.stop();
      mailer?.close();
    },
  };
}
