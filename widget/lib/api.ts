import { type AnswerCheck, ApiError as HttpApiError, type ApiErrorCode, codeForStatus, createHttpClient, type FetchLike as ClientFetch, readErrorBody } from '../../browser/net/http-client';
import { routes } from '../../shared/api/routes';
import { readConsentSettings, readGivenConsents, type ConsentSettingsView, type GivenConsent } from './consent-view';
import { type NoticeFacts, readNotices } from './notices';
import type { CustomerInfo, WidgetQueue } from './types';

/**
 * The widget's HTTP calls, same origin as the page, through the shared typed client (no zod in
 * this bundle: answers get light shape checks). Every failure becomes an ApiError whose message
 * tells the customer what to do.
 */
/**
 * The shared client's error, built message first as the widget always has. The client's own
 * failures (network) are the base class: test for that with instanceof.
 */
export class ApiError extends HttpApiError {
  constructor(message: string, status: number | null, code: ApiErrorCode | null, issues?: ReadonlyArray<{ path: string; message: string }>) {
    super(code ?? (status === null ? 'network' : codeForStatus(status)), message, status ?? 0, issues);
  }
}

export interface StartResult {
  interactionId: string;
  customerToken: string;
  expiresAt: string;
}

export interface WidgetApi {
  queues(): Promise<WidgetQueue[]>;
  /** What the start form shows: whether the org asks for a year of birth. */
  settings(): Promise<{ askBirthYear: boolean }>;
  /** The privacy notice and the purposes the start form offers (none until the org sets them). */
  consentSettings(): Promise<ConsentSettingsView>;
  /** What applies to chats and calls under the org's settings; null when the answer was not understood. */
  notices(): Promise<NoticeFacts | null>;
  start(body: { kind: 'chat' | 'call'; queueId: string; customer: CustomerInfo; birthYear?: number; consents?: string[]; noticeVersion?: string }): Promise<StartResult>;
  /** The conversation's consents, with its customer token. */
  consents(token: string): Promise<GivenConsent[]>;
  /** Withdraws one purpose; answers the withdrawn record. */
  withdrawConsent(token: string, purposeId: string): Promise<GivenConsent>;
  leaveMessage(body: { queueId: string; customer: CustomerInfo; text: string; birthYear?: number }): Promise<{ interactionId: string }>;
  /** STUN servers and a short-lived TURN credential for the call, with the conversation's token. */
  iceServers(token: string): Promise<RTCIceServer[]>;
}

export type FetchLike = ClientFetch;

export const NETWORK_ERROR = 'Could not reach the server. Check your internet connection, then try again.';
const UNEXPECTED = 'The server gave an unexpected answer. Reload the page and try again.';

/** A started conversation must carry its id and the token the WebSocket hello needs. */
const startedCheck: AnswerCheck<StartResult> = {
  safeParse: (value) => {
    const r = value as Partial<StartResult> | null | undefined;
    return typeof r?.interactionId === 'string' && typeof r.customerToken === 'string' ? { success: true, data: r as StartResult } : { success: false };
  },
};

export function createWidgetApi(fetchImpl: FetchLike, baseUrl = ''): WidgetApi {
  const http = createHttpClient({
    baseUrl,
    fetch: fetchImpl,
    wording: { unreachable: () => NETWORK_ERROR, timeout: () => NETWORK_ERROR, badResponse: () => UNEXPECTED, errorAnswer: (status, _text, body) => errorFromBody(status, body) },
  });

  return {
    async queues() {
      const body = (await http.call(routes.widgetQueues)) as { queues?: unknown } | undefined;
      return Array.isArray(body?.queues) ? (body.queues as WidgetQueue[]).filter((q) => typeof q?.id === 'string' && typeof q?.name === 'string') : [];
    },
    async settings() {
      const body = (await http.call(routes.widgetSettings)) as { askBirthYear?: unknown } | undefined;
      return { askBirthYear: body?.askBirthYear === true };
    },
    consentSettings: async () => readConsentSettings(await http.call(routes.widgetConsentSettings)),
    notices: async () => readNotices(await http.call(routes.widgetNotices)),
    start: (body) => http.call(routes.widgetStart, { body, check: startedCheck }),
    async consents(token) {
      const body = (await http.call(routes.widgetConsents, { token })) as { consents?: unknown } | undefined;
      return readGivenConsents(body?.consents);
    },
    async withdrawConsent(token, purposeId) {
      const body = (await http.call(routes.widgetWithdrawConsent, { token, params: { purposeId } })) as { consent?: unknown } | undefined;
      const [record] = readGivenConsents([body?.consent]);
      if (!record) throw new ApiError(UNEXPECTED, 200, 'bad_response');
      return record;
    },
    leaveMessage: (body) => http.call(routes.widgetLeaveMessage, { body }),
    async iceServers(token) {
      const r = (await http.call(routes.iceServers, { token })) as { iceServers?: unknown } | undefined;
      return Array.isArray(r?.iceServers) ? (r.iceServers as RTCIceServer[]) : [];
    },
  };
}

/** Turns an ErrorBody (or anything else) into a sentence for the customer, with the field issues. */
export function errorFromBody(status: number, body: unknown): ApiError {
  const server = readErrorBody(body);
  let message = server?.message || defaultMessage(status);
  const details = (server?.issues ?? []).map((i) => (i.path && i.path !== '(root)' ? `${i.path}: ${i.message}` : i.message));
  if (details.length > 0 && !details.every((d) => message.includes(d))) message = `${message} (${details.join('; ')})`;
  return new ApiError(message, status, server?.code ?? null, server?.issues);
}

function defaultMessage(status: number): string {
  if (status === 404) return 'The chat service is not available on this server yet.';
  if (status === 429) return 'Too many attempts. Wait a minute, then try again.';
  if (status >= 500) return 'The server had a problem. Try again in a moment.';
  return `The request failed (HTTP ${status}). Reload the page and try again.`;
}
