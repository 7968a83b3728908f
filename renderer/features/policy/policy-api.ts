import {
  AcceptPrivacyNoticeResponse,
  AdminPrivacyNoticesResponse,
  MyPrivacyNoticeResponse,
  PrivacyNotice,
  type AdminPrivacyNotice,
  type PublishPrivacyNoticeRequest,
  routes,
} from '../../../shared';
import { createAgentHttpClient } from '../../net/api-client';
import { screenHttpClient } from '../../net/http-failure';

const UNREADABLE = 'The server sent a privacy notice this app cannot read; update the app.';

/** What the sign-in gate needs from the server; injected (AppDeps.policy) so slices test without HTTP. */
export interface PolicyApi {
  mine(serverUrl: string, token: string): Promise<MyPrivacyNoticeResponse>;
  accept(serverUrl: string, token: string, noticeId: string): Promise<AcceptPrivacyNoticeResponse>;
}

export function createPolicyApi(fetchImpl?: typeof fetch): PolicyApi {
  const client = (baseUrl: string) => createAgentHttpClient({ baseUrl, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  return {
    mine: (serverUrl, token) => client(serverUrl).call(routes.myPrivacyNotice, { token, check: MyPrivacyNoticeResponse, unreadable: UNREADABLE }),
    accept: (serverUrl, token, noticeId) => client(serverUrl).call(routes.acceptPrivacyNotice, { token, body: { noticeId }, check: AcceptPrivacyNoticeResponse, unreadable: UNREADABLE }),
  };
}

/** Admins: every version with who accepted it (GET /api/admin/privacy-notices). */
export async function fetchPrivacyNotices(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<AdminPrivacyNotice[]> {
  return (await screenHttpClient(serverUrl, fetchImpl).call(routes.privacyNotices, { token, check: AdminPrivacyNoticesResponse, unreadable: UNREADABLE })).notices;
}

/** Admins: publishes a version; it cannot be changed afterwards. */
export async function publishPrivacyNotice(serverUrl: string, token: string, body: PublishPrivacyNoticeRequest, fetchImpl: typeof fetch = fetch): Promise<PrivacyNotice> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.publishPrivacyNotice, { token, body, check: PrivacyNotice, unreadable: UNREADABLE });
}
