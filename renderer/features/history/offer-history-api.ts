import { OffersPage, routes } from '../../../shared';
import { createAgentHttpClient } from '../../net/api-client';

/** GET /api/offers: ended offers, newest first (agents: their own; the server decides). */
export function fetchOffers(serverUrl: string, token: string, query: { before?: string; limit?: number } = {}): Promise<OffersPage> {
  const http = createAgentHttpClient({ baseUrl: serverUrl });
  return http.call(routes.offers, { token, query: { before: query.before, limit: query.limit, agentId: undefined }, check: OffersPage });
}
