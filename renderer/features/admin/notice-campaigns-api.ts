import { NoticeCampaign, NoticeCampaignsResponse, routes, type CreateNoticeCampaign } from '../../../shared';
import { screenHttpClient } from '../../net/http-failure';

/** HTTP for the admin's notices by e-mail: POST/GET /api/admin/notice-campaigns, GET …/:id. */

const UNREADABLE = 'The server sent a notice campaign this app cannot read; update the app.';

export async function fetchNoticeCampaigns(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<NoticeCampaign[]> {
  const res = await screenHttpClient(serverUrl, fetchImpl).call(routes.noticeCampaigns, { token, check: NoticeCampaignsResponse, unreadable: UNREADABLE });
  return res.campaigns;
}

export async function fetchNoticeCampaign(serverUrl: string, token: string, id: string, fetchImpl: typeof fetch = fetch): Promise<NoticeCampaign> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.noticeCampaign, { token, params: { id }, check: NoticeCampaign, unreadable: UNREADABLE });
}

/** Starts sending (the server answers 202 and sends in the background; 409 says why it cannot). */
export async function startNoticeCampaign(serverUrl: string, token: string, body: CreateNoticeCampaign, fetchImpl: typeof fetch = fetch): Promise<NoticeCampaign> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.createNoticeCampaign, { token, body, check: NoticeCampaign, unreadable: UNREADABLE });
}
