import { RedactionPolicyInput } from '../../../shared/api/redaction';
import { DEFAULT_REDACTION_POLICY, createRedactor, type RedactionPolicy, type RedactionResult, type Redactor } from '../../../shared/redaction';
import type { Db } from '../../db/database';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';

/** What the modules that take text from people (chat, notes, wrap-ups, left messages) call before anything else. */
export interface Redaction {
  redact(text: string): RedactionResult;
}

/**
 * The org's redaction policy and the redactor built from it. Every chat message, note, wrap-up note
 * and left message passes through `redact` before it is stored, logged, put in the change log or
 * sent, so the raw text lives only in the request being handled. The policy is one row (defaults
 * until an admin saves one); a change is audited with what changed (entities on/off, pattern labels:
 * the patterns themselves are the org's configuration, not personal data) and applies to the next
 * message.
 */
export class RedactionService implements Redaction {
  private policy: RedactionPolicy = DEFAULT_REDACTION_POLICY;
  private redactor: Redactor = createRedactor(DEFAULT_REDACTION_POLICY);

  private constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly now: () => Date,
  ) {}

  static async open(db: Db, audit: AuditLog, now: () => Date = () => new Date()): Promise<RedactionService> {
    const service = new RedactionService(db, audit, now);
    const row = await db.kysely.selectFrom('redaction_policy').select('policy').where('singleton', '=', 1).executeTakeFirst();
    if (row) {
      // A stored policy that no longer validates (e.g. edited by hand) keeps the defaults rather than redacting less.
      const parsed = RedactionPolicyInput.safeParse(JSON.parse(row.policy));
      if (parsed.success) service.use(parsed.data);
    }
    return service;
  }

  redact(text: string): RedactionResult {
    return this.redactor.redact(text);
  }

  get(): RedactionPolicy {
    return this.policy;
  }

  async set(policy: RedactionPolicy, actor: AuditActor): Promise<RedactionPolicy> {
    const before = this.policy;
    const values = { policy: JSON.stringify(policy), updated_at: this.now().toISOString(), updated_by: actor.username };
    // The policy and its audit entry commit together.
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('redaction_policy')
        .values({ singleton: 1, ...values })
        .onConflict((oc) => oc.column('singleton').doUpdateSet(values))
        .execute();
      await this.audit.appendIn(trx, {
        actor,
        action: AuditAction.redactionPolicyChanged,
        target: 'redaction-policy',
        details: { before: summary(before), after: summary(policy) },
      });
    });
    this.use(policy);
    return policy;
  }

  private use(policy: RedactionPolicy): void {
    this.redactor = createRedactor(policy);
    this.policy = policy;
  }
}

function summary(p: RedactionPolicy): { entities: RedactionPolicy['entities']; orgPatterns: string[] } {
  return { entities: p.entities, orgPatterns: p.orgPatterns.map((o) => o.label) };
}
