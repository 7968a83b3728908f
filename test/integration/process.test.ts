import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { ErrorBody } from '../../shared/api/errors';
import { HealthResponse } from '../../shared/api/http';
import { PROTOCOL_VERSION } from '../../shared/version';
import { startTestServer, type TestServer } from '../support/server';
import { dropTestDatabase } from '../support/test-database';
import { api, login, withTimeout, wsConnect } from './helpers';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUILT_WEB_AGENT = fs.existsSync(path.join(ROOT, 'dist/renderer/index.html'));

function exitOf(server: TestServer): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = server.process;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * A WebSocket client that signs in and then goes silent: it stops reading, so it never answers a
 * ping or a close frame (what a peer whose network vanished looks like to the server).
 */
async function silentPeer(url: string, token: string): Promise<net.Socket> {
  const { hostname, port, host } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(
    `GET /ws HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let received = '';
  await new Promise<void>((resolve) => {
    const onData = (d: Buffer) => {
      received += d.toString('latin1');
      // The 101 response, then the hello.ok text frame.
      if (received.includes(' 101 ') && received.includes('hello.ok')) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
    // A client frame: text, final, masked.
    const payload = Buffer.from(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, token }));
    const mask = randomBytes(4);
    const header = Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
    socket.write(Buffer.concat([header, mask, payload.map((b, i) => b ^ mask[i % 4]!)]));
  });
  socket.pause();
  return socket;
}

type Cleanup = (fn: () => Promise<void> | void) => void;

/** Starts the backend process for one test and stops it (and removes its data dir) when that test ends. */
async function start(onTestFinished: Cleanup, opts: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(opts);
  onTestFinished(async () => {
    await server.stop();
    await dropTestDatabase(server.dataDir);
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  });
  return server;
}

// Sequential on purpose: starting a process through tsx is CPU-heavy, and several at once on a
// loaded machine only make each slower. The longer timeout is for such machines.
describe('the backend as a process', { timeout: 60_000 }, () => {
  it('a fresh start seeds the demo org, serves health and / (web agent or build hint), and exits 0 on SIGTERM', async ({ expect, onTestFinished }) => {
    const server = await start(onTestFinished);
    expect(server.output()).toContain('demo org seeded');
    const health = await api(server.url, '/api/health');
    expect(health.status).toBe(200);
    expect(HealthResponse.parse(health.body).status).toBe('ok');

    const root = await fetch(`${server.url}/`);
    const text = await root.text();
    if (BUILT_WEB_AGENT) {
      expect(root.status).toBe(200);
      expect(root.headers.get('content-type')).toMatch(/text\/html/);
      expect(text).toMatch(/<!doctype html>/i);
      expect(root.headers.get('content-security-policy')).toContain("default-src 'self'");
    } else {
      expect(root.status).toBe(503);
      expect(text).toContain('npm run build:renderer');
    }

    // SIGTERM with a signed-in agent connected: the socket is closed as "going away", exit code 0.
    const { token } = await login(server.url, 'agent1');
    const ws = await wsConnect(server.url, token);
    const exited = exitOf(server);
    server.process.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect((await ws.closed).code).toBe(1001);
    expect(server.output()).not.toMatch(/failed|unhandled/i);
  });

  // Regression: shutdown used to wait the ws library's 30 s closing timeout for a peer that had
  // gone silent (laptop lid closed, NAT dropped the flow); now it terminates after 1 s.
  it('SIGTERM exits promptly even when a WebSocket peer has gone silent', async ({ expect, onTestFinished }) => {
    const server = await start(onTestFinished);
    const { token } = await login(server.url, 'agent1');
    const peer = await silentPeer(server.url, token);
    const exited = exitOf(server);
    server.process.kill('SIGTERM');
    try {
      expect(await withTimeout(exited, 5000, 'exit after SIGTERM')).toEqual({ code: 0, signal: null });
    } finally {
      server.process.kill('SIGKILL');
      peer.destroy();
    }
  });

  it('--no-demo on a fresh data dir seeds nobody (agent1 gets 401); without a built web agent / answers 503 with how to build it', async ({ expect, onTestFinished }) => {
    const emptyStatic = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-static-'));
    onTestFinished(() => fs.rmSync(emptyStatic, { recursive: true, force: true }));
    const server = await start(onTestFinished, { args: ['--no-demo'], env: { VEILDESK_STATIC_DIR: emptyStatic } });
    expect(server.output()).toContain('no demo users');
    const res = await api(server.url, '/api/auth/login', { json: { username: 'agent1', password: 'demo' } });
    expect(res.status).toBe(401);
    expect(ErrorBody.parse(res.body).error.code).toBe('unauthenticated');

    const root = await fetch(`${server.url}/`);
    expect(root.status).toBe(503);
    expect(root.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await root.text();
    expect(text).toContain('npm run build:renderer');
    expect(text).toContain(emptyStatic);
    expect((await api(server.url, '/api/health')).status).toBe(200);
  });

  it('a restart on the same data dir keeps users, sessions and an intact audit trail, and does not re-seed', async ({ expect, onTestFinished }) => {
    const first = await start(onTestFinished);
    const agent = await login(first.url, 'agent1');
    const exited = exitOf(first);
    await first.stop();
    expect((await exited).code).toBe(0);

    const second = await start(onTestFinished, { dataDir: first.dataDir });
    expect(second.output()).not.toContain('demo org seeded');
    const me = await api(second.url, '/api/me', { token: agent.token });
    expect(me.status).toBe(200);
    expect(me.body.user).toEqual(agent.user);
    const admin = await login(second.url, 'admin');
    const verify = await api(second.url, '/api/audit/verify', { token: admin.token });
    expect(verify.body).toEqual({ intact: true, entries: 2 });
  });
});
