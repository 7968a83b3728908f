import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION, WsClose } from '../../../shared';
import { type WsClientEvents, WsClient, type WsStateChange } from '../../../renderer/net/ws-client';
import { FakeWebSocket } from './fake-websocket';

const user = { id: 'u1', username: 'agent1', displayName: 'Agent One', role: 'agent' as const };

function helloOk(overrides: Record<string, unknown> = {}) {
  return {
    type: 'hello.ok',
    protocol: PROTOCOL_VERSION,
    serverVersion: '0.1.0',
    heartbeatMs: 1000,
    user,
    presence: 'available',
    ...overrides,
  };
}

function makeClient(overrides: Partial<ConstructorParameters<typeof WsClient>[0]> = {}) {
  const logger = { warn: vi.fn(), info: vi.fn() };
  const client = new WsClient({
    url: 'ws://server.test/ws',
    token: 'secret-token',
    WebSocket: FakeWebSocket,
    backoff: { initialMs: 500, maxMs: 10_000, jitter: 0 },
    defaultHeartbeatMs: 1000,
    logger,
    ...overrides,
  });
  const states: WsStateChange[] = [];
  client.on('state', (s) => states.push(s));
  return { client, logger, states };
}

function record<K extends keyof WsClientEvents>(client: WsClient, event: K): WsClientEvents[K][] {
  const seen: WsClientEvents[K][] = [];
  client.on(event, (payload) => seen.push(payload));
  return seen;
}

/** Opens the latest socket and has the server accept the hello. */
function accept(overrides: Record<string, unknown> = {}): FakeWebSocket {
  const socket = FakeWebSocket.latest();
  socket.serverOpen();
  socket.serverSend(helloOk(overrides));
  return socket;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('WsClient handshake', () => {
  it('sends hello with protocol and token as the first frame, never in the URL', () => {
    const { client, states } = makeClient();
    client.connect();
    const socket = FakeWebSocket.latest();
    expect(socket.url).toBe('ws://server.test/ws');
    expect(socket.url).not.toContain('secret-token');
    expect(states.at(-1)?.state).toBe('connecting');

    socket.serverOpen();
    expect(socket.frames).toEqual([{ type: 'hello', protocol: PROTOCOL_VERSION, token: 'secret-token' }]);
  });

  it('reports open and emits hello once the server accepts', () => {
    const { client, states } = makeClient();
    const hellos = record(client, 'hello');
    client.connect();
    accept();
    expect(client.state).toBe('open');
    expect(states.at(-1)).toEqual({ state: 'open', attempt: 0, retryInMs: null });
    expect(hellos).toHaveLength(1);
    expect(hellos[0]?.user.username).toBe('agent1');
  });

  it('does not send presence before hello.ok and applies the choice once accepted', () => {
    const { client } = makeClient();
    client.connect();
    const socket = FakeWebSocket.latest();
    socket.serverOpen();
    expect(client.setPresence('busy')).toBeNull();
    expect(socket.framesOfType('presence.set')).toHaveLength(0);

    socket.serverSend(helloOk({ presence: 'available' }));
    expect(socket.framesOfType('presence.set')).toEqual([{ type: 'presence.set', presence: 'busy', id: expect.any(String) }]);
  });

  it('sends presence.set with a request id when open', () => {
    const { client } = makeClient();
    client.connect();
    const socket = accept();
    const id = client.setPresence('away');
    expect(id).toEqual(expect.any(String));
    expect(socket.framesOfType('presence.set')).toEqual([{ type: 'presence.set', presence: 'away', id }]);
  });
});

describe('WsClient reconnect', () => {
  it('reconnects after a network drop with doubling backoff, re-sending hello', () => {
    const { client, states } = makeClient();
    client.connect();
    accept();

    FakeWebSocket.latest().serverClose(1006);
    expect(client.state).toBe('reconnecting');
    expect(states.at(-1)).toEqual({ state: 'reconnecting', attempt: 1, retryInMs: 500 });
    expect(FakeWebSocket.instances).toHaveLength(1);

    vi.advanceTimersByTime(499);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);

    // The retry fails before being accepted: the next wait doubles.
    FakeWebSocket.latest().serverClose(1006);
    expect(states.at(-1)?.retryInMs).toBe(1000);
    vi.advanceTimersByTime(999);
    expect(FakeWebSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(3);

    const socket = FakeWebSocket.latest();
    socket.serverOpen();
    expect(socket.frames[0]).toEqual({ type: 'hello', protocol: PROTOCOL_VERSION, token: 'secret-token' });
    socket.serverSend(helloOk());
    expect(client.state).toBe('open');
  });

  it('caps the backoff at the maximum and resets it after an accepted hello', () => {
    const { client, states } = makeClient();
    client.connect();
    const delays: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      FakeWebSocket.latest().serverClose(1006);
      const wait = states.at(-1)?.retryInMs ?? -1;
      delays.push(wait);
      vi.advanceTimersByTime(wait);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);

    accept();
    FakeWebSocket.latest().serverClose(1001);
    expect(states.at(-1)?.retryInMs).toBe(500);
  });

  it('retries immediately on reconnectNow', () => {
    const { client } = makeClient();
    client.connect();
    accept();
    FakeWebSocket.latest().serverClose(1006);
    client.reconnectNow();
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it.each([
    ['unauthenticated', WsClose.unauthenticated],
    ['protocol-mismatch', WsClose.protocolMismatch],
    ['signed-out', WsClose.signedOut],
  ] as const)('does not reconnect after close code for %s', (reason, code) => {
    const { client } = makeClient();
    const fatals = record(client, 'fatal');
    client.connect();
    const socket = accept();
    socket.serverSend({ type: 'error', code: 'unauthenticated', message: 'Session expired' });
    socket.serverClose(code, 'bye');

    expect(client.state).toBe('closed');
    expect(fatals).toEqual([{ reason, code, message: 'Session expired' }]);
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('treats a refusal before hello.ok as final too', () => {
    const { client } = makeClient();
    const fatals = record(client, 'fatal');
    client.connect();
    const socket = FakeWebSocket.latest();
    socket.serverOpen();
    socket.serverClose(WsClose.protocolMismatch, 'protocol 1 not supported');
    expect(fatals[0]).toMatchObject({ reason: 'protocol-mismatch', message: 'protocol 1 not supported' });
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('does not reconnect after close()', () => {
    const { client } = makeClient();
    client.connect();
    const socket = accept();
    client.close();
    expect(socket.closedByClient?.code).toBe(1000);
    expect(client.state).toBe('closed');
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});

describe('WsClient heartbeat', () => {
  it('pings every heartbeatMs and stays up while pongs arrive', () => {
    const { client } = makeClient();
    client.connect();
    const socket = accept({ heartbeatMs: 1000 });
    for (let i = 1; i <= 5; i += 1) {
      vi.advanceTimersByTime(1000);
      const pings = socket.framesOfType('ping');
      expect(pings).toHaveLength(i);
      socket.serverSend({ type: 'pong', id: pings.at(-1)?.id });
    }
    expect(client.state).toBe('open');
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('declares the link dead when no pong arrives within 2×heartbeatMs, then reconnects', () => {
    const { client, states } = makeClient();
    client.connect();
    const socket = accept({ heartbeatMs: 1000 });

    vi.advanceTimersByTime(1000); // first ping, unanswered
    expect(socket.framesOfType('ping')).toHaveLength(1);
    vi.advanceTimersByTime(1999);
    expect(client.state).toBe('open');
    vi.advanceTimersByTime(1);

    expect(socket.closedByClient).not.toBeNull();
    expect(client.state).toBe('reconnecting');
    expect(states.at(-1)?.retryInMs).toBe(500);
    vi.advanceTimersByTime(500);
    expect(FakeWebSocket.instances).toHaveLength(2);
    const next = accept({ heartbeatMs: 1000 });
    // A late close event from the abandoned socket must not disturb the new session.
    socket.serverClose(1006);
    vi.advanceTimersByTime(1000);
    next.serverSend({ type: 'pong' });
    expect(client.state).toBe('open');
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('gives up on a socket that never gets hello.ok', () => {
    const { client } = makeClient({ connectTimeoutMs: 3000 });
    client.connect();
    FakeWebSocket.latest().serverOpen();
    vi.advanceTimersByTime(3000);
    expect(client.state).toBe('reconnecting');
    vi.advanceTimersByTime(500);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });
});

describe('WsClient frame validation', () => {
  it('ignores and logs invalid frames without dropping the session', () => {
    const { client, logger } = makeClient();
    const presences = record(client, 'presence');
    const changes = record(client, 'roster.changed');
    client.connect();
    const socket = accept();

    socket.serverSend('not json {');
    socket.serverSend({ type: 'mystery' });
    socket.serverSend({ type: 'presence.self', presence: 'sleeping', since: 'now' });
    socket.serverSend({ type: 'roster.changed', agent: { username: 'x' } });
    socket.onmessage?.({ data: new ArrayBuffer(4) });

    expect(logger.warn).toHaveBeenCalledTimes(5);
    expect(presences).toHaveLength(0);
    expect(changes).toHaveLength(0);
    expect(client.state).toBe('open');

    socket.serverSend({ type: 'presence.self', presence: 'busy', since: '2024-01-01T00:00:00.000Z' });
    expect(presences).toEqual([{ type: 'presence.self', presence: 'busy', since: '2024-01-01T00:00:00.000Z' }]);
  });
});

describe('WsClient presence across reconnects', () => {
  function reconnect(): FakeWebSocket {
    FakeWebSocket.latest().serverClose(1006);
    vi.advanceTimersByTime(500);
    const socket = FakeWebSocket.latest();
    socket.serverOpen();
    return socket;
  }

  it('does not re-send presence the server kept through the grace period', () => {
    const { client } = makeClient();
    client.connect();
    accept();
    client.setPresence('busy');
    const socket = reconnect();
    socket.serverSend(helloOk({ presence: 'busy' }));
    expect(socket.framesOfType('presence.set')).toHaveLength(0);
  });

  it('re-applies the last chosen presence when the server forgot it', () => {
    const { client } = makeClient();
    client.connect();
    accept();
    client.setPresence('away');
    const socket = reconnect();
    socket.serverSend(helloOk({ presence: 'available' }));
    expect(socket.framesOfType('presence.set')).toEqual([{ type: 'presence.set', presence: 'away', id: expect.any(String) }]);
  });

  it('adopts a presence change pushed by the server as the one to restore', () => {
    const { client } = makeClient();
    client.connect();
    const first = accept();
    client.setPresence('busy');
    first.serverSend({ type: 'presence.self', presence: 'away', since: '2024-01-01T00:00:00.000Z' });
    const socket = reconnect();
    socket.serverSend(helloOk({ presence: 'away' }));
    expect(socket.framesOfType('presence.set')).toHaveLength(0);
  });
});

describe('WsClient interaction frames', () => {
  it('sends any client frame only on an accepted session', () => {
    const { client } = makeClient();
    client.connect();
    const socket = FakeWebSocket.latest();
    socket.serverOpen();
    expect(client.send({ type: 'offer.accept', interactionId: 'i-1' })).toBe(false);
    socket.serverSend(helloOk());
    expect(client.send({ type: 'offer.accept', interactionId: 'i-1', id: 'r1' })).toBe(true);
    expect(client.send({ type: 'hello', protocol: PROTOCOL_VERSION, token: 'x' })).toBe(false);
    expect(socket.framesOfType('offer.accept')).toEqual([{ type: 'offer.accept', interactionId: 'i-1', id: 'r1' }]);

    socket.serverClose(1006);
    expect(client.send({ type: 'chat.typing', interactionId: 'i-1' })).toBe(false);
  });

  it('emits each interaction frame under its type, validated', () => {
    const { client, logger } = makeClient();
    const offers = record(client, 'offer');
    const boards = record(client, 'board');
    const withdrawn = record(client, 'offer.withdrawn');
    client.connect();
    const socket = accept();
    socket.serverSend({ type: 'offer.withdrawn', interactionId: 'i-1', reason: 'timeout' });
    socket.serverSend({ type: 'board', queues: [], agents: [], at: '2024-05-01T10:00:00.000Z' });
    socket.serverSend({ type: 'offer', interaction: { id: 'broken' }, expiresAt: 'x' });
    // Frames meant for customers are ignored quietly.
    socket.serverSend({ type: 'customer.state', interactionId: 'i-1', state: 'waiting' });
    expect(withdrawn).toEqual([{ type: 'offer.withdrawn', interactionId: 'i-1', reason: 'timeout' }]);
    expect(boards).toHaveLength(1);
    expect(offers).toEqual([]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('ignores interaction frames before hello.ok', () => {
    const { client } = makeClient();
    const withdrawn = record(client, 'offer.withdrawn');
    client.connect();
    const socket = FakeWebSocket.latest();
    socket.serverOpen();
    socket.serverSend({ type: 'offer.withdrawn', interactionId: 'i-1', reason: 'timeout' });
    expect(withdrawn).toEqual([]);
  });
});
