import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReconnectingSocket, type Liveness, type SocketStateChange } from '../../../browser/net/reconnecting-socket';
import { FakeWebSocket } from './fake-websocket';

type Frame = { type: string; heartbeatMs?: number; message?: string };

function makeSocket(liveness: Liveness) {
  const states: SocketStateChange[] = [];
  const frames: Frame[] = [];
  const fatals: Array<{ kind: string; serverMessage: string | null }> = [];
  const socket = new ReconnectingSocket<Frame, Record<string, unknown>, 'gone'>({
    url: 'ws://server.test/ws',
    WebSocket: FakeWebSocket,
    backoff: { initialMs: 500, maxMs: 10_000, jitter: 0 },
    defaultHeartbeatMs: 1000,
    connectTimeoutMs: 5000,
    liveness,
    fatalCodes: { 4401: 'gone' },
    hello: () => ({ type: 'hello', token: 't' }),
    ping: (id) => ({ type: 'ping', id }),
    decode: (text) => JSON.parse(text) as Frame,
    acceptedHeartbeatMs: (frame) => (frame.type === 'welcome' ? (frame.heartbeatMs ?? 0) : null),
    errorText: (frame) => (frame.type === 'error' ? (frame.message ?? '') : null),
    onState: (change) => states.push(change),
    onFrame: (frame) => frames.push(frame),
    onFatal: ({ kind, serverMessage }) => fatals.push({ kind, serverMessage }),
  });
  return { socket, states, frames, fatals };
}

function accept(heartbeatMs = 1000): FakeWebSocket {
  const ws = FakeWebSocket.latest();
  ws.serverOpen();
  ws.serverSend({ type: 'welcome', heartbeatMs });
  return ws;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ReconnectingSocket', () => {
  it('sends the hello first, opens on acceptance and counts accepted connections', () => {
    const { socket, states, frames } = makeSocket({ kind: 'pong' });
    socket.connect();
    expect(socket.connectionId).toBeNull();
    const ws = accept();
    expect(ws.frames[0]).toEqual({ type: 'hello', token: 't' });
    expect(states.map((s) => s.state)).toEqual(['connecting', 'open']);
    expect(frames).toEqual([{ type: 'welcome', heartbeatMs: 1000 }]);
    expect(socket.connectionId).toBe(1);
    ws.serverClose(1006);
    expect(socket.connectionId).toBeNull();
    vi.advanceTimersByTime(500);
    accept();
    expect(socket.connectionId).toBe(2);
  });

  it('pong liveness: an unanswered ping kills the socket after 2 × heartbeat', () => {
    const { socket } = makeSocket({ kind: 'pong' });
    socket.connect();
    const ws = accept();
    vi.advanceTimersByTime(1000);
    expect(ws.framesOfType('ping')).toHaveLength(1);
    vi.advanceTimersByTime(1999);
    expect(socket.state).toBe('open');
    vi.advanceTimersByTime(1);
    expect(ws.closedByClient?.code).toBe(4000);
    expect(socket.state).toBe('reconnecting');
  });

  it('any-frame liveness: any frame keeps the socket, silence past 2 × heartbeat + grace kills it', () => {
    const { socket } = makeSocket({ kind: 'any-frame', graceMs: 1000 });
    socket.connect();
    const ws = accept();
    vi.advanceTimersByTime(2500);
    ws.serverSend({ type: 'news' });
    vi.advanceTimersByTime(2999);
    expect(socket.state).toBe('open');
    vi.advanceTimersByTime(1);
    expect(ws.closedByClient?.code).toBe(4000);
    expect(socket.state).toBe('reconnecting');
  });

  it('a fatal close code stops for good and reports the last error text', () => {
    const { socket, fatals } = makeSocket({ kind: 'pong' });
    socket.connect();
    const ws = FakeWebSocket.latest();
    ws.serverOpen();
    ws.serverSend({ type: 'error', message: 'token expired' });
    ws.serverClose(4401);
    expect(fatals).toEqual([{ kind: 'gone', serverMessage: 'token expired' }]);
    expect(socket.state).toBe('closed');
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('sends only on an accepted session', () => {
    const { socket } = makeSocket({ kind: 'pong' });
    socket.connect();
    FakeWebSocket.latest().serverOpen();
    expect(socket.send({ type: 'x' })).toBe(false);
    const ws = accept();
    expect(socket.send({ type: 'x' })).toBe(true);
    expect(ws.framesOfType('x')).toHaveLength(1);
  });
});

describe('ReconnectingSocket after sleep or a network change', () => {
  it('freshStart replaces an open socket at once, and skips the backoff of a reconnecting one', () => {
    const { socket } = makeSocket({ kind: 'pong' });
    socket.connect();
    const first = accept();
    socket.freshStart('the computer woke up');
    expect(first.closedByClient?.code).toBe(4000);
    const second = FakeWebSocket.latest();
    expect(second).not.toBe(first);
    second.serverOpen();
    second.serverSend({ type: 'welcome', heartbeatMs: 1000 });
    expect(socket.state).toBe('open');
    second.serverClose(1006);
    expect(socket.state).toBe('reconnecting');
    socket.freshStart('the network changed');
    expect(FakeWebSocket.latest()).not.toBe(second);
    socket.close();
    const count = FakeWebSocket.instances.length;
    socket.freshStart('after sign-out');
    expect(FakeWebSocket.instances).toHaveLength(count);
  });
});

describe('ReconnectingSocket while a cluster moves to another node', () => {
  it('1012 and 1013 retry at the first step (0.5 s) instead of doubling, so the app is back as soon as a node takes over', () => {
    const { socket } = makeSocket({ kind: 'pong' });
    socket.connect();
    accept().serverClose(1012);
    // While no node holds the lease every new socket is refused with 1013: still 0.5 s each time.
    for (let refusal = 0; refusal < 6; refusal += 1) {
      vi.advanceTimersByTime(499);
      const before = FakeWebSocket.instances.length;
      vi.advanceTimersByTime(1);
      expect(FakeWebSocket.instances.length).toBe(before + 1);
      FakeWebSocket.latest().serverOpen();
      FakeWebSocket.latest().serverClose(1013);
    }
    vi.advanceTimersByTime(500);
    accept();
    expect(socket.state).toBe('open');
  });

  it('other closes still double (0.5, 1, 2 s), and the fast retries are bounded', () => {
    const { socket } = makeSocket({ kind: 'pong' });
    socket.connect();
    accept().serverClose(1006);
    const gaps: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const before = FakeWebSocket.instances.length;
      let waited = 0;
      while (FakeWebSocket.instances.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      gaps.push(waited);
      FakeWebSocket.latest().serverClose(1006);
    }
    expect(gaps).toEqual([500, 1000, 2000]);

    // A cluster that stays down: after the bounded fast retries the doubling resumes.
    const { socket: other } = makeSocket({ kind: 'pong' });
    FakeWebSocket.reset();
    other.connect();
    let lastGap = 0;
    for (let i = 0; i < 22; i += 1) {
      FakeWebSocket.latest().serverClose(1013);
      const before = FakeWebSocket.instances.length;
      let waited = 0;
      while (FakeWebSocket.instances.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      lastGap = waited;
    }
    expect(lastGap).toBeGreaterThan(500);
  });
});
