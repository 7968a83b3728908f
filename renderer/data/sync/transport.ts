import {
  SyncHeadResponse,
  SyncInteractionResponse,
  type SyncMutation,
  SyncPullResponse,
  SyncPushResponse,
} from '../../../shared';
import { type ApiClientOptions, createJsonRequester } from '../../net/api-client';

/** What the sync engine needs from the server (docs/sync.md); tests pass an in-memory one. */
export interface SyncTransport {
  head(limit: number): Promise<SyncHeadResponse>;
  pull(after: string, limit: number): Promise<SyncPullResponse>;
  interaction(id: string): Promise<SyncInteractionResponse>;
  push(mutations: SyncMutation[]): Promise<SyncPushResponse>;
}

/** The sync routes over HTTP with the session's token; every answer is checked against the shared schemas. */
export function httpSyncTransport(options: ApiClientOptions & { token: string }): SyncTransport {
  const request = createJsonRequester({ timeoutMs: 30_000, ...options });
  const token = options.token;
  return {
    head: (limit) => request('GET', `api/sync/head?limit=${limit}`, SyncHeadResponse, { token }),
    pull: (after, limit) => request('GET', `api/sync/pull?after=${encodeURIComponent(after)}&limit=${limit}`, SyncPullResponse, { token }),
    interaction: (id) => request('GET', `api/sync/interactions/${encodeURIComponent(id)}`, SyncInteractionResponse, { token }),
    push: (mutations) => request('POST', 'api/sync/push', SyncPushResponse, { token, body: { mutations } }),
  };
}
