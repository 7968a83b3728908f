import { endpoints } from '../../../shared/api/endpoints';
import { SYNC_PUSH_BODY_LIMIT_BYTES } from '../../../shared/api/sync';
import type { Db } from '../../db/database';
import type { User } from '../../../shared/domain/roles';
import { DomainError } from '../../kernel/errors';
import { ALL_ROLES, declareRoute, type RouteContext } from '../../kernel/routes';
import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';
import type { ChangeLog } from './change-log';
import type { Erasure } from './erasure';
import { publishOrgEntities, readSyncSettings, settingsEntities } from './org-entities';
import type { SyncPush } from './push';
import { scopeOf } from './scope';
import type { SyncReader } from './sync-reader';
import type { SensitiveAccess } from '../interactions/sensitive';

/** /api/sync/*: head, pull, one interaction, push. Every staff role; the scope follows the role. */
export function registerSyncRoutes({ app, guard }: RouteContext, deps: { reader: SyncReader; push: SyncPush; erasure: Erasure; db: Db; log: ChangeLog; audit: AuditLog; sensitive: SensitiveAccess }): void {
  const staff = guard(ALL_ROLES);
  const admin = guard(['admin']);
  const scopeFor = async (user: User) => scopeOf(user, { hideSensitive: await deps.sensitive.hidesSensitiveFrom(user) });

  declareRoute(app, endpoints.syncHead, { preHandler: staff, input: 'sync head query' }, async ({ query, request }) => {
    return deps.reader.head(await scopeFor(request.session!.user), query.limit);
  });

  declareRoute(app, endpoints.syncPull, { preHandler: staff, input: 'sync pull query' }, async ({ query, request }) => {
    return deps.reader.pull(await scopeFor(request.session!.user), Number(query.after), query.limit);
  });

  declareRoute(app, endpoints.syncInteraction, { preHandler: staff }, async ({ params, request }) => {
    const id = params.id;
    if (id.length > 64) throw new DomainError('not_found', `No interaction ${id.slice(0, 64)}.`);
    const user = request.session!.user;
    const row = await deps.db.kysely.selectFrom('interactions').select(['id', 'sensitive_category']).where('id', '=', id).executeTakeFirst();
    if (row) await deps.sensitive.assertMaySee(user, row);
    const bundle = await deps.reader.interaction(scopeOf(user), id);
    if (row) await deps.sensitive.auditRead(user, row, 'sync_bundle');
    return bundle;
  });

  declareRoute(app, endpoints.syncPush, { preHandler: staff, bodyLimit: SYNC_PUSH_BODY_LIMIT_BYTES, input: 'sync push' }, async ({ body, request }) => {
    const session = request.session!;
    return { results: await deps.push.push(session.user, session.sessionId, body.mutations) };
  });

  declareRoute(app, endpoints.eraseInteraction, { preHandler: admin }, async ({ params, request }) => {
    const id = params.id;
    if (id.length > 64) throw new DomainError('not_found', `No interaction ${id.slice(0, 64)}.`);
    return deps.erasure.erase(id, request.session!.user);
  });

  declareRoute(app, endpoints.syncSettings, { preHandler: admin }, async () => readSyncSettings(deps.db));

  declareRoute(app, endpoints.saveSyncSettings, { preHandler: admin, input: 'sync settings' }, async ({ body: next, request }) => {
    const before = await readSyncSettings(deps.db);
    if (await publishOrgEntities(deps.db, deps.log, { settings: settingsEntities(next) })) {
      const user = request.session!.user;
      await deps.audit.append({ actor: { id: user.id, username: user.username }, action: AuditAction.syncSettingsChanged, target: 'sync-settings', details: { before, after: next } });
    }
    return next;
  });
}
