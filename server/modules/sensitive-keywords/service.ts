import { DEFAULT_SENSITIVE_KEYWORDS, SensitiveKeywordRules } from '../../../shared/api/sensitive-keywords';
import type { SensitiveCategory } from '../../../shared/domain/sensitive';
import type { Db } from '../../db/database';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import { createKeywordMatcher, type SensitiveKeywordMatcher } from './matcher';

/**
 * The org's sensitive keyword rules and the matcher built from them (issue 15: keywords suggest the
 * sensitive mark to the agent, never mark by themselves). One row (defaults until an admin saves);
 * a change is audited with the number of keywords per category and applies to the next message.
 */
export class SensitiveKeywordsService implements SensitiveKeywordMatcher {
  private rules: SensitiveKeywordRules = DEFAULT_SENSITIVE_KEYWORDS;
  private matcher: SensitiveKeywordMatcher = createKeywordMatcher(DEFAULT_SENSITIVE_KEYWORDS.rules);

  private constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly now: () => Date,
  ) {}

  static async open(db: Db, audit: AuditLog, now: () => Date = () => new Date()): Promise<SensitiveKeywordsService> {
    const service = new SensitiveKeywordsService(db, audit, now);
    const row = await db.kysely.selectFrom('sensitive_keywords').select('rules').where('singleton', '=', 1).executeTakeFirst();
    if (row) {
      // A stored set that no longer validates (edited by hand) keeps the defaults rather than suggesting nothing.
      const parsed = SensitiveKeywordRules.safeParse(JSON.parse(row.rules));
      if (parsed.success) service.use(parsed.data);
    }
    return service;
  }

  match(text: string): SensitiveCategory[] {
    return this.matcher.match(text);
  }

  get(): SensitiveKeywordRules {
    return this.rules;
  }

  async set(rules: SensitiveKeywordRules, actor: AuditActor): Promise<SensitiveKeywordRules> {
    const before = this.rules;
    const values = { rules: JSON.stringify(rules), updated_at: this.now().toISOString(), updated_by: actor.username };
    // The rules and their audit entry commit together.
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('sensitive_keywords')
        .values({ singleton: 1, ...values })
        .onConflict((oc) => oc.column('singleton').doUpdateSet(values))
        .execute();
      await this.audit.appendIn(trx, { actor, action: AuditAction.sensitiveKeywordsChanged, target: 'sensitive-keywords', details: { before: summary(before), after: summary(rules) } });
    });
    this.use(rules);
    return rules;
  }

  private use(rules: SensitiveKeywordRules): void {
    this.matcher = createKeywordMatcher(rules.rules);
    this.rules = rules;
  }
}

/** Keywords per category: what changed, without the words. */
function summary(r: SensitiveKeywordRules): Record<string, number> {
  const out: Record<string, number> = {};
  for (const rule of r.rules) out[rule.category] = (out[rule.category] ?? 0) + rule.keywords.length;
  return out;
}
