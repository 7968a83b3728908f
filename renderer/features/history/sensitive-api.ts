import { MarkSensitiveResponse, routes, type SensitiveCategory, type SensitiveMark } from '../../../shared';
import { createAgentHttpClient } from '../../net/api-client';

/** POST /api/interactions/:id/sensitive: the interaction's mark as the server now holds it (null: none). */
export async function markSensitive(serverUrl: string, token: string, interactionId: string, category: SensitiveCategory | null): Promise<SensitiveMark | null> {
  const http = createAgentHttpClient({ baseUrl: serverUrl });
  const answer = await http.call(routes.markSensitive, { token, params: { id: interactionId }, body: { category }, check: MarkSensitiveResponse });
  return answer.sensitive;
}
