import type { RetentionPolicy, RetentionPreview } from '../../../shared/api/retention';
import type { PurgeClass } from '../privacy/purge/purge-plan';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import type { RetentionRepo } from './retention-repo';
import { CLASS_RULES, cutoffFor, MUTATIONS_TABLE, shorter, type RetentionScope } from './retention-scope';

/**
 * The demo org's policy: a year of transcripts and contact fields, 90 days for sensitive
 * transcripts, half a year of recordings, interactions' remaining details kept, audit two years.
 */
export const DEMO_RETENTION_POLICY: RetentionPolicy = {
  transcriptsDays: 365,
  sensitiveTranscriptsDays: 90,
  recordingsDays: 180,
  contactsDays: 365,
  interactionsDays: null,
  auditDays: 730,
};

/** Without the demo org nothing is purged by age until an admin sets the org's own policy. */
export const KEEP_EVERYTHING: RetentionPolicy = {
  transcriptsDays: null,
  sensitiveTranscriptsDays: null,
  recordingsDays: null,
  contactsDays: null,
  interactionsDays: null,
  auditDays: null,
};

export type StoreCounts = { store: string; count: number }[];

/**
 * The erase path's purge (server/modules/privacy/purge/ Purger, module.ts adapts it): removes what
 * one data-map retention class holds for these closed interactions, with tombstones to every local
 * cache, and says per store what it removed.
 */
export interface InteractionPurger {
  purge(retention: PurgeClass, interactionIds: readonly string[]): Promise<StoreCounts>;
}

/** What one run purged, per setting and store (the preview's shape, counted after the fact). */
export type RetentionRun = RetentionPreview;

/** Interactions handed to the purge at once: bounded work per call, however much is due. */
const BATCH = 200;

/**
 * The org's retention policy (admins, audited with before and after), its preview, and one run of
 * the purge by age: for each setting, the closed interactions that ended longer ago than it keeps
 * go through the same purge as an erasure; audit entries older than auditDays are purged with the
 * chain anchored (AuditLog.purgeBefore). The clock is injected, so tests can move it.
 */
export class RetentionService {
  private cached: RetentionPolicy | null = null;

  constructor(
    private readonly deps: {
      repo: RetentionRepo;
      scope: RetentionScope;
      audit: AuditLog;
      purger: InteractionPurger;
      defaults: RetentionPolicy;
      now: () => Date;
      deleteMutationsBefore: (cutoff: Date) => Promise<number>;
    },
  ) {}

  async get(): Promise<RetentionPolicy> {
    this.cached ??= (await this.deps.repo.read()) ?? this.deps.defaults;
    return this.cached;
  }

  async set(policy: RetentionPolicy, actor: AuditActor): Promise<RetentionPolicy> {
    const before = await this.get();
    // Days only: the policy names no one. Stored with its audit entry in one transaction.
    await this.deps.repo.write(policy, this.deps.now(), actor.username, (trx) =>
      this.deps.audit.appendIn(trx, { actor, action: AuditAction.retentionPolicyChanged, target: 'retention-policy', details: { before, after: policy } }),
    );
    this.cached = policy;
    return policy;
  }

  /** What `policy` would purge now, per setting and store, without saving or purging anything. */
  async preview(policy: RetentionPolicy): Promise<RetentionPreview> {
    const now = this.deps.now();
    const classes: RetentionPreview['classes'] = [];
    for (const rule of CLASS_RULES) {
      const stores = await this.deps.scope.count(rule, policy, now);
      if (rule.name === 'transcripts') stores.push({ store: MUTATIONS_TABLE, count: await this.mutationsDue(policy, now) });
      classes.push({ retention: rule.name, stores });
    }
    classes.push({ retention: 'audit', stores: [{ store: 'audit_log', count: policy.auditDays === null ? 0 : await this.deps.audit.countBefore(cutoffFor(now, policy.auditDays)) }] });
    return { at: now.toISOString(), classes };
  }

  /** One run with the saved policy: purges what is due and audits the counts (when anything went). */
  async run(): Promise<RetentionRun> {
    const policy = await this.get();
    const now = this.deps.now();
    const classes: RetentionRun['classes'] = [];
    const { purger } = this.deps;
    for (const rule of CLASS_RULES) {
      const totals = new Map<string, number>();
      const add = (counts: StoreCounts): void => {
        for (const c of counts) totals.set(c.store, (totals.get(c.store) ?? 0) + c.count);
      };
      let previous = '';
      for (;;) {
        const ids = await this.deps.scope.pending(rule, policy, now, BATCH);
        // The same batch twice means the purge left it as it was: stop rather than spin.
        if (ids.length === 0 || ids.join() === previous) break;
        previous = ids.join();
        add(await purger.purge(rule.stores, ids));
      }
      if (rule.name === 'transcripts') {
        const days = shorter(policy.transcriptsDays, policy.sensitiveTranscriptsDays);
        add([{ store: MUTATIONS_TABLE, count: days === null ? 0 : await this.deps.deleteMutationsBefore(cutoffFor(now, days)) }]);
      }
      classes.push({ retention: rule.name, stores: [...totals].map(([store, count]) => ({ store, count })) });
    }
    const audit = policy.auditDays === null ? { purged: 0 } : await this.deps.audit.purgeBefore(cutoffFor(now, policy.auditDays));
    classes.push({ retention: 'audit', stores: [{ store: 'audit_log', count: audit.purged }] });
    const run = { at: now.toISOString(), classes };
    const purgedAny = classes.some((c) => c.stores.some((s) => s.count > 0));
    if (purgedAny) {
      await this.deps.audit.append({
        actor: null,
        action: AuditAction.retentionPurged,
        target: 'retention-policy',
        details: { at: run.at, classes: classes.map((c) => ({ retention: c.retention, stores: c.stores.filter((s) => s.count > 0) })) },
      });
    }
    return run;
  }

  private async mutationsDue(policy: RetentionPolicy, now: Date): Promise<number> {
    const days = shorter(policy.transcriptsDays, policy.sensitiveTranscriptsDays);
    return days === null ? 0 : this.deps.scope.mutationsBefore(cutoffFor(now, days));
  }
}
