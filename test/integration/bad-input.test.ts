import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorBody } from '../../shared/api/errors';
import { MAX_WS_MESSAGE_BYTES, WsClose, type ServerMessageOf } from '../../shared/api/ws';
import { PROTOCOL_VERSION } from '../../shared/version';
import { api, expectHealthy, isError, login, nextFrame, roundTrip, startBackend, storedCounts, wsConnect, type TestBackend } from './helpers';

type ErrorFrame = ServerMessageOf<'error'>;

describe('bad HTTP input is refused with a clear error and changes nothing', () => {
  let server: TestBackend;
  let before: Awaited<ReturnType<typeof storedCounts>>;
  beforeEach(async () => {
    server = await startBackend();
    before = await storedCounts(server);
  });
  afterEach(async () => {
    await server.close();
  });

  /** The process keeps serving and no user, session or audit entry appeared. */
  async function expectUnharmed(): Promise<void> {
    await expectHealthy(server.url);
    expect(await storedCounts(server)).toEqual(before);
  }

  it('malformed JSON → 400 bad_request', async () => {
    const res = await api(server.url, '/api/auth/login', { body: '{"username": "agent1", "password": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(ErrorBody.parse(res.body).error).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/JSON/) });
    await expectUnharmed();
  });

  it('an unknown field → 400 naming the field, even with the right password', async () => {
    const res = await api(server.url, '/api/auth/login', { json: { username: 'agent1', password: 'demo', role: 'admin' } });
    expect(res.status).toBe(400);
    const error = ErrorBody.parse(res.body).error;
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain('role');
    expect(error.issues?.some((i) => i.message.includes('role'))).toBe(true);
    expect(res.body).not.toHaveProperty('token');
    await expectUnharmed();
  });

  it('a missing field → 400 naming it', async () => {
    const res = await api(server.url, '/api/auth/login', { json: { username: 'agent1' } });
    expect(res.status).toBe(400);
    const error = ErrorBody.parse(res.body).error;
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain('password');
    expect(error.issues).toEqual([{ path: 'password', message: expect.any(String) }]);
    await expectUnharmed();
  });

  it('a field of the wrong type → 400 naming it', async () => {
    const res = await api(server.url, '/api/auth/login', { json: { username: 12345, password: 'demo' } });
    expect(res.status).toBe(400);
    const error = ErrorBody.parse(res.body).error;
    expect(error.code).toBe('bad_request');
    expect(error.issues?.map((i) => i.path)).toEqual(['username']);

    // Same for a query parameter of the wrong type.
    const { token } = await login(server.url, 'admin');
    const afterLogin = await storedCounts(server);
    const query = await api(server.url, '/api/audit?limit=lots', { token });
    expect(query.status).toBe(400);
    expect(ErrorBody.parse(query.body).error.issues?.map((i) => i.path)).toEqual(['limit']);
    await expectHealthy(server.url);
    expect(await storedCounts(server)).toEqual(afterLogin);
  });

  it('a body over 64 KiB → 413 payload_too_large', async () => {
    const res = await api(server.url, '/api/auth/login', { json: { username: 'agent1', password: 'x'.repeat(65 * 1024) } });
    expect(res.status).toBe(413);
    expect(ErrorBody.parse(res.body).error.code).toBe('payload_too_large');
    await expectUnharmed();
  });

  it('a non-JSON content type → 415', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'application/xml']) {
      const res = await api(server.url, '/api/auth/login', { body: 'username=agent1&password=demo', headers: { 'content-type': type } });
      expect(res.status, type).toBe(415);
      expect(ErrorBody.parse(res.body).error.message).toMatch(/application\/json/);
    }
    await expectUnharmed();
  });

  it('GET of an unknown route → 404 not_found as JSON', async () => {
    for (const path of ['/api/nope', '/api/auth/login/extra', '/api/users']) {
      const res = await api(server.url, path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(ErrorBody.parse(res.body).error).toMatchObject({ code: 'not_found', message: expect.stringContaining(path) });
    }
    await expectUnharmed();
  });
});

describe('bad WebSocket input is answered with an error frame; the connection survives when it can', () => {
  let server: TestBackend;
  let token: string;
  let agentId: string;
  beforeEach(async () => {
    server = await startBackend();
    const res = await login(server.url, 'agent1');
    token = res.token;
    agentId = res.user.id;
  });
  afterEach(async () => {
    await server.close();
  });

  it('a message before hello → unauthenticated; hello still works afterwards', async () => {
    const ws = await wsConnect(server.url);
    ws.send({ type: 'presence.set', presence: 'busy' });
    const err = await nextFrame<ErrorFrame>(ws, isError('unauthenticated'));
    expect(err.ref).toBe('presence.set');
    expect(err.message).toMatch(/hello/);
    expect(server.presence.get(agentId)?.presence).toBe('offline');

    ws.send({ type: 'hello', protocol: PROTOCOL_VERSION, token });
    await nextFrame(ws, (f) => f.type === 'hello.ok');
    await roundTrip(ws);
    await expectHealthy(server.url);
  });

  it('an unknown message type → unknown_message, then ping still gets pong', async () => {
    const ws = await wsConnect(server.url, token);
    ws.send({ type: 'calls.dial', number: '+15550100', id: 'r1' });
    const err = await nextFrame<ErrorFrame>(ws, isError('unknown_message'));
    expect(err.ref).toBe('r1');
    expect(err.message).toContain('calls.dial');
    ws.send({ notype: true });
    await nextFrame(ws, isError('unknown_message'));
    await roundTrip(ws);
    await expectHealthy(server.url);
  });

  it('malformed JSON → bad_request, then ping still gets pong', async () => {
    const ws = await wsConnect(server.url, token);
    ws.sendRaw('{"type": "ping",');
    await nextFrame(ws, isError('bad_request'));
    ws.sendRaw(Buffer.from([1, 2, 3])); // a binary frame
    await nextFrame(ws, isError('bad_request'));
    await roundTrip(ws);
    await expectHealthy(server.url);
  });

  it('presence.set with a wrong field type → bad_request, and presence and audit stay unchanged', async () => {
    const ws = await wsConnect(server.url, token);
    const before = await storedCounts(server);
    for (const [i, presence] of [42, 'offline', 'on-a-break'].entries()) {
      ws.send({ type: 'presence.set', presence, id: `bad${i}` });
      const err = await nextFrame<ErrorFrame>(ws, isError('bad_request'));
      expect(err.ref).toBe(`bad${i}`);
      expect(err.message).toContain('presence');
    }
    await roundTrip(ws);
    expect(server.presence.get(agentId)?.presence).toBe('available');
    expect(await storedCounts(server)).toEqual(before);
    expect(ws.frames.filter((f) => f.type === 'presence.self' && f.presence !== 'available')).toEqual([]);
    await expectHealthy(server.url);
  });

  it('a frame over 64 KiB → payload_too_large, then ping still gets pong', async () => {
    const ws = await wsConnect(server.url, token);
    ws.send({ type: 'ping', id: 'big', padding: 'x'.repeat(MAX_WS_MESSAGE_BYTES) });
    const err = await nextFrame<ErrorFrame>(ws, isError('payload_too_large'));
    expect(err.message).toContain(String(MAX_WS_MESSAGE_BYTES));
    await roundTrip(ws);
    await expectHealthy(server.url);
  });

  it('hello with another protocol version → protocol_mismatch and close 4400', async () => {
    for (const [protocol, advice] of [
      [PROTOCOL_VERSION + 1, /server/i],
      [PROTOCOL_VERSION - 1, /update/i],
    ] as const) {
      const ws = await wsConnect(server.url);
      ws.send({ type: 'hello', protocol, token });
      const err = await nextFrame<ErrorFrame>(ws, isError('protocol_mismatch'));
      expect(err.message).toMatch(advice);
      expect((await ws.closed).code).toBe(WsClose.protocolMismatch);
    }
    expect(server.presence.get(agentId)?.presence).toBe('offline');
    await expectHealthy(server.url);
  });

  it('hello with a forged token → unauthenticated and close 4401', async () => {
    for (const forged of [`vd_${'x'.repeat(43)}`, 'garbage']) {
      const ws = await wsConnect(server.url);
      ws.send({ type: 'hello', protocol: PROTOCOL_VERSION, token: forged });
      await nextFrame(ws, isError('unauthenticated'));
      expect((await ws.closed).code).toBe(WsClose.unauthenticated);
    }
    expect(server.presence.get(agentId)?.presence).toBe('offline');
    await expectHealthy(server.url);
  });

  it('hello with a signed-out token → unauthenticated and close 4401', async () => {
    expect((await api(server.url, '/api/auth/logout', { method: 'POST', token })).status).toBe(200);
    const ws = await wsConnect(server.url);
    ws.send({ type: 'hello', protocol: PROTOCOL_VERSION, token });
    await nextFrame(ws, isError('unauthenticated'));
    expect((await ws.closed).code).toBe(WsClose.unauthenticated);
    expect(server.presence.get(agentId)?.presence).toBe('offline');
  });

  it('a frame over 1 MiB closes the socket (1009); the server keeps serving', async () => {
    const ws = await wsConnect(server.url, token);
    ws.sendRaw('x'.repeat(1024 * 1024 + 1));
    expect((await ws.closed).code).toBe(1009);
    await expectHealthy(server.url);
    const again = await wsConnect(server.url, token);
    await roundTrip(again);
  });

  it('hello with an expired token → unauthenticated and close 4401', async () => {
    await server.db.kysely.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
    const ws = await wsConnect(server.url);
    ws.send({ type: 'hello', protocol: PROTOCOL_VERSION, token });
    await nextFrame(ws, isError('unauthenticated'));
    expect((await ws.closed).code).toBe(WsClose.unauthenticated);
    expect(server.presence.get(agentId)?.presence).toBe('offline');
    await expectHealthy(server.url);
  });

  it('a session that expires while connected is closed with 4401 at its next message', async () => {
    const ws = await wsConnect(server.url, token);
    await roundTrip(ws);
    // Let the session's lifetime pass for the whole process (server included); timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + server.config.sessionTtlMinutes * 60_000 + 1000);
      ws.send({ type: 'ping', id: 'late' });
      const err = await nextFrame<ErrorFrame>(ws, isError('unauthenticated'));
      expect(err.message).toMatch(/expired/);
      expect((await ws.closed).code).toBe(WsClose.unauthenticated);
      expect(ws.frames.some((f) => f.type === 'pong' && f.id === 'late')).toBe(false);
      expect((await api(server.url, '/api/me', { token })).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
    await expectHealthy(server.url);
  });

  it('one connection keeps working through a run of recoverable errors', async () => {
    const ws = await wsConnect(server.url, token);
    ws.sendRaw('not json');
    ws.send({ type: 'nope' });
    ws.send({ type: 'presence.set', presence: 7 });
    ws.send({ type: 'ping', id: 'x', extra: 1 });
    ws.send({ type: 'hello', protocol: PROTOCOL_VERSION, token });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await nextFrame<ErrorFrame>(ws, (f) => f.type === 'error')).code);
    expect(codes).toEqual(['bad_request', 'unknown_message', 'bad_request', 'bad_request', 'conflict']);
    ws.send({ type: 'presence.set', presence: 'away' });
    await nextFrame(ws, (f) => f.type === 'presence.self' && f.presence === 'away');
    await roundTrip(ws);
    await expectHealthy(server.url);
  });
});
