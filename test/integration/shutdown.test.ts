import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startBackend } from './helpers';

describe('stopping the server', () => {
  it('does not wait on a client that stalls mid-request: its connection is cut after the grace period', async () => {
    const server = await startBackend({ shutdownGraceMs: 300 });
    const { port } = new URL(server.url);
    const requestArrived = new Promise<void>((resolve) => server.app.server.once('request', () => resolve()));
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // Headers complete, body promised but never sent: the request stays in flight.
    socket.write('POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user');
    await requestArrived;

    const started = Date.now();
    await server.close();
    await ended;
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(5_000);
  });
});
