import type { CampaignRepo } from './campaign-repo';
import { sendFailure, type NoticeMailer } from './smtp-mailer';

export interface RunnerSettings {
  /** Messages handed to the SMTP server per second at most. */
  ratePerSecond: number;
  /** Tries per recipient for a temporary failure (a 5xx reply fails at once). */
  maxAttempts: number;
  /** Wait before the first retry; doubled for each later one. */
  retryMs: number;
}

/** What a run needs besides the repo: the message, whether an address is still on record, the end. */
export interface CampaignRun {
  id: string;
  subject: string;
  text: string;
  stillOnRecord(email: string): Promise<boolean>;
  /** Every recipient is sent, failed or skipped (not called when the run was stopped). */
  finished(): Promise<void>;
}

/**
 * Sends one campaign's pending recipients, one at a time and at most `ratePerSecond` a second.
 * Each recipient is marked sent in the database right after the SMTP server accepted its message,
 * so a restart resumes with the rest (at least once: a crash between the server's acceptance and
 * that write sends that one notice again). stop() ends the wait at once and lets a send in flight
 * finish and be recorded.
 */
export class CampaignRunner {
  private stopped = false;
  private wake: (() => void) | null = null;
  private lastSendAt = 0;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly deps: {
      repo: CampaignRepo;
      mailer: NoticeMailer;
      settings: RunnerSettings;
      now: () => Date;
      onError: (err: unknown) => void;
    },
  ) {}

  /** Whether a campaign is being sent. */
  get busy(): boolean {
    return this.loop !== null;
  }

  start(run: CampaignRun): void {
    if (this.loop) throw new Error('notices: a campaign is already running');
    this.loop = this.run(run)
      .catch(this.deps.onError)
      .finally(() => {
        this.loop = null;
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async run(run: CampaignRun): Promise<void> {
    const { repo, mailer, settings } = this.deps;
    while (!this.stopped) {
      const due = await repo.nextDue(run.id, this.deps.now());
      if (!due) {
        const next = await repo.earliestPending(run.id);
        if (!next) {
          await run.finished();
          return;
        }
        await this.sleep(next.getTime() - this.deps.now().getTime());
        continue;
      }
      if (due.email === null) {
        // An erase (or the contacts retention) reached it: never sent.
        await repo.markSkipped(run.id, due.seq, 'erased');
        continue;
      }
      if (!(await run.stillOnRecord(due.email))) {
        await repo.markSkipped(run.id, due.seq, 'no_longer_on_record');
        continue;
      }
      await this.sleep(this.lastSendAt + 1000 / settings.ratePerSecond - Date.now());
      if (this.stopped) return;
      this.lastSendAt = Date.now();
      try {
        await mailer.send({ to: due.email, subject: run.subject, text: run.text });
      } catch (err) {
        const failure = sendFailure(err);
        const attempts = due.attempts + 1;
        const giveUp = failure.permanent || attempts >= settings.maxAttempts;
        await repo.markFailure(run.id, due.seq, failure.reason, giveUp ? null : new Date(this.deps.now().getTime() + settings.retryMs * 2 ** (attempts - 1)));
        continue;
      }
      await repo.markSent(run.id, due.seq, this.deps.now());
    }
  }

  /** Waits up to `ms`, or less when stopped. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
