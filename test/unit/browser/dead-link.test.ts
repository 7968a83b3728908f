import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReconnectingSocket, type SocketStateChange } from '../../../browser/net/reconnecting-socket';
import { PROTOCOL_VERSION } from '../../../shared';
import { DEAD_LINK_MS, WsClient } from '../../../renderer/net/ws-client';
import { FakeWebSocket } from './fake-websocket';

/**
 * A link that dies without a close frame (a black-holed network): the socket stays "open" and
 * nothing arrives. The app must notice within 10 s whatever the server's heartbeat, and at once
 * when the browser says it is offline.
 */

type Frame = { type: string; heartbeatMs?: number; id?: string };

function makeSocket(deadLinkMs: number | undefined) {
  const states: SocketStateChange[] = [];
  const socket = new ReconnectingSocket<Frame, Record<string, unknown>, 'gone'>({
    url: 'ws://server.test/ws',
    WebSocket: FakeWebSocket,
    backoff: { initialMs: 500, maxMs: 10_000, jitter: 0 },
    defaultHeartbeatMs: 15_000,
    connectTimeoutMs: 30_000,
    liveness: { kind: 'pong' },
    ...(deadLinkMs === undefined ? {} : { deadLinkMs }),
    fatalCodes: {},
    hello: () => ({ type: 'hello' }),
    ping: (id) => ({ type: 'ping', id }),
    decode: (text) => JSON.parse(text) as Frame,
    acceptedHeartbeatMs: (frame) => (frame.type === 'welcome' ? (frame.heartbeatMs ?? 0) : null),
    errorText: () => null,
    onState: (change) => states.push(change),
    onFrame: () => undefined,
    onFatal: () => undefined,
  });
  return { socket, states };
}

/** The server's side: accepts, then answers every ping the client sends from now on. */
function acceptAndAnswer(heartbeatMs: number): { ws: FakeWebSocket; answer: () => void } {
  const ws = FakeWebSocket.latest();
  ws.serverOpen();
  ws.serverSend({ type: 'welcome', heartbeatMs });
  let answered = 0;
  const answer = () => {
    const pings = ws.framesOfType('ping');
    for (; answered < pings.length; answered += 1) ws.serverSend({ type: 'pong', id: pings[answered]!.id });
  };
  return { ws, answer };
}

/** Advances time in small steps, letting the fake server answer pings as they come. */
function run(ms: number, step: () => void): void {
  for (let t = 0; t < ms; t += 100) {
    vi.advanceTimersByTime(100);
    step();
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('dead link (no close frame)', () => {
  it('pings at least every third of the dead-link time even when the server beats every 15 s, and a live link stays open', () => {
    const { socket } = makeSocket(7000);
    socket.connect();
    const { ws, answer } = acceptAndAnswer(15_000);
    run(60_000, answer);
    expect(socket.state).toBe('open');
    expect(ws.closedByClient).toBeNull();
    // 60 s / 2.333 s
    expect(ws.framesOfType('ping').length).toBeGreaterThanOrEqual(25);
  });

  it('a link that goes silent is dropped (4000) and reconnected within the dead-link time of the last frame', () => {
    const { socket, states } = makeSocket(7000);
    socket.connect();
    const { ws, answer } = acceptAndAnswer(15_000);
    run(10_000, answer);
    // The black hole: pings still go out, nothing comes back, no close event ever fires.
    let t = 10_000;
    while (socket.state === 'open' && t < 30_000) {
      vi.advanceTimersByTime(100);
      t += 100;
    }
    // The last pong came at most one ping interval (2.33 s) before the cut; the drop 7 s after it.
    expect(t - 10_000).toBeGreaterThanOrEqual(7000 - 2400);
    expect(t - 10_000).toBeLessThanOrEqual(7000);
    expect(ws.closedByClient?.code).toBe(4000);
    expect(states.at(-1)?.state).toBe('reconnecting');
    // It reconnects by itself after the backoff.
    vi.advanceTimersByTime(500);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('a slow but alive link (each pong 3 s late) is not mistaken for a dead one', () => {
    const { socket } = makeSocket(7000);
    socket.connect();
    const ws = FakeWebSocket.latest();
    ws.serverOpen();
    ws.serverSend({ type: 'welcome', heartbeatMs: 15_000 });
    const due: { at: number; id: unknown }[] = [];
    let seen = 0;
    for (let now = 0; now < 40_000; now += 100) {
      vi.advanceTimersByTime(100);
      const pings = ws.framesOfType('ping');
      for (; seen < pings.length; seen += 1) due.push({ at: now + 3000, id: pings[seen]!.id });
      while (due.length && due[0]!.at <= now) ws.serverSend({ type: 'pong', id: due.shift()!.id });
    }
    expect(socket.state).toBe('open');
    expect(ws.closedByClient).toBeNull();
  });

  it('without a dead-link time only the server heartbeat counts (two beats of silence)', () => {
    const { socket } = makeSocket(undefined);
    socket.connect();
    acceptAndAnswer(15_000);
    vi.advanceTimersByTime(15_000 + 29_999);
    expect(socket.state).toBe('open');
    vi.advanceTimersByTime(1);
    expect(socket.state).toBe('reconnecting');
  });
});

describe('the browser says offline', () => {
  it('drops an open socket at once, and reconnectNow (the online event) skips the backoff', () => {
    const { socket, states } = makeSocket(7000);
    socket.connect();
    const { ws } = acceptAndAnswer(15_000);
    socket.networkLost();
    expect(ws.closedByClient?.code).toBe(4000);
    expect(socket.state).toBe('reconnecting');
    expect(states.at(-1)?.retryInMs).toBe(500);
    // A second offline event while waiting changes nothing.
    socket.networkLost();
    expect(FakeWebSocket.instances).toHaveLength(1);
    socket.reconnectNow();
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('does nothing once closed for good', () => {
    const { socket } = makeSocket(7000);
    socket.connect();
    acceptAndAnswer(15_000);
    socket.close();
    socket.networkLost();
    expect(socket.state).toBe('closed');
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});

describe('the agent app (WsClient)', () => {
  const hello = { type: 'hello.ok', protocol: PROTOCOL_VERSION, serverVersion: '0.1.0', heartbeatMs: 15_000, user: { id: 'u1', username: 'agent1', displayName: 'Agent One', role: 'agent' }, presence: 'available' };

  it('shows a silent link as lost well within 10 s with the server default heartbeat', () => {
    expect(DEAD_LINK_MS).toBeLessThanOrEqual(8000);
    const client = new WsClient({ url: 'ws://server.test/ws', token: 't', WebSocket: FakeWebSocket, backoff: { initialMs: 500, maxMs: 10_000, jitter: 0 }, logger: { warn: () => undefined, info: () => undefined } });
    const states: string[] = [];
    client.on('state', (s) => states.push(s.state));
    client.connect();
    const ws = FakeWebSocket.latest();
    ws.serverOpen();
    ws.serverSend(hello);
    expect(client.state).toBe('open');
    vi.advanceTimersByTime(DEAD_LINK_MS - 1);
    expect(client.state).toBe('open');
    expect(ws.framesOfType('ping').length).toBeGreaterThanOrEqual(2);
    vi.advanceTimersByTime(1);
    expect(client.state).toBe('reconnecting');
    expect(ws.closedByClient?.code).toBe(4000);
    client.networkLost();
    expect(states.filter((s) => s === 'reconnecting')).toHaveLength(1);
    client.dispose();
  });
});
