import { ConsentRecordsResponse, routes, TrainingItem, TrainingItemDetail, TrainingItemsResponse, WithdrawConsentResponse, type AddTrainingItemRequest, type ConsentRecord } from '../../../shared';
import { createAgentHttpClient } from '../../net/api-client';

/** The consent and training-library calls of the app, each answer checked with its shared schema. */

export async function interactionConsents(serverUrl: string, token: string, interactionId: string): Promise<ConsentRecord[]> {
  const http = createAgentHttpClient({ baseUrl: serverUrl });
  return (await http.call(routes.interactionConsents, { token, params: { id: interactionId }, check: ConsentRecordsResponse })).consents;
}

export async function withdrawConsent(serverUrl: string, token: string, consentId: string): Promise<ConsentRecord> {
  const http = createAgentHttpClient({ baseUrl: serverUrl });
  return (await http.call(routes.withdrawConsent, { token, params: { id: consentId }, check: WithdrawConsentResponse })).consent;
}

export async function addTrainingItem(serverUrl: string, token: string, body: AddTrainingItemRequest): Promise<TrainingItem> {
  const http = createAgentHttpClient({ baseUrl: serverUrl });
  return http.call(routes.addTrainingItem, { token, body, check: TrainingItem });
}

export async function trainingItems(serverUrl: string, token: string): Promise<TrainingItem[]> {
  const http = createAgentHttpClient({ baseUrl: serverUrl });
  return (await http.call(routes.trainingItems, { token, check: TrainingItemsResponse })).items;
}

export async function trainingItem(serverUrl: string, token: string, id: string): Promise<TrainingItemDetail> {
  const http = createAgentHttpClient({ baseUrl: serverUrl });
  return http.call(routes.trainingItem, { token, params: { id }, check: TrainingItemDetail });
}
