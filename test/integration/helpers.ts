import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { LoginResponse } from '../../shared/api/http';
import { ServerMessage, type ServerMessageOf } from '../../shared/api/ws';
import { PROTOCOL_VERSION } from '../../shared/version';
import type { ServerConfig } from '../../server/config';
import { startInProcess, type InProcessServer } from '../support/in-process';
import { dropTestDatabase, onPostgres, seedDigest } from '../support/test-database';

export const DEMO_PASSWORD = 'demo';
export const AGENTS = ['agent1', 'agent2', 'agent3'] as const;

// ---------------------------------------------------------------- servers

/**
 * Seeding the demo org hashes six passwords with scrypt (~1 s of CPU). One vitest run seeds one
 * template database, shared by its workers through a temp folder named after the run (the
 * workers' parent process) and the code that shapes a fresh database (migrations, demo org,
 * password hashing); every test server starts from its own copy of it. That is the same state a
 * fresh seeded start produces, without paying for the hashing again in every file.
 */
let template: Promise<string> | undefined;
function seededTemplate(): Promise<string> {
  template ??= (async () => {
    const prefix = 'veildesk-template-';
    const dir = path.join(os.tmpdir(), `${prefix}${process.ppid}-${seedDigest()}`);
    const file = path.join(dir, 'veildesk.sqlite');
    if (fs.existsSync(file)) return file;

    sweepTemplates(prefix);
    const server = await startInProcess();
    await server.close();
    fs.mkdirSync(dir, { recursive: true });
    const partial = path.join(dir, `veildesk.sqlite.${process.pid}`);
    fs.copyFileSync(path.join(server.dataDir, 'veildesk.sqlite'), partial);
    fs.renameSync(partial, file); // atomic: a worker never copies a half-written template
    fs.rmSync(server.dataDir, { recursive: true, force: true });
    return file;
  })();
  return template;
}

/** Removes templates of earlier runs whose vitest process is gone. */
function sweepTemplates(prefix: string): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = Number(/^veildesk-template-(\d+)-/.exec(name)?.[1]);
    if (!name.startsWith(prefix) || !pid || pid === process.ppid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
}

export interface TestBackend extends InProcessServer {
  /** Closes every WebSocket opened through wsConnect, then the server, then removes its data dir. */
  close(): Promise<void>;
}

/**
 * The real backend in-process, demo org seeded, on a free port with its own fresh data dir.
 * `extras.now` gives it a clock the test moves (testClock below).
 */
export async function startBackend(overrides: Partial<ServerConfig> = {}, extras: Parameters<typeof startInProcess>[2] = {}): Promise<TestBackend> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-int-'));
  // PostgreSQL: startInProcess gives the data dir a copy of the run's seeded template database.
  if (!onPostgres()) fs.copyFileSync(await seededTemplate(), path.join(dataDir, 'veildesk.sqlite'));
  const server = await startInProcess({ ...overrides, dataDir }, [], extras);
  const close = server.close.bind(server);
  return {
    ...server,
    async close() {
      await closeSockets();
      await close();
      await dropTestDatabase(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A clock that runs with the system's, moved forward on demand (e.g. 31 days for retention). */
export function testClock(): { now: () => Date; advance(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

// ---------------------------------------------------------------- HTTP

export interface ApiResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Any JSON body the tests look into; error bodies and successes alike. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** One HTTP call; the body is parsed as JSON when the response says it is JSON, else kept as text. */
export async function api<T = Json>(
  url: string,
  pathname: string,
  opts: { method?: string; token?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body = opts.body;
  if (opts.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(url + pathname, { method: opts.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await res.text();
  const isJson = res.headers.get('content-type')?.includes('application/json') ?? false;
  return { status: res.status, headers: res.headers, body: (isJson ? JSON.parse(text) : text) as T };
}

/** Signs in (password `demo` unless given) and returns the login response; throws unless 200. */
export async function login(url: string, username: string, password = DEMO_PASSWORD): Promise<LoginResponse> {
  const res = await api<LoginResponse>(url, '/api/auth/login', { json: { username, password } });
  if (res.status !== 200) throw new Error(`login ${username} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function expectHealthy(url: string): Promise<void> {
  const res = await api(url, '/api/health');
  if (res.status !== 200 || (res.body as { status?: string }).status !== 'ok') throw new Error(`health → ${res.status} ${JSON.stringify(res.body)}`);
}

// ---------------------------------------------------------------- WebSocket

/**
 * A ws client that records every frame from the moment it opens, so a test never misses a frame
 * that arrived before it started waiting. Frames that do not match the shared ServerMessage
 * contract are kept in `invalid`.
 */
export interface TestSocket {
  ws: WebSocket;
  frames: ServerMessage[];
  invalid: unknown[];
  /** Resolves with the close code and reason once the socket has closed. */
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  sendRaw(data: string | Buffer): void;
  close(): Promise<{ code: number; reason: string }>;
}

const openSockets = new Set<TestSocket>();

/** Opens /ws; with a token it also sends hello and waits for hello.ok. */
export async function wsConnect(url: string, token?: string, opts: { origin?: string; autoPong?: boolean } = {}): Promise<TestSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, { autoPong: opts.autoPong ?? true, ...(opts.origin ? { origin: opts.origin } : {}) });
  const socket: TestSocket = {
    ws,
    frames: [],
    invalid: [],
    closed: new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
    send: (message) => ws.send(JSON.stringify(message)),
    sendRaw: (data) => ws.send(data),
    close: async () => {
      if (ws.readyState === WebSocket.CLOSED) return socket.closed;
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000);
      // ws waits up to 30 s for the server's close frame; a test client need not: after 2 s it drops the connection.
      const dropLater = setTimeout(() => ws.terminate(), 2_000);
      return socket.closed.finally(() => clearTimeout(dropLater));
    },
  };
  openSockets.add(socket);
  void socket.closed.then(() => openSockets.delete(socket));
  ws.on('message', (data) => {
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      socket.invalid.push(data.toString());
      return;
    }
    const parsed = ServerMessage.safeParse(raw);
    if (parsed.success) socket.frames.push(parsed.data);
    else socket.invalid.push(raw);
    for (const waiter of [...waiters.get(socket) ?? []]) waiter();
  });
  ws.on('error', () => undefined); // errors surface as a close; the connect step below rejects on its own
  ws.on('close', () => {
    for (const waiter of [...waiters.get(socket) ?? []]) waiter();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  if (token) {
    socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, token });
    await nextFrame(socket, (f) => f.type === 'hello.ok' || f.type === 'error');
    const last = socket.frames.find((f) => f.type === 'hello.ok' || f.type === 'error');
    if (last?.type !== 'hello.ok') throw new Error(`hello refused: ${JSON.stringify(last)}`);
  }
  return socket;
}

/** Closes (and waits for) every socket opened through wsConnect that is still open. */
export async function closeSockets(): Promise<void> {
  await Promise.all([...openSockets].map((s) => s.close()));
}

const waiters = new Map<TestSocket, Set<() => void>>();
const cursors = new WeakMap<TestSocket, number>();

/**
 * Resolves with the first frame, not yet returned by nextFrame on this socket, that matches the
 * predicate (frames already received count). Frames skipped over are consumed. Rejects when the
 * timeout passes or the socket closes first, listing what did arrive.
 */
export function nextFrame<T extends ServerMessage = ServerMessage>(
  socket: TestSocket,
  predicate: (frame: ServerMessage) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const set = waiters.get(socket) ?? new Set();
    waiters.set(socket, set);
    const done = () => {
      clearTimeout(timer);
      set.delete(check);
    };
    const check = () => {
      let cursor = cursors.get(socket) ?? 0;
      while (cursor < socket.frames.length) {
        const frame = socket.frames[cursor]!;
        cursor += 1;
        cursors.set(socket, cursor);
        if (predicate(frame)) {
          done();
          resolve(frame as T);
          return;
        }
      }
      if (socket.ws.readyState === WebSocket.CLOSED) {
        done();
        reject(new Error(`socket closed before a matching frame; received: ${JSON.stringify(socket.frames)}`));
      }
    };
    const timer = setTimeout(() => {
      set.delete(check);
      reject(new Error(`no matching frame within ${timeoutMs} ms; received: ${JSON.stringify(socket.frames)}`));
    }, timeoutMs);
    set.add(check);
    check();
  });
}

/** A widget customer's socket (its customer token) with its hello answered. */
export async function customerSocket(url: string, token: string): Promise<{ ws: TestSocket; hello: ServerMessageOf<'hello.customer'> }> {
  const ws = await wsConnect(url);
  ws.send({ type: 'hello', protocol: PROTOCOL_VERSION, token });
  const hello = await nextFrame<ServerMessageOf<'hello.customer'>>(ws, (f) => f.type === 'hello.customer' || f.type === 'error', 10_000);
  if (hello.type !== 'hello.customer') throw new Error(`customer hello refused: ${JSON.stringify(hello)}`);
  return { ws, hello };
}

/** Shorthand predicates. */
export const isType =
  (type: ServerMessage['type']) =>
  (f: ServerMessage): boolean =>
    f.type === type;
export const isError =
  (code: string) =>
  (f: ServerMessage): boolean =>
    f.type === 'error' && f.code === code;
export const isRosterChange =
  (username: string, presence: string) =>
  (f: ServerMessage): boolean =>
    f.type === 'roster.changed' && f.agent.username === username && f.agent.presence === presence;

/** Sends a ping with an id and waits for its pong: proves the connection still works, and every frame sent before it has arrived. */
export async function roundTrip(socket: TestSocket, id = `p${Math.random().toString(36).slice(2, 8)}`): Promise<void> {
  socket.send({ type: 'ping', id });
  await nextFrame(socket, (f) => f.type === 'pong' && f.id === id);
}

/** Resolves like the promise, or rejects once the timeout passes. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${timeoutMs} ms`)), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls a condition until it holds (or the timeout passes). */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// ---------------------------------------------------------------- database

export async function countRows(server: InProcessServer, table: 'users' | 'audit_log' | 'sessions'): Promise<number> {
  const row = await server.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Counts of what a bad request must not change. */
export async function storedCounts(server: InProcessServer): Promise<{ users: number; audit: number; sessions: number }> {
  return { users: await countRows(server, 'users'), audit: await countRows(server, 'audit_log'), sessions: await countRows(server, 'sessions') };
}
