import { CannedResponse, CannedResponsesResponse, DeleteCannedResponseResponse, routes, type CannedResponseInput, type CreateCannedResponse } from '../../../shared';
import { createAgentHttpClient } from '../../net/api-client';

/** The canned-response calls of the app, each answer checked with its shared schema. */

export async function listCanned(serverUrl: string, token: string): Promise<CannedResponse[]> {
  const http = createAgentHttpClient({ baseUrl: serverUrl });
  return (await http.call(routes.cannedResponses, { token, check: CannedResponsesResponse })).items;
}

export function createCanned(serverUrl: string, token: string, body: CreateCannedResponse): Promise<CannedResponse> {
  const http = createAgentHttpClient({ baseUrl: serverUrl });
  return http.call(routes.createCannedResponse, { token, body, check: CannedResponse });
}

export function updateCanned(serverUrl: string, token: string, id: string, body: CannedResponseInput): Promise<CannedResponse> {
  const http = createAgentHttpClient({ baseUrl: serverUrl });
  return http.call(routes.updateCannedResponse, { token, params: { id }, body, check: CannedResponse });
}

export async function deleteCanned(serverUrl: string, token: string, id: string): Promise<void> {
  const http = createAgentHttpClient({ baseUrl: serverUrl });
  await http.call(routes.deleteCannedResponse, { token, params: { id }, check: DeleteCannedResponseResponse });
}
