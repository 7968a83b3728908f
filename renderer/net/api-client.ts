import {
  ClientConfig,
  HealthResponse,
  IceServersResponse,
  InteractionDetailResponse,
  type InteractionDetail,
  InteractionsPage,
  type LoginRequest,
  LoginResponse,
  LogoutResponse,
  MeResponse,
  type Queue,
  QueuesResponse,
  routes,
  type TransferTargetAgent,
  TransferTargetsResponse,
} from '../../shared';
import { ApiError, type ApiErrorCode, createHttpClient, type HttpClient } from '../../browser/net/http-client';

// One error type for every HTTP failure in the app: the typed client's.
export { ApiError, type ApiErrorCode };

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
  /** STUN servers and short-lived TURN credentials for calls and shares (signed in). */
  iceServers(token: string): Promise<IceServersResponse>;
  login(body: LoginRequest): Promise<LoginResponse>;
  logout(token: string): Promise<void>;
  me(token: string): Promise<MeResponse>;
  /** Queues with their dispositions and members (transfer targets). */
  queues(token: string): Promise<Queue[]>;
  /** Past and current interactions, newest first; the server scopes them to what the caller may see. */
  interactions(token: string, query?: InteractionsPageQuery): Promise<InteractionsPage>;
  interaction(token: string, id: string): Promise<InteractionDetail>;
  /** Agents this interaction can go to by name, with their live state. */
  transferTargets(token: string, id: string): Promise<TransferTargetAgent[]>;
}

export interface InteractionsPageQuery {
  /** Cursor from the previous page's nextBefore. */
  before?: string;
  limit?: number;
  agentId?: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** The agent app's typed HTTP client for a server (a timeout so the user is not left waiting). */
export function createAgentHttpClient(options: ApiClientOptions): HttpClient<Response> {
  return createHttpClient<Response>({ timeoutMs: DEFAULT_TIMEOUT_MS, ...options });
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const http = createAgentHttpClient(options);
  return {
    baseUrl: options.baseUrl,
    health: () => http.call(routes.health, { check: HealthResponse }),
    config: () => http.call(routes.config, { check: ClientConfig }),
    iceServers: (token) => http.call(routes.iceServers, { token, check: IceServersResponse }),
    login: (body) => http.call(routes.login, { body, check: LoginResponse }),
    logout: async (token) => {
      await http.call(routes.logout, { token, check: LogoutResponse });
    },
    me: (token) => http.call(routes.me, { token, check: MeResponse }),
    queues: async (token) => (await http.call(routes.queues, { token, check: QueuesResponse })).queues,
    interactions: (token, query = {}) =>
      http.call(routes.interactions, { token, query: { before: query.before, limit: query.limit, agentId: query.agentId }, check: InteractionsPage }),
    interaction: (token, id) => http.call(routes.interaction, { token, params: { id }, check: InteractionDetailResponse }),
    transferTargets: async (token, id) => (await http.call(routes.transferTargets, { token, params: { id }, check: TransferTargetsResponse })).agents,
  };
}
