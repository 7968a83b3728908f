import { vi } from 'vitest';
import { type DesktopBridge, type LoginResponse, type MeResponse, PROTOCOL_VERSION, type User } from '../../../shared';
import { createAppStore } from '../../../renderer/app/store';
import { createSessionStore } from '../../../renderer/features/auth/session-store';
import { type CallMedia } from '../../../renderer/media/call-peer-types';
import { type ApiClient } from '../../../renderer/net/api-client';
import { WsClient } from '../../../renderer/net/ws-client';
import { FakeWebSocket } from './fake-websocket';

/** sessionStorage stand-in backed by a Map. */
export function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => void map.set(key, value),
    removeItem: (key: string) => void map.delete(key),
  };
}

export const agentUser: User = { id: 'u-agent1', username: 'agent1', displayName: 'Agent One', role: 'agent' };
export const supervisorUser: User = { id: 'u-super1', username: 'super1', displayName: 'Sam Super', role: 'supervisor' };

export function fakeApi(overrides: Partial<ApiClient> = {}): ApiClient {
  const login: LoginResponse = { token: 'tok-1', user: agentUser, expiresAt: '2099-01-01T00:00:00.000Z' };
  const me: MeResponse = { user: agentUser, expiresAt: '2099-01-01T00:00:00.000Z' };
  return {
    baseUrl: 'http://server.test',
    health: vi.fn(async () => ({ status: 'ok' as const, version: '0.1.0' })),
    config: vi.fn(async () => ({ version: '0.1.0', protocolVersion: PROTOCOL_VERSION, heartbeatMs: 1000, iceServers: [] })),
    iceServers: vi.fn(async () => ({ iceServers: [], expiresAt: null })),
    login: vi.fn(async () => login),
    logout: vi.fn(async () => undefined),
    me: vi.fn(async () => me),
    queues: vi.fn(async () => []),
    interactions: vi.fn(async () => ({ interactions: [], nextBefore: null })),
    interaction: vi.fn(async (_token: string, id: string) => {
      throw new Error(`no interaction ${id} in the fake API`);
    }),
    transferTargets: vi.fn(async () => []),
    ...overrides,
  };
}

export function fakeBridge(serverUrl = 'http://server.test'): DesktopBridge & { saved: string[] } {
  const saved: string[] = [];
  return {
    kind: 'web',
    saved,
    getAppInfo: async () => ({ version: 'test', platform: 'node', kind: 'web' }),
    getServerUrl: async () => serverUrl,
    setServerUrl: async (url) => void saved.push(url),
    openExternal: async () => undefined,
  };
}

/** A store wired to fakes: real slices and real WsClient, fake HTTP and fake sockets. */
export function makeStore(
  options: { api?: ApiClient; storage?: ReturnType<typeof memoryStorage>; media?: CallMedia; now?: () => number } = {},
) {
  const api = options.api ?? fakeApi();
  const storage = options.storage ?? memoryStorage();
  const bridge = fakeBridge();
  const apiBaseUrls: string[] = [];
  let idSeq = 0;
  const store = createAppStore({
    bridge,
    session: createSessionStore(storage),
    createApi: (baseUrl) => {
      apiBaseUrls.push(baseUrl);
      return api;
    },
    createConnection: (opts) =>
      new WsClient({
        ...opts,
        WebSocket: FakeWebSocket,
        backoff: { initialMs: 500, maxMs: 10_000, jitter: 0 },
        logger: { warn: () => {}, info: () => {} },
      }),
    now: options.now ?? (() => 1_000_000),
    media: options.media,
    newId: () => `id-${++idSeq}`,
  });
  return { store, api, storage, bridge, apiBaseUrls };
}
