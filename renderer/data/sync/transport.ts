import {
  SyncHeadResponse,
  SyncInteractionResponse,
  type SyncMutation,
  SyncPullResponse,
  SyncPushResponse,
  routes,
} from '../../../shared';
import { type ApiClientOptions, createAgentHttpClient } from '../../net/api-client';

/** What the sync engine needs from the server (docs/sync.md); tests pass an in-memory one. */
export interface SyncTransport {
  head(limit: number): Promise<SyncHeadResponse>;
  pull(after: string, limit: number): Promise<SyncPullResponse>;
  interaction(id: string): Promise<SyncInteractionResponse>;
  push(mutations: SyncMutation[]): Promise<SyncPushResponse>;
}

/** The sync routes over HTTP with the session's token; every answer is checked against the shared schemas. */
export function httpSyncTransport(options: ApiClientOptions & { token: string }): SyncTransport {
  const http = createAgentHttpClient({ timeoutMs: 30_000, ...options });
  const token = options.token;
  return {
    head: (limit) => http.call(routes.syncHead, { token, query: { limit }, check: SyncHeadResponse }),
    pull: (after, limit) => http.call(routes.syncPull, { token, query: { after, limit }, check: SyncPullResponse }),
    interaction: (id) => http.call(routes.syncInteraction, { token, params: { id }, check: SyncInteractionResponse }),
    push: (mutations) => http.call(routes.syncPush, { token, body: { mutations }, check: SyncPushResponse }),
  };
}
