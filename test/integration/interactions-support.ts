import type { LoginResponse } from '../../shared/api/http';
import type { ServerMessage, ServerMessageOf } from '../../shared/api/ws';
import { PROTOCOL_VERSION } from '../../shared/version';
import type { ServerConfig } from '../../server/config';
import { api, login, nextFrame, startBackend, wsConnect, type Json, type TestBackend, type TestSocket } from './helpers';

/** Shared by the interactions*.test.ts files: a backend with short timers, agents and customers. */

/** Only the address is used: an in-process backend or a server process (test/support/server.ts) will do. */
export type Reachable = Pick<TestBackend, 'url'>;

export const GENERAL = 'general';
export const BILLING = 'billing';

/** Timers long enough not to fire by accident in a test that does not wait for them. */
export const INTERACTION_DEFAULTS: Partial<ServerConfig> = {
  offerTimeoutMs: 10_000,
  wrapupMs: 30_000,
  customerGoneMs: 30_000,
  presenceGraceMs: 200,
  heartbeatMs: 5_000,
};

export function startInteractionsBackend(overrides: Partial<ServerConfig> = {}): Promise<TestBackend> {
  return startBackend({ ...INTERACTION_DEFAULTS, ...overrides });
}

export interface Agent {
  login: LoginResponse;
  id: string;
  ws: TestSocket;
}

/** Signs in and connects; the agent is then available and gets offers. */
export async function connectAgent(server: Reachable, username: string): Promise<Agent> {
  const session = await login(server.url, username);
  const ws = await wsConnect(server.url, session.token);
  return { login: session, id: session.user.id, ws };
}

export interface Customer {
  interactionId: string;
  token: string;
  ws: TestSocket;
  hello: ServerMessageOf<'hello.customer'>;
}

export async function startInteraction(server: Reachable, body: Json = {}): Promise<{ interactionId: string; customerToken: string; expiresAt: string }> {
  const res = await api(server.url, '/api/widget/interactions', { json: { kind: 'chat', queueId: GENERAL, customer: { name: 'Casey Customer' }, ...body } });
  if (res.status !== 201) throw new Error(`start → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Opens the widget's socket with the customer token and waits for hello.customer. */
export async function connectCustomerSocket(server: Reachable, interactionId: string, token: string): Promise<Customer> {
  const ws = await wsConnect(server.url);
  ws.send({ type: 'hello', protocol: PROTOCOL_VERSION, token });
  const hello = await nextFrame<ServerMessageOf<'hello.customer'>>(ws, (f) => f.type === 'hello.customer' || f.type === 'error');
  if (hello.type !== 'hello.customer') throw new Error(`customer hello refused: ${JSON.stringify(hello)}`);
  return { interactionId, token, ws, hello };
}

/** Starts a chat (or call) through the widget HTTP API and connects its socket. */
export async function connectCustomer(server: Reachable, body: Json = {}): Promise<Customer> {
  const started = await startInteraction(server, body);
  return connectCustomerSocket(server, started.interactionId, started.customerToken);
}

export const isOffer =
  (interactionId: string) =>
  (f: ServerMessage): boolean =>
    f.type === 'offer' && f.interaction.id === interactionId;
export const isState =
  (state: ServerMessageOf<'customer.state'>['state']) =>
  (f: ServerMessage): boolean =>
    f.type === 'customer.state' && f.state === state;
export const isErrorRef =
  (code: string, ref?: string) =>
  (f: ServerMessage): boolean =>
    f.type === 'error' && f.code === code && (ref === undefined || f.ref === ref);

/** Customer starts, agent gets the offer and accepts; both see the conversation open. */
export async function connected(server: Reachable, agent: Agent, body: Json = {}): Promise<Customer> {
  const customer = await connectCustomer(server, body);
  await nextFrame(agent.ws, isOffer(customer.interactionId));
  agent.ws.send({ type: 'offer.accept', interactionId: customer.interactionId });
  await nextFrame(agent.ws, (f) => f.type === 'interaction.opened' && f.interaction.id === customer.interactionId);
  await nextFrame(customer.ws, isState('connected'));
  return customer;
}

/** The interaction's stored detail, through the staff history API. */
export async function detail(server: TestBackend, token: string, interactionId: string): Promise<Json> {
  const res = await api(server.url, `/api/interactions/${interactionId}`, { token });
  if (res.status !== 200) throw new Error(`detail → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function rowCounts(server: TestBackend): Promise<{ interactions: number; messages: number; timeline: number }> {
  const count = async (table: 'interactions' | 'messages' | 'timeline') =>
    Number((await server.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { interactions: await count('interactions'), messages: await count('messages'), timeline: await count('timeline') };
}

export const timelineTypes = (d: Json): string[] => (d.timeline as { type: string }[]).map((e) => e.type);

export interface TwoAgents {
  agent1: Agent;
  /** agent1's customer, connected. */
  customer: Customer;
  agent2: Agent;
}

/** agent1 answers a call (or a chat), then agent2 signs in: where the transfer and consult tests start. */
export async function agent1ConnectedThenAgent2(server: TestBackend, kind: 'call' | 'chat' = 'call'): Promise<TwoAgents> {
  const agent1 = await connectAgent(server, 'agent1');
  const customer = await connected(server, agent1, { kind });
  const agent2 = await connectAgent(server, 'agent2');
  return { agent1, customer, agent2 };
}
