import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/**
 * A real TURN server (coturn's `turnserver`, Debian package coturn) on 127.0.0.1 with the TURN REST
 * secret the backend signs credentials with (VEILDESK_TURN_SECRET). Loopback peers are allowed: both
 * browsers and the relays are on this machine. Skips are the caller's: `turnServerPath()` is null
 * when coturn is not installed.
 */
export interface TurnServer {
  port: number;
  secret: string;
  stop(): Promise<void>;
  output(): string;
}

export function turnServerPath(): string | null {
  for (const p of ['/usr/bin/turnserver', '/usr/local/bin/turnserver']) if (fs.existsSync(p)) return p;
  return null;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startTurnServer(): Promise<TurnServer> {
  const bin = turnServerPath();
  if (!bin) throw new Error('coturn is not installed (apt-get install coturn)');
  const port = await freePort();
  const secret = `e2e-turn-secret-${Math.random().toString(36).slice(2)}`;
  let out = '';
  const child: ChildProcess = spawn(
    bin,
    [
      '-n',
      '--listening-ip=127.0.0.1',
      `--listening-port=${port}`,
      '--relay-ip=127.0.0.1',
      '--min-port=40000',
      '--max-port=49999',
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=veildesk.test',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--allow-loopback-peers',
      '--log-file=stdout',
      '--simple-log',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  // Ready when it accepts TCP on its port.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`turnserver did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    secret,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
