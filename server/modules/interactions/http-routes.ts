import { endpoints } from '../../../shared/api/endpoints';
import { DomainError } from '../../kernel/errors';
import { ALL_ROLES, declareRoute, type RouteContext } from '../../kernel/routes';
import type { InteractionService } from './interaction-service';
import type { SensitiveAccess } from './sensitive';
import { applyLiveSensitiveMark } from './sensitive-live';
import { notTheirs } from './not-theirs';
import { transferTargets } from './transfer-targets';

/** `before` cursors: the created_at and id of the last row of the previous page. */
const encodeCursor = (row: { createdAt: string; id: string }): string => `${row.createdAt}|${row.id}`;
function decodeCursor(value: string | undefined): { createdAt: string; id: string } | undefined {
  if (value === undefined) return undefined;
  const [createdAt, id, extra] = value.split('|');
  if (!createdAt || !id || extra !== undefined || Number.isNaN(Date.parse(createdAt))) {
    throw new DomainError('bad_request', 'Invalid interactions query: before: pass the nextBefore value of the previous page unchanged.');
  }
  return { createdAt, id };
}

/** Staff history: queues, interactions (agents: their own), one interaction in full. */
export function registerInteractionRoutes({ app, guard }: RouteContext, deps: { core: InteractionService; sensitive: SensitiveAccess }): void {
  const staff = guard(ALL_ROLES);
  const { core, sensitive } = deps;

  declareRoute(app, endpoints.queues, { preHandler: staff }, async () => ({ queues: [...core.queues.values()] }));

  declareRoute(app, endpoints.interactions, { preHandler: staff, input: 'interactions query' }, async ({ query, request }) => {
    const user = request.session!.user;
    if (user.role === 'agent' && query.agentId !== undefined && query.agentId !== user.id) {
      throw new DomainError('forbidden', 'Agents see only their own interactions; leave out agentId.');
    }
    const involving = user.role === 'agent' ? user.id : query.agentId;
    const before = decodeCursor(query.before);
    // An agent's own list keeps their sensitive interactions; a supervisor without the permission never sees one.
    const hideSensitive = await sensitive.hidesSensitiveFrom(user);
    const page = await core.repo.page({ limit: query.limit, ...(before ? { before } : {}), ...(involving ? { involving } : {}), ...(hideSensitive ? { hideSensitive } : {}) });
    const last = page.items.at(-1);
    return { interactions: page.items, nextBefore: page.more && last ? encodeCursor(last) : null };
  });

  declareRoute(app, endpoints.interaction, { preHandler: staff }, async ({ params, request }) => {
    const id = params.id;
    const user = request.session!.user;
    const row = id.length <= 64 ? await core.repo.get(id) : undefined;
    if (!row) throw new DomainError('not_found', `No interaction ${id.slice(0, 64)}.`);
    if (user.role === 'agent' && !(await core.repo.involves(id, user.id))) {
      throw notTheirs(row);
    }
    await sensitive.assertMaySee(user, row);
    const detail = await core.detail(id);
    await sensitive.auditRead(user, row, 'transcript');
    return detail;
  });

  // Live: the agent's transfer list asks again every few seconds while it is open.
  declareRoute(app, endpoints.transferTargets, { preHandler: staff }, async ({ params, request }) => {
    const user = request.session!.user;
    if (user.role === 'privacy') throw new DomainError('forbidden', 'Transfers are for agents and supervisors.');
    return { agents: transferTargets(core, user, params.id) };
  });

  declareRoute(app, endpoints.markSensitive, { preHandler: staff, input: 'sensitive mark' }, async ({ params, body, request }) => {
    const mark = await sensitive.mark(request.session!.user, params.id, body.category);
    // In progress: the board, live monitoring and the handling agent's windows follow at once.
    if (core.live.has(params.id)) await applyLiveSensitiveMark(core, params.id, mark?.category ?? null);
    return { interactionId: params.id, sensitive: mark };
  });
}
