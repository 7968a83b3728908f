import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientMessage, MAX_WS_MESSAGE_BYTES, WsClose } from '../../shared/api/ws';
import { PROTOCOL_VERSION } from '../../shared/version';
import { backgroundSettled, snapshotDb, snapshotDiff } from '../support/db-snapshot';
import { FuzzStats } from '../support/fuzz-stats';
import { arbitraryFor, draw, fuzzSeed, junkValue, mutatedFor, oddString } from '../support/zod-arbitrary';
import { api, expectHealthy, login, nextFrame, roundTrip, waitFor, wsConnect, withTimeout, type TestBackend, type TestSocket } from './helpers';
import { GENERAL, startInteractionsBackend } from './interactions-support';

/**
 * Every client→server frame type (ClientMessage in shared/api/ws*.ts), generated from its schema,
 * valid and mutated, plus raw junk (not JSON, binary, over the size limit, deeply nested), sent on
 * real sockets as an agent, a supervisor and a customer, and before hello. The server must answer
 * with frames of its own contract, refuse with a clear error (never `internal`), close only with
 * its documented codes, keep stored data unchanged for invalid frames, and keep serving.
 */

const SEED = fuzzSeed();
const PER_PRINCIPAL = { valid: 1500, invalid: 1500, raw: 400 };
const BEFORE_HELLO = 300;
const MIN_INPUTS = 10_000;
/** Frames sent between two pings: the pong proves the socket is still served. */
const BURST = 100;
/** Close codes a refusal may use: the server's own, normal closure, going away, policy, too big, bad UTF-8. */
const CLEAR_CLOSES = new Set<number>([...Object.values(WsClose), 1000, 1001, 1007, 1008, 1009]);

type Principal = 'agent' | 'supervisor' | 'customer';

/** One frame to send: JSON text of a value, or raw bytes/text as is. */
interface Frame {
  data: string | Buffer;
  valid: boolean;
}

const OPTIONS = ClientMessage.options;

function frames(interactionIds: () => string[], seed: number): Frame[] {
  const known = fc.constantFrom(...interactionIds());
  const keys = { interactionId: fc.oneof({ weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 64 }) }, { weight: 2, arbitrary: known }) };
  const valid = fc.oneof(...OPTIONS.map((o) => arbitraryFor(o, { keys })));
  const mutated = fc.oneof(...OPTIONS.map((o) => mutatedFor(o, { keys })));
  const raw = fc.oneof(
    oddString(200),
    fc.uint8Array({ minLength: 1, maxLength: 512 }).map((a) => Buffer.from(a)),
    fc.integer({ min: MAX_WS_MESSAGE_BYTES + 1, max: MAX_WS_MESSAGE_BYTES + 4096 }).map((n) => JSON.stringify({ type: 'chat.send', text: 'x'.repeat(n) })),
    junkValue().map((v) => JSON.stringify(v) ?? 'undefined'),
    fc.constantFrom('{', '[]', '""', 'null', '{"type":null}', '{"type":"__proto__"}', '{"type":"hello","__proto__":{"admin":true}}', `${'['.repeat(5000)}${']'.repeat(5000)}`),
  );
  // Judged on what goes over the wire: JSON drops keys whose value is undefined, so a frame whose
  // only fault was such a key arrives valid.
  const encode = (value: unknown): Frame => {
    const data = JSON.stringify(value) ?? 'null';
    return { data, valid: ClientMessage.safeParse(JSON.parse(data)).success };
  };
  return [
    ...draw(valid, PER_PRINCIPAL.valid, seed).map(encode),
    ...draw(mutated, PER_PRINCIPAL.invalid, seed + 1).map(encode),
    ...draw(raw, PER_PRINCIPAL.raw, seed + 2).map((data) => ({ data, valid: false })),
  ];
}

describe('WebSocket fuzzing: every client frame type on real sockets', () => {
  let server: TestBackend;
  const stats = new FuzzStats('ws', SEED);
  const problems: string[] = [];
  const sockets: TestSocket[] = [];
  const interactionIds: string[] = [];
  const tokens = new Map<Principal, string>();
  let customerStarts = 0;

  beforeAll(async () => {
    // Timers that would change stored data on their own (offer expiry, wrap-up deadline) stay out of the run.
    // The abuse limits have their own tests (abuse-limits.test.ts); here every frame must reach the
    // schema checks and handlers, so the rates and caps are set far above what the bursts send.
    server = await startInteractionsBackend({
      offerTimeoutMs: 600_000,
      wrapupMs: 600_000,
      customerGoneMs: 600_000,
      wsMessagesPerSecond: 10_000,
      wsMessageBurst: 100_000,
      wsPrincipalMessagesPerSecond: 10_000,
      wsPrincipalMessageBurst: 100_000,
      queuedMaxMessages: 100_000,
      queuedMaxBytes: 100 * 1024 * 1024,
      interactionMaxMessages: 1_000_000,
      interactionMaxBytes: 1024 * 1024 * 1024,
    });
    tokens.set('agent', (await login(server.url, 'agent1')).token);
    tokens.set('supervisor', (await login(server.url, 'super1')).token);
    await newCustomer();
  });

  afterAll(async () => {
    stats.print();
    await server?.close();
  });

  /** A new chat through the widget API (from its own address, so the per-address start limit does not stop the run). */
  async function newCustomer(): Promise<void> {
    customerStarts += 1;
    const res = await server.app.inject({ method: 'POST', url: '/api/widget/interactions', remoteAddress: `198.51.100.${customerStarts % 250}`, payload: { kind: 'chat', queueId: GENERAL, customer: { name: 'Fuzz Customer' } } });
    if (res.statusCode !== 201) throw new Error(`widget start → ${res.statusCode} ${res.body}`);
    const body = res.json<{ interactionId: string; customerToken: string }>();
    interactionIds.push(body.interactionId);
    tokens.set('customer', body.customerToken);
  }

  async function connect(principal: Principal): Promise<TestSocket> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const socket = await wsConnect(server.url);
      sockets.push(socket);
      socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, token: tokens.get(principal) });
      const hello = await nextFrame(socket, (f) => f.type === 'hello.ok' || f.type === 'hello.customer' || f.type === 'error').catch(() => null);
      if (hello && hello.type !== 'error') return socket;
      // A customer whose chat ended (a fuzzed interaction.end) signs in no more: start another.
      if (principal === 'customer') await newCustomer();
      else throw new Error(`${principal} hello refused: ${JSON.stringify(hello)}`);
    }
    throw new Error(`${principal} could not connect`);
  }

  /** Records how a socket ended and whether that was a clear refusal. */
  async function ended(socket: TestSocket, who: string): Promise<void> {
    const { code, reason } = await withTimeout(socket.closed, 5000, 'close');
    stats.count(`close:${code}`);
    if (!CLEAR_CLOSES.has(code)) problems.push(`${who}: socket closed with ${code} ${reason}`);
  }

  /** Sends the frames in bursts, each followed by a ping that must come back; reconnects after a refusal closed the socket. */
  async function pump(principal: Principal, list: Frame[], first?: TestSocket): Promise<void> {
    let socket = first ?? (await connect(principal));
    for (let i = 0; i < list.length; i += BURST) {
      for (const frame of list.slice(i, i + BURST)) {
        if (socket.ws.readyState !== WebSocket.OPEN) {
          await ended(socket, principal);
          socket = await connect(principal);
        }
        socket.sendRaw(frame.data);
        stats.record(frame.valid, frame.valid ? 'sent:valid' : 'sent:invalid');
      }
      const alive = await withTimeout(roundTrip(socket), 10_000, 'pong').then(
        () => true,
        () => false,
      );
      if (!alive) {
        if (socket.ws.readyState === WebSocket.OPEN) problems.push(`${principal}: no pong after frames ${i}..${i + BURST}`);
        await ended(socket, principal);
        socket = await connect(principal);
      }
    }
    await roundTrip(socket);
  }

  const countErrors = () => sockets.reduce((n, socket) => n + socket.frames.filter((f) => f.type === 'error').length, 0);

  const plans = new Map<Principal, Frame[]>();
  const plan = (principal: Principal, index: number) => {
    if (!plans.has(principal)) plans.set(principal, frames(() => interactionIds, SEED + index * 10));
    return plans.get(principal)!;
  };
  const PRINCIPALS: readonly Principal[] = ['agent', 'supervisor', 'customer'];

  it('refuses every invalid frame with an error frame and changes nothing stored', async () => {
    // Sockets open, and the waiting chat offered to the agent, before the snapshot: that is what signing in stores.
    const open = new Map<Principal, TestSocket>();
    for (const principal of PRINCIPALS) open.set(principal, await connect(principal));
    await nextFrame(open.get('agent')!, (f) => f.type === 'offer');
    for (const socket of open.values()) await roundTrip(socket);
    await backgroundSettled(server.db);
    const before = await snapshotDb(server.db);
    const invalidBefore = stats.invalid;
    const errorsBefore = countErrors();
    for (const [index, principal] of PRINCIPALS.entries()) await pump(principal, plan(principal, index).filter((f) => !f.valid), open.get(principal));
    // One refusal per invalid frame, no more (nothing else failed) and no fewer (nothing slipped through).
    expect(countErrors() - errorsBefore).toBe(stats.invalid - invalidBefore);

    // Before hello: every frame but hello is refused, without a principal nothing can change.
    const anonymous = draw(fc.oneof(...OPTIONS.filter((o) => o.shape.type.value !== 'hello').map((o) => arbitraryFor(o))), BEFORE_HELLO, SEED + 99);
    for (let i = 0; i < anonymous.length; i += BURST) {
      const socket = await wsConnect(server.url);
      sockets.push(socket);
      for (const value of anonymous.slice(i, i + BURST)) {
        socket.send(value);
        stats.record(ClientMessage.safeParse(value).success, 'sent:before-hello');
      }
      // No pong before hello either: wait for one refusal per frame instead.
      const sent = Math.min(BURST, anonymous.length - i);
      const refusals = () => socket.frames.filter((f) => f.type === 'error').length;
      await waitFor(() => refusals() >= sent, 10_000, 'refusals before hello').catch(() => problems.push(`before hello: ${refusals()} refusals for ${sent} frames`));
      if (socket.frames.some((f) => f.type !== 'error')) problems.push(`before hello: answered ${JSON.stringify(socket.frames.find((f) => f.type !== 'error'))}`);
      await socket.close();
    }

    expect(snapshotDiff(before, await snapshotDb(server.db))).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);

  it('answers every schema-valid frame without an internal error, within its contract', async () => {
    for (const [index, principal] of PRINCIPALS.entries()) await pump(principal, plan(principal, index).filter((f) => f.valid));
    expect(problems).toEqual([]);
  }, 120_000);

  it('keeps serving: every frame it sent was in its contract, no internal error, health, a fresh client works', async () => {
    for (const socket of sockets) {
      for (const frame of socket.frames) stats.count(frame.type === 'error' ? `reply:error:${frame.code}` : `reply:${frame.type}`);
      if (socket.invalid.length) problems.push(`server sent frames outside its contract: ${JSON.stringify(socket.invalid.slice(0, 3)).slice(0, 300)}`);
      const internal = socket.frames.filter((f) => f.type === 'error' && f.code === 'internal');
      if (internal.length) problems.push(`${internal.length} internal errors: ${JSON.stringify(internal[0])}`);
      const unclear = socket.frames.filter((f) => f.type === 'error' && f.message.trim().length < 10);
      if (unclear.length) problems.push(`error frames without a clear message: ${JSON.stringify(unclear[0])}`);
    }
    expect(stats.inputs).toBeGreaterThanOrEqual(MIN_INPUTS);
    await expectHealthy(server.url);
    const fresh = await login(server.url, 'agent2');
    const socket = await wsConnect(server.url, fresh.token);
    await roundTrip(socket);
    expect((await api(server.url, '/api/me', { token: fresh.token })).status).toBe(200);
    expect(await server.audit.verify()).toMatchObject({ intact: true });
    expect(problems).toEqual([]);
  });
});
