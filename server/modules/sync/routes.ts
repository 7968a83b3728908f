import {
  SYNC_PUSH_BODY_LIMIT_BYTES,
  SyncHeadQuery,
  SyncPullQuery,
  SyncPushRequest,
  type SyncHeadResponse,
  type SyncInteractionResponse,
  type SyncPullResponse,
  type SyncPushResponse,
  type EraseInteractionResponse,
  SyncSettings,
} from '../../../shared/api/sync';
import type { Db } from '../../db/database';
import { DomainError, parseInput } from '../../kernel/errors';
import { ALL_ROLES, type RouteContext } from '../../kernel/routes';
import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';
import type { ChangeLog } from './change-log';
import type { Erasure } from './erasure';
import { publishOrgEntities, readSyncSettings, settingsEntities } from './org-entities';
import type { SyncPush } from './push';
import { scopeOf } from './scope';
import type { SyncReader } from './sync-reader';

/** /api/sync/*: head, pull, one interaction, push. Every staff role; the scope follows the role. */
export function registerSyncRoutes({ app, guard }: RouteContext, deps: { reader: SyncReader; push: SyncPush; erasure: Erasure; db: Db; log: ChangeLog; audit: AuditLog }): void {
  const staff = guard(ALL_ROLES);
  const admin = guard(['admin']);

  app.get('/api/sync/head', { preHandler: staff }, async (request): Promise<SyncHeadResponse> => {
    const query = parseInput(SyncHeadQuery, request.query, 'sync head query');
    return deps.reader.head(scopeOf(request.session!.user), query.limit);
  });

  app.get('/api/sync/pull', { preHandler: staff }, async (request): Promise<SyncPullResponse> => {
    const query = parseInput(SyncPullQuery, request.query, 'sync pull query');
    return deps.reader.pull(scopeOf(request.session!.user), Number(query.after), query.limit);
  });

  app.get<{ Params: { id: string } }>('/api/sync/interactions/:id', { preHandler: staff }, async (request): Promise<SyncInteractionResponse> => {
    const id = request.params.id;
    if (id.length > 64) throw new DomainError('not_found', `No interaction ${id.slice(0, 64)}.`);
    return deps.reader.interaction(scopeOf(request.session!.user), id);
  });

  app.post('/api/sync/push', { preHandler: staff, bodyLimit: SYNC_PUSH_BODY_LIMIT_BYTES }, async (request): Promise<SyncPushResponse> => {
    const body = parseInput(SyncPushRequest, request.body, 'sync push');
    const session = request.session!;
    return { results: await deps.push.push(session.user, session.sessionId, body.mutations) };
  });

  app.post<{ Params: { id: string } }>('/api/interactions/:id/erase', { preHandler: admin }, async (request): Promise<EraseInteractionResponse> => {
    const id = request.params.id;
    if (id.length > 64) throw new DomainError('not_found', `No interaction ${id.slice(0, 64)}.`);
    return deps.erasure.erase(id, request.session!.user);
  });

  app.get('/api/admin/sync-settings', { preHandler: admin }, async (): Promise<SyncSettings> => readSyncSettings(deps.db));

  app.put('/api/admin/sync-settings', { preHandler: admin }, async (request): Promise<SyncSettings> => {
    const next = parseInput(SyncSettings, request.body, 'sync settings');
    const before = await readSyncSettings(deps.db);
    if (await publishOrgEntities(deps.db, deps.log, { settings: settingsEntities(next) })) {
      const user = request.session!.user;
      await deps.audit.append({ actor: { id: user.id, username: user.username }, action: AuditAction.syncSettingsChanged, target: 'sync-settings', details: { before, after: next } });
    }
    return next;
  });
}
