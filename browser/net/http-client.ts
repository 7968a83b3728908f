import type { ErrorCode } from '../../shared/api/errors';
import { type BodyOf, type ParamsOf, type PathParamNames, type QueryOf, type ResponseOf, type Route, routePath } from '../../shared/api/routes';
import { apiUrl } from './urls';

/**
 * The one HTTP client of the agent's app and the widget: a call names a route declared in
 * shared/api/routes.ts, the URL is built from it, JSON goes out, an error answer becomes an ApiError
 * with the server's code and message, and the answer is checked when the caller gives a check.
 * No zod at run time here: the agent's app passes its zod schemas (they have safeParse), the widget
 * a light shape check or none, so its bundle stays small.
 */

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

/** Anything with zod's safeParse shape: a zod schema, or a hand-written check. */
export interface AnswerCheck<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/** The part of a fetch Response the client reads (tests and the widget pass small fakes). */
export interface Answer {
  ok: boolean;
  status: number;
  statusText?: string;
  json(): Promise<unknown>;
}

export interface RequestOptions {
  method: string;
  headers: Record<string, string>;
  body?: string | Blob | ArrayBuffer;
  credentials?: 'omit';
  cache?: 'no-store';
  signal?: AbortSignal;
}

export type FetchLike<A extends Answer = Answer> = (input: string, init: RequestOptions) => Promise<A>;

/** The server's error body, read without zod: `{ error: { code, message, issues? } }`, else null. */
export function readErrorBody(body: unknown): { code: ErrorCode; message: string; issues?: { path: string; message: string }[] } | null {
  const error = (body as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | null | undefined)?.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') return null;
  const issues = Array.isArray(error.issues)
    ? (error.issues as unknown[]).filter((i): i is { path: string; message: string } => typeof (i as { path?: unknown })?.path === 'string' && typeof (i as { message?: unknown })?.message === 'string')
    : undefined;
  return { code: error.code as ErrorCode, message: error.message, ...(issues ? { issues } : {}) };
}

/** The code an error status stands for when its body says nothing (e.g. a proxy's page). */
export function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'internal';
  return 'bad_request';
}

/** The words each app uses for failures the server did not describe. */
export interface Wording {
  unreachable(baseUrl: string): string;
  timeout(baseUrl: string): string;
  /** A success answer that fails its check. */
  badResponse(baseUrl: string): string;
  /** An error answer: the server's body if it is one, else the status. */
  errorAnswer(status: number, statusText: string, body: unknown): ApiError;
}

/** The agent app's wording (the defaults). */
export const AGENT_WORDING: Wording = {
  unreachable: (baseUrl) => `Cannot reach the server at ${baseUrl}. Check the address or your network.`,
  timeout: (baseUrl) => `The server at ${baseUrl} did not answer in time. Check your network and try again.`,
  badResponse: (baseUrl) => `The server at ${baseUrl} sent an unexpected answer. Check that this is a Veildesk server and that the app is up to date.`,
  errorAnswer(status, statusText, body) {
    const server = readErrorBody(body);
    if (server) return new ApiError(server.code, server.message, status, server.issues);
    return new ApiError(codeForStatus(status), statusMessage(status, statusText), status);
  },
};

function statusMessage(status: number, statusText: string): string {
  if (status === 401) return 'Your session is not valid. Sign in again.';
  if (status === 403) return 'You are not allowed to do that.';
  if (status === 404) return 'The server does not know this request. Is this a Veildesk server?';
  if (status === 413) return 'The request was too large.';
  if (status === 429) return 'Too many attempts. Wait a minute, then try again.';
  if (status >= 500) return `The server had a problem${statusText ? ` (${status} ${statusText})` : ` (${status})`}. Try again in a moment.`;
  return `The server refused the request (${status}).`;
}

export interface HttpClientOptions<A extends Answer> {
  /** Server address, e.g. https://veildesk.example.com; '' for the page's own origin (the widget). */
  baseUrl: string;
  /** Injectable for tests; defaults to the global fetch (looked up at each call). */
  fetch?: FetchLike<A>;
  /** Give up on a silent server; no limit when absent. */
  timeoutMs?: number;
  wording?: Partial<Wording>;
}

/** A call's inputs: the path parameters its route names, and query, body and token when it takes them. */
export type CallInput<R extends Route> = ([PathParamNames<R['path']>] extends [never] ? { params?: undefined } : { params: ParamsOf<R> }) & {
  query?: [QueryOf<R>] extends [never] ? undefined : QueryOf<R>;
  body?: [BodyOf<R>] extends [never] ? undefined : BodyOf<R>;
  /** The staff session's token, sent as `Authorization: Bearer`. */
  token?: string;
};

export interface HttpClient<A extends Answer = Answer> {
  readonly baseUrl: string;
  /** A JSON call; the answer is checked with `check` when given (and then typed by it). */
  call<R extends Route, T = ResponseOf<R>>(route: R, input?: CallInput<R> & { check?: AnswerCheck<T>; unreadable?: string }): Promise<T>;
  /** A call whose answer is not JSON (audio): errors as for call, the raw answer otherwise. */
  open<R extends Route>(route: R, input?: CallInput<R>): Promise<A>;
  /** The full URL of a route, for requests the client does not send itself. */
  url<R extends Route>(route: R, input?: Pick<CallInput<R>, 'params' | 'query'>): string;
}

/** A call's input as the implementation reads it (the typed CallInput narrows it per route). */
interface LooseInput {
  params?: object;
  query?: object;
  body?: unknown;
  token?: string;
  check?: AnswerCheck<unknown>;
  unreadable?: string;
}

/** `?a=1&b=2` from the given values; undefined, null and '' mean "not given". */
function queryString(query: object | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function createHttpClient<A extends Answer = Response>(options: HttpClientOptions<A>): HttpClient<A> {
  const { baseUrl, timeoutMs } = options;
  const wording: Wording = { ...AGENT_WORDING, ...options.wording };
  const doFetch: FetchLike<A> = (input, init) => (options.fetch ?? (globalThis.fetch as unknown as FetchLike<A>))(input, init);

  const url = (route: Route, input: { params?: object; query?: object } = {}): string => {
    const path = routePath(route, input.params as Record<string, string | number> | undefined) + queryString(input.query);
    // No server address: the page's own origin (the widget is served by its server).
    return baseUrl ? apiUrl(baseUrl, path) : path;
  };

  async function send(route: Route, input: LooseInput, accept = 'application/json'): Promise<{ answer: A }> {
    const headers: Record<string, string> = { accept };
    if (input.token) headers.authorization = `Bearer ${input.token}`;
    // Only declare JSON when there is a body: an empty JSON body is a 400 on the server.
    if (input.body !== undefined) headers['content-type'] = 'application/json';
    let answer: A;
    try {
      answer = await doFetch(url(route, input), {
        method: route.method,
        headers,
        ...(input.body === undefined ? {} : { body: JSON.stringify(input.body) }),
        // The token travels in the header only; no cookies, no cached personal data.
        credentials: 'omit',
        cache: 'no-store',
        ...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) }),
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw timedOut ? new ApiError('timeout', wording.timeout(baseUrl), 0) : new ApiError('network', wording.unreachable(baseUrl), 0);
    }
    if (answer.ok) return { answer };
    throw wording.errorAnswer(answer.status, answer.statusText ?? '', await readJson(answer));
  }

  return {
    baseUrl,
    url,
    async call(route, input) {
      const given: LooseInput = input ?? {};
      const { answer } = await send(route, given);
      const payload = await readJson(answer);
      if (!given.check) return payload as never;
      const checked = given.check.safeParse(payload);
      if (!checked.success) throw new ApiError('bad_response', given.unreadable ?? wording.badResponse(baseUrl), answer.status);
      return checked.data as never;
    },
    async open(route, input) {
      return (await send(route, input ?? {}, '*/*')).answer;
    },
  };
}

/** The answer's JSON, or undefined when it has none (an empty body, a proxy's HTML page). */
async function readJson(answer: Answer): Promise<unknown> {
  try {
    return await answer.json();
  } catch {
    return undefined;
  }
}
