import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Endpoint, endpoints } from '../../shared/api/endpoints';
import { backgroundSettled, snapshotDb, snapshotDiff } from '../support/db-snapshot';
import { type CaseOptions, type HttpCase, invalidCases, validCases } from '../support/fuzz-http-cases';
import { FuzzStats } from '../support/fuzz-stats';
import { draw, fuzzSeed } from '../support/zod-arbitrary';
import { api, login, startBackend, type TestBackend } from './helpers';
import { startInteraction } from './interactions-support';

/**
 * Every HTTP route (endpoints.ts) with inputs generated from its own schemas, sent in-process
 * (Fastify inject) as every kind of caller. Invalid inputs must be refused (4xx) and leave every
 * stored row as it was; valid ones may do what they do but never answer 5xx; the server keeps
 * serving and its audit chain stays intact. Seed: VEILDESK_FUZZ_SEED (printed).
 */

const SEED = fuzzSeed();
/** Per route: generated cases of each kind (valid and mutated). Sign-in hashes a password per valid try, so it gets fewer. */
const PER_ROUTE = { valid: 70, invalid: 85 };
const PER_ROUTE_OVERRIDES: Partial<Record<keyof typeof endpoints, { valid: number; invalid: number }>> = { login: { valid: 12, invalid: 143 } };
const MIN_INPUTS = 10_000;
/** Generated requests come from this address (TEST-NET-2), so the limits they trip do not reach the checks at the end, which come from 127.0.0.1. */
const FUZZ_ADDRESS = '198.51.100.23';
/** A refused sign-in is audited (auth.login_failed) by design: the only stored change a refused request may make. */
const REFUSAL_WRITES: Partial<Record<string, readonly string[]>> = { login: ['audit_log', 'audit_head'] };

type Principal = 'anonymous' | 'forged' | 'customer' | 'agent' | 'supervisor' | 'admin' | 'privacy';
const PRINCIPALS: readonly Principal[] = ['anonymous', 'forged', 'customer', 'agent', 'supervisor', 'admin', 'privacy'];

/** A query's instants near now and a valid grouping, so report routes get past their range rules some of the time. */
const instants = fc.date({ min: new Date('2026-10-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
const KEY_HINTS = { from: instants, to: instants, by: fc.constantFrom('queue,day', 'queue,hour', 'agent,day', 'agent,hour') };

interface Failure {
  route: string;
  principal: Principal;
  problem: string;
  request: string;
}

describe('HTTP fuzzing: every route, every caller, generated from the schemas', () => {
  let server: TestBackend;
  const tokens = new Map<Principal, string | undefined>();
  const stats = new FuzzStats('http', SEED);
  const failures: Failure[] = [];
  const knownIds: string[] = [];

  beforeAll(async () => {
    // Timers that would change stored data on their own (a customer who never connects, offers, wrap-ups) stay out of the run.
    server = await startBackend({ offerTimeoutMs: 600_000, wrapupMs: 600_000, customerGoneMs: 600_000 });
    tokens.set('anonymous', undefined);
    tokens.set('forged', `vd_${'A'.repeat(43)}`);
    const started = await startInteraction(server);
    tokens.set('customer', started.customerToken);
    knownIds.push(started.interactionId);
    for (const [principal, username] of [['agent', 'agent1'], ['supervisor', 'super1'], ['admin', 'admin'], ['privacy', 'privacy1']] as const) {
      const session = await login(server.url, username);
      tokens.set(principal, session.token);
      knownIds.push(session.user.id);
    }
  });

  afterAll(async () => {
    stats.print();
    await server?.close();
  });

  function headersFor(principal: Principal, c: HttpCase): Record<string, string> {
    const token = tokens.get(principal);
    return token ? { ...c.headers, authorization: `Bearer ${token}` } : c.headers;
  }

  /** Signing out would end the session every later case uses: only callers without one try it. */
  const principalsFor = (name: string): readonly Principal[] => (name === 'logout' ? ['anonymous', 'forged'] : PRINCIPALS);

  async function send(name: string, c: HttpCase, principal: Principal): Promise<{ status: number; body: string }> {
    const res = await server.app.inject({ method: c.method as 'GET', url: c.url, remoteAddress: FUZZ_ADDRESS, headers: headersFor(principal, c), ...(c.payload !== undefined ? { payload: c.payload } : {}) });
    stats.record(c.valid, res.statusCode);
    const body = res.body.slice(0, 300);
    if (res.statusCode >= 500) failures.push({ route: name, principal, problem: `answered ${res.statusCode}: ${body}`, request: show(c) });
    return { status: res.statusCode, body };
  }

  const show = (c: HttpCase) => `${c.method} ${c.url.slice(0, 200)} [${c.mutated}] ${c.headers['content-type'] ?? ''} ${typeof c.payload === 'string' ? c.payload.slice(0, 200) : c.payload ? `<${c.payload.length} bytes>` : ''}`;

  function casesFor(name: string, endpoint: Endpoint, index: number): { valid: HttpCase[]; invalid: HttpCase[] } {
    const counts = PER_ROUTE_OVERRIDES[name as keyof typeof endpoints] ?? PER_ROUTE;
    const opts: CaseOptions = { knownIds, keys: KEY_HINTS };
    const all = [...draw(validCases(endpoint, opts), counts.valid, SEED + index * 2), ...draw(invalidCases(endpoint, opts), counts.invalid, SEED + index * 2 + 1)];
    return { valid: all.filter((c) => c.valid), invalid: all.filter((c) => !c.valid) };
  }

  const routes = Object.entries(endpoints) as [string, Endpoint][];
  const generated = routes.map(([name, endpoint], index) => ({ name, ...casesFor(name, endpoint, index) }));

  it(`refuses every invalid input with a 4xx and changes nothing stored (${generated.reduce((n, r) => n + r.invalid.length, 0)} inputs)`, async () => {
    for (const [index, route] of generated.entries()) {
      const callers = principalsFor(route.name);
      await backgroundSettled(server.db);
      const before = await snapshotDb(server.db);
      for (const [i, c] of route.invalid.entries()) {
        const principal = callers[(i + index) % callers.length]!;
        const res = await send(route.name, c, principal);
        if (res.status < 400) failures.push({ route: route.name, principal, problem: `accepted an invalid input with ${res.status}: ${res.body}`, request: show(c) });
      }
      const changed = snapshotDiff(before, await snapshotDb(server.db));
      if (changed.length) failures.push({ route: route.name, principal: 'anonymous', problem: `invalid inputs changed stored data: ${changed.join('; ')}`, request: `${route.invalid.length} cases` });
    }
    expect(failures.slice(0, 20)).toEqual([]);
  }, 180_000);

  it(`answers every schema-valid input without a 5xx (${generated.reduce((n, r) => n + r.valid.length, 0)} inputs)`, async () => {
    for (const [index, route] of generated.entries()) {
      const callers = principalsFor(route.name);
      await backgroundSettled(server.db);
      const before = await snapshotDb(server.db);
      let accepted = 0;
      for (const [i, c] of route.valid.entries()) if ((await send(route.name, c, callers[(i + index) % callers.length]!)).status < 400) accepted += 1;
      // A batch the server refused entirely (wrong caller, unknown ids, limits) must not have stored anything either.
      const allowed = REFUSAL_WRITES[route.name] ?? [];
      const changed = accepted === 0 ? snapshotDiff(before, await snapshotDb(server.db)).filter((line) => !allowed.some((table) => line.startsWith(`${table}:`))) : [];
      if (changed.length) failures.push({ route: route.name, principal: 'anonymous', problem: `refused inputs changed stored data: ${changed.join('; ')}`, request: `${route.valid.length} cases` });
    }
    expect(failures.slice(0, 20)).toEqual([]);
  }, 180_000);

  it('keeps serving afterwards: health, a fresh sign-in, an intact audit chain', async () => {
    expect(stats.inputs).toBeGreaterThanOrEqual(MIN_INPUTS);
    const health = await api(server.url, '/api/health');
    expect(health.status).toBe(200);
    const fresh = await login(server.url, 'agent2');
    expect((await api(server.url, '/api/me', { token: fresh.token })).status).toBe(200);
    expect(await server.audit.verify()).toMatchObject({ intact: true });
  });
});
