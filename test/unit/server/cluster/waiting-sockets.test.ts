import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FrameLog, HELD_FRAMES_MAX, WaitingSockets, type HeldFrame, type SocketTarget } from '../../../../server/modules/cluster/waiting-sockets';

/** The part of a ws socket the waiting room uses. */
class FakeSocket extends EventEmitter {
  readyState = 1;
  closed: { code: number; reason: string } | null = null;
  close(code: number, reason: string): void {
    this.closed = { code, reason };
    this.readyState = 3;
    this.emit('close', code, Buffer.from(reason));
  }
  terminate(): void {
    this.close(1006, '');
  }
  send(text: string): void {
    this.emit('message', Buffer.from(text), false);
  }
}

const asWs = (s: FakeSocket) => s as unknown as WebSocket;

function room(maxWaitMs = 8_000) {
  let target: SocketTarget = null;
  const delivered: { socket: FakeSocket; address: string; frames: string[]; to: NonNullable<SocketTarget> }[] = [];
  const waiting = new WaitingSockets({
    target: () => target,
    deliver: (socket, address, frames: HeldFrame[], to) => delivered.push({ socket: socket as unknown as FakeSocket, address, frames: frames.map((f) => f.data.toString()), to }),
    maxWaitMs,
  });
  return { waiting, delivered, setTarget: (t: SocketTarget) => (target = t) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('WaitingSockets: client sockets held while no node can serve them', () => {
  it('keeps a socket open while there is no target and hands it on, with its hello, once there is', () => {
    const { waiting, delivered, setTarget } = room();
    const socket = new FakeSocket();
    waiting.hold(asWs(socket), '10.0.0.9');
    socket.send('{"type":"hello"}');
    waiting.retry();
    expect(delivered).toEqual([]);
    expect(socket.closed).toBeNull();
    expect(waiting.size).toBe(1);

    setTarget({ kind: 'here' });
    waiting.retry();
    expect(delivered).toMatchObject([{ address: '10.0.0.9', frames: ['{"type":"hello"}'], to: { kind: 'here' } }]);
    expect(waiting.size).toBe(0);
    // Its listeners are gone: what it sends now is the new owner's, not kept here.
    expect(socket.listenerCount('message')).toBe(0);
    expect(socket.listenerCount('close')).toBe(0);
  });

  it('a socket whose relay went unanswered comes with what it had sent, and goes at once when a target exists', () => {
    const { waiting, delivered, setTarget } = room();
    setTarget({ kind: 'relay', leader: 'node-c' });
    const log = new FrameLog();
    log.add(Buffer.from('{"type":"hello"}'), false);
    const socket = new FakeSocket();
    waiting.hold(asWs(socket), '10.0.0.9', log);
    expect(delivered).toMatchObject([{ frames: ['{"type":"hello"}'], to: { kind: 'relay', leader: 'node-c' } }]);
  });

  it('closes with 1013 (the app retries) when no target comes in time', () => {
    vi.useFakeTimers();
    const { waiting, delivered } = room(8_000);
    const socket = new FakeSocket();
    waiting.hold(asWs(socket), '10.0.0.9');
    vi.advanceTimersByTime(7_999);
    expect(socket.closed).toBeNull();
    vi.advanceTimersByTime(1);
    expect(socket.closed?.code).toBe(1013);
    expect(waiting.size).toBe(0);
    expect(delivered).toEqual([]);
  });

  it('closes with 1013 a socket that sends more than a client waiting for its hello’s answer does', () => {
    const { waiting } = room();
    const socket = new FakeSocket();
    waiting.hold(asWs(socket), '10.0.0.9');
    for (let i = 0; i <= HELD_FRAMES_MAX; i++) socket.send(`{"type":"ping","id":"${i}"}`);
    expect(socket.closed?.code).toBe(1013);
    expect(waiting.size).toBe(0);
  });

  it('forgets a socket that closes while it waits, and does not hand on one already closed', () => {
    const { waiting, delivered, setTarget } = room();
    const gone = new FakeSocket();
    waiting.hold(asWs(gone), '10.0.0.9');
    gone.close(1001, 'tab closed');
    expect(waiting.size).toBe(0);
    const closedAlready = new FakeSocket();
    closedAlready.readyState = 3;
    waiting.hold(asWs(closedAlready), '10.0.0.9');
    setTarget({ kind: 'here' });
    waiting.retry();
    expect(delivered).toEqual([]);
  });

  it('a relay the leader answered, or one that sent too much, cannot be handed on: it is closed instead', () => {
    const answered = new FrameLog();
    answered.add(Buffer.from('{"type":"hello"}'), false);
    answered.forget();
    expect(answered).toMatchObject({ replayable: false, frames: [] });
    const { waiting, delivered, setTarget } = room();
    setTarget({ kind: 'here' });
    const socket = new FakeSocket();
    waiting.hold(asWs(socket), '10.0.0.9', answered);
    expect(socket.closed?.code).toBe(1013);
    expect(delivered).toEqual([]);
  });

  it('closeAll closes every waiting socket with the given code', () => {
    const { waiting } = room();
    const sockets = [new FakeSocket(), new FakeSocket()];
    for (const s of sockets) waiting.hold(asWs(s), '10.0.0.9');
    waiting.closeAll(1001, 'server shutting down');
    expect(sockets.map((s) => s.closed?.code)).toEqual([1001, 1001]);
    expect(waiting.size).toBe(0);
  });
});
