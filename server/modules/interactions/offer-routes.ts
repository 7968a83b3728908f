import { endpoints } from '../../../shared/api/endpoints';
import { DomainError } from '../../kernel/errors';
import { ALL_ROLES, declareRoute, type RouteContext } from '../../kernel/routes';
import type { OfferLog } from './offer-log';

const encodeCursor = (row: { endedAt: string; id: string }): string => `${row.endedAt}|${row.id}`;
function decodeCursor(value: string | undefined): { endedAt: string; id: string } | undefined {
  if (value === undefined) return undefined;
  const [endedAt, id, extra] = value.split('|');
  if (!endedAt || !id || extra !== undefined || Number.isNaN(Date.parse(endedAt))) {
    throw new DomainError('bad_request', 'Invalid offers query: before: pass the nextBefore value of the previous page unchanged.');
  }
  return { endedAt, id };
}

/** GET /api/offers: ended offers with their outcome. Agents: their own; supervisors and admins: everyone's or one agent's. */
export function registerOfferRoutes({ app, guard }: RouteContext, offerLog: OfferLog): void {
  declareRoute(app, endpoints.offers, { preHandler: guard(ALL_ROLES), input: 'offers query' }, async ({ query, request }) => {
    const user = request.session!.user;
    if (user.role === 'agent' && query.agentId !== undefined && query.agentId !== user.id) {
      throw new DomainError('forbidden', 'Agents see only their own offers; leave out agentId.');
    }
    const agentId = user.role === 'agent' ? user.id : query.agentId;
    const before = decodeCursor(query.before);
    const page = await offerLog.page({ limit: query.limit, ...(agentId ? { agentId } : {}), ...(before ? { before } : {}) });
    const last = page.items.at(-1);
    return { offers: page.items, nextBefore: page.more && last ? encodeCursor(last) : null };
  });
}
