import type { ChildProtectionPolicy } from '../../../shared/api/child-protection';
import { endpoints } from '../../../shared/api/endpoints';
import type { Db } from '../../db/database';
import { declareRoute, type RouteContext } from '../../kernel/routes';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';

/** Until an admin turns it on, the widget asks nobody's age. */
export const DEFAULT_CHILD_PROTECTION_POLICY: ChildProtectionPolicy = { askBirthYear: false };

/** The org's child-protection policy (one row): whether the widget's start form asks for a year of birth. */
export class ChildProtectionPolicies {
  constructor(private readonly deps: { db: Db; audit: AuditLog; now?: () => Date }) {}

  async get(): Promise<ChildProtectionPolicy> {
    const row = await this.deps.db.kysely.selectFrom('child_protection_policy').select('ask_birth_year').where('singleton', '=', 1).executeTakeFirst();
    return row ? { askBirthYear: Number(row.ask_birth_year) === 1 } : DEFAULT_CHILD_PROTECTION_POLICY;
  }

  async set(policy: ChildProtectionPolicy, actor: AuditActor): Promise<ChildProtectionPolicy> {
    const before = await this.get();
    const values = { ask_birth_year: policy.askBirthYear ? 1 : 0, updated_at: (this.deps.now?.() ?? new Date()).toISOString(), updated_by: actor.username };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('child_protection_policy')
        .values({ singleton: 1, ...values })
        .onConflict((oc) => oc.column('singleton').doUpdateSet(values))
        .execute();
      await this.deps.audit.appendIn(trx, { actor, action: AuditAction.childProtectionPolicyChanged, target: 'child-protection-policy', details: { before, after: policy } });
    });
    return policy;
  }
}

/** Admins read and set the policy; the widget reads only what its form shows. */
export function registerChildProtectionRoutes({ app, guard }: RouteContext, policies: ChildProtectionPolicies): void {
  const admin = guard(['admin']);
  declareRoute(app, endpoints.childProtectionPolicy, { preHandler: admin }, async () => policies.get());
  declareRoute(app, endpoints.saveChildProtectionPolicy, { preHandler: admin, input: 'child-protection policy' }, async ({ body, request }) => {
    const user = request.session!.user;
    return policies.set(body, { id: user.id, username: user.username });
  });
  declareRoute(app, endpoints.widgetSettings, {}, async () => ({ askBirthYear: (await policies.get()).askBirthYear }));
}
