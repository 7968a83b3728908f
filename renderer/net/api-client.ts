import { type z } from 'zod';
import {
  ClientConfig,
  ErrorBody,
  type ErrorCode,
  HealthResponse,
  InteractionDetailResponse,
  type InteractionDetail,
  InteractionsPage,
  type LoginRequest,
  LoginResponse,
  LogoutResponse,
  MeResponse,
  type Queue,
  QueuesResponse,
} from '../../shared';
import { apiUrl } from './urls';

/** Codes the server sends, plus the ones only the client can observe. */
export type ApiErrorCode = ErrorCode | 'network' | 'timeout' | 'bad_response';

/** Every failed request becomes one of these, with a message fit to show as-is. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** HTTP status, or 0 when no response arrived. */
    readonly status: number,
    readonly issues?: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  /** Server address the user chose, e.g. https://veildesk.example.com. */
  baseUrl: string;
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Give up on a silent server so the user is not left staring at a spinner. */
  timeoutMs?: number;
}

export interface ApiClient {
  readonly baseUrl: string;
  health(): Promise<HealthResponse>;
  config(): Promise<ClientConfig>;
  login(body: LoginRequest): Promise<LoginResponse>;
  logout(token: string): Promise<void>;
  me(token: string): Promise<MeResponse>;
  /** Queues with their dispositions and members (transfer targets). */
  queues(token: string): Promise<Queue[]>;
  /** Past and current interactions, newest first; the server scopes them to what the caller may see. */
  interactions(token: string, query?: InteractionsPageQuery): Promise<InteractionsPage>;
  interaction(token: string, id: string): Promise<InteractionDetail>;
}

export interface InteractionsPageQuery {
  /** Cursor from the previous page's nextBefore. */
  before?: string;
  limit?: number;
  agentId?: string;
}

/** `?a=1&b=2` from the defined values only, or '' when there are none. */
function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Fallback codes and wording when an error response has no usable body (e.g. from a proxy). */
function errorFromStatus(status: number, statusText: string): ApiError {
  if (status === 401) return new ApiError('unauthenticated', 'Your session is not valid. Sign in again.', status);
  if (status === 403) return new ApiError('forbidden', 'You are not allowed to do that.', status);
  if (status === 404) return new ApiError('not_found', 'The server does not know this request. Is this a Veildesk server?', status);
  if (status === 413) return new ApiError('payload_too_large', 'The request was too large.', status);
  if (status === 429) return new ApiError('rate_limited', 'Too many attempts. Wait a minute, then try again.', status);
  if (status >= 500) {
    const text = statusText ? ` (${status} ${statusText})` : ` (${status})`;
    return new ApiError('internal', `The server had a problem${text}. Try again in a moment.`, status);
  }
  return new ApiError('bad_request', `The server refused the request (${status}).`, status);
}

/** A validated JSON request to the server: errors become ApiError, the answer is checked against `schema`. */
export type JsonRequester = <S extends z.ZodType>(
  method: 'GET' | 'POST',
  path: string,
  schema: S,
  init?: { token?: string; body?: unknown },
) => Promise<z.infer<S>>;

/** The request function behind ApiClient, for other clients of the same server (e.g. sync). */
export function createJsonRequester(options: ApiClientOptions): JsonRequester {
  const baseUrl = options.baseUrl;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Resolve fetch lazily so tests can replace the global after the client is created.
  const doFetch: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);

  async function request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    init: { token?: string; body?: unknown } = {},
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    // Only declare JSON when there is a body: an empty JSON body is a 400 on the server.
    if (init.body !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    try {
      response = await doFetch(apiUrl(baseUrl, path), {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        // The token travels in the header only; no cookies, no cached personal data.
        credentials: 'omit',
        cache: 'no-store',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const isTimeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      if (isTimeout) {
        throw new ApiError('timeout', `The server at ${baseUrl} did not answer in time. Check your network and try again.`, 0);
      }
      throw new ApiError('network', `Cannot reach the server at ${baseUrl}. Check the address or your network.`, 0);
    }

    let payload: unknown = undefined;
    const text = await response.text().catch(() => '');
    if (text) {
      try {
        payload = JSON.parse(text);
      } catch {
        payload = undefined;
      }
    }

    if (!response.ok) {
      const body = ErrorBody.safeParse(payload);
      if (body.success) {
        const { code, message, issues } = body.data.error;
        throw new ApiError(code, message, response.status, issues);
      }
      throw errorFromStatus(response.status, response.statusText);
    }

    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      throw new ApiError(
        'bad_response',
        `The server at ${baseUrl} sent an unexpected answer. Check that this is a Veildesk server and that the app is up to date.`,
        response.status,
      );
    }
    return parsed.data;
  }
  return request;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl;
  const request = createJsonRequester(options);

  return {
    baseUrl,
    health: () => request('GET', 'api/health', HealthResponse),
    config: () => request('GET', 'api/config', ClientConfig),
    login: (body) => request('POST', 'api/auth/login', LoginResponse, { body }),
    logout: async (token) => {
      await request('POST', 'api/auth/logout', LogoutResponse, { token });
    },
    me: (token) => request('GET', 'api/me', MeResponse, { token }),
    queues: async (token) => (await request('GET', 'api/queues', QueuesResponse, { token })).queues,
    interactions: (token, query = {}) =>
      request('GET', `api/interactions${queryString({ before: query.before, limit: query.limit, agentId: query.agentId })}`, InteractionsPage, {
        token,
      }),
    interaction: (token, id) => request('GET', `api/interactions/${encodeURIComponent(id)}`, InteractionDetailResponse, { token }),
  };
}
