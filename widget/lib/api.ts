import type { CustomerInfo, WidgetQueue } from './types';

/**
 * The widget's HTTP calls, same origin as the page. Every failure becomes an ApiError whose
 * message tells the customer what to do.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface StartResult {
  interactionId: string;
  customerToken: string;
  expiresAt: string;
}

export interface WidgetApi {
  queues(): Promise<WidgetQueue[]>;
  start(body: { kind: 'chat' | 'call'; queueId: string; customer: CustomerInfo }): Promise<StartResult>;
  leaveMessage(body: { queueId: string; customer: CustomerInfo; text: string }): Promise<{ interactionId: string }>;
  iceServers(): Promise<RTCIceServer[]>;
}

export type FetchLike = (input: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}>;

export const NETWORK_ERROR = 'Could not reach the server. Check your internet connection, then try again.';

export function createWidgetApi(fetchImpl: FetchLike, baseUrl = ''): WidgetApi {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let res: Awaited<ReturnType<FetchLike>>;
    try {
      res = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(NETWORK_ERROR, null, null);
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      json = null; // not JSON (a proxy's error page): the status decides
    }
    if (!res.ok) throw errorFromBody(res.status, json);
    return json as T;
  }

  return {
    async queues() {
      const body = await call<{ queues?: unknown }>('GET', '/api/widget/queues');
      return Array.isArray(body?.queues) ? (body.queues as WidgetQueue[]).filter((q) => typeof q?.id === 'string' && typeof q?.name === 'string') : [];
    },
    async start(body) {
      const r = await call<StartResult>('POST', '/api/widget/interactions', body);
      if (typeof r?.interactionId !== 'string' || typeof r?.customerToken !== 'string') {
        throw new ApiError('The server gave an unexpected answer. Reload the page and try again.', null, null);
      }
      return r;
    },
    async leaveMessage(body) {
      return call<{ interactionId: string }>('POST', '/api/widget/messages', body);
    },
    async iceServers() {
      const r = await call<{ iceServers?: unknown }>('GET', '/api/config');
      return Array.isArray(r?.iceServers) ? (r.iceServers as RTCIceServer[]) : [];
    },
  };
}

/** Turns an ErrorBody (or anything else) into a sentence for the customer. */
export function errorFromBody(status: number, body: unknown): ApiError {
  const err = (body as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | null)?.error;
  const code = typeof err?.code === 'string' ? err.code : null;
  let message = typeof err?.message === 'string' && err.message ? err.message : defaultMessage(status);
  if (Array.isArray(err?.issues) && err.issues.length > 0) {
    const details = err.issues
      .map((i: { path?: unknown; message?: unknown }) => (typeof i?.message === 'string' ? (i.path && i.path !== '(root)' ? `${String(i.path)}: ${i.message}` : i.message) : null))
      .filter((s): s is string => s !== null);
    if (details.length > 0 && !details.every((d) => message.includes(d))) message = `${message} (${details.join('; ')})`;
  }
  return new ApiError(message, status, code);
}

function defaultMessage(status: number): string {
  if (status === 404) return 'The chat service is not available on this server yet.';
  if (status === 429) return 'Too many attempts. Wait a minute, then try again.';
  if (status >= 500) return 'The server had a problem. Try again in a moment.';
  return `The request failed (HTTP ${status}). Reload the page and try again.`;
}
