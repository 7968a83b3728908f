import {
  type CreatePrivacyRequest,
  CreatePrivacyRequestResponse,
  type PrivacyRequest,
  PrivacyRequestsResponse,
  SignedReceipt,
  type SubjectSearchQuery,
  SubjectSearchResponse,
} from '../../../shared/api/privacy';
import { routes } from '../../../shared/api/routes';
import { screenHttpClient } from '../../net/http-failure';

/**
 * HTTP for the Privacy view (admins and the privacy role): subject search, requests, their export
 * archive and signed receipt. Every call carries the session's token; the server audits each one.
 */

const UNREADABLE = 'The server sent an answer this app cannot read; update the app.';

export interface PrivacyHttp {
  search(query: SubjectSearchQuery): Promise<SubjectSearchResponse>;
  create(request: CreatePrivacyRequest): Promise<CreatePrivacyRequestResponse>;
  list(): Promise<PrivacyRequest[]>;
  /** The export archive (a zip) as a Blob, fetched with the session like a recording's audio. */
  exportArchive(id: string): Promise<Blob>;
  receipt(id: string): Promise<SignedReceipt>;
}

export function privacyHttp(serverUrl: string, token: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): PrivacyHttp {
  const client = screenHttpClient(serverUrl, fetchImpl);
  return {
    search: (query) => client.call(routes.privacySubjects, { token, query, check: SubjectSearchResponse, unreadable: UNREADABLE }),
    create: (request) => client.call(routes.createPrivacyRequest, { token, body: request, check: CreatePrivacyRequestResponse, unreadable: UNREADABLE }),
    list: async () => (await client.call(routes.privacyRequests, { token, check: PrivacyRequestsResponse, unreadable: UNREADABLE })).requests,
    exportArchive: async (id) => (await client.open(routes.privacyExport, { token, params: { id } })).blob(),
    receipt: (id) => client.call(routes.privacyReceipt, { token, params: { id }, check: SignedReceipt, unreadable: UNREADABLE }),
  };
}
