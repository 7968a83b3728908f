import { vi } from 'vitest';
import { PROTOCOL_VERSION, type User } from '../../../shared';
import { type CallMedia } from '../../../renderer/media/call-peer-types';
import { type ApiClient } from '../../../renderer/net/api-client';
import { FakeWebSocket } from './fake-websocket';
import { agentUser, fakeApi, makeStore } from './store-harness';

/** A signed-in store with an accepted socket, a hand-driven clock, and the server played by the test. */
export async function signedInWork(options: { user?: User; api?: ApiClient; media?: CallMedia } = {}) {
  const user = options.user ?? agentUser;
  const clock = { now: 1_000_000 };
  const api =
    options.api ??
    fakeApi({ login: vi.fn(async () => ({ token: 'tok-1', user, expiresAt: '2099-01-01T00:00:00.000Z' })) });
  const harness = makeStore({ api, media: options.media, now: () => clock.now });
  await harness.store.getState().start();
  await harness.store.getState().signIn({ serverUrl: 'http://server.test', username: user.username, password: 'demo' });
  const socket = accept(user);
  return { ...harness, clock, socket, user };
}

export function accept(user: User = agentUser): FakeWebSocket {
  const socket = FakeWebSocket.latest();
  socket.serverOpen();
  socket.serverSend({ type: 'hello.ok', protocol: PROTOCOL_VERSION, serverVersion: '0.1.0', heartbeatMs: 60_000, user, presence: 'available' });
  return socket;
}

/** Drops the socket and lets the client reconnect to a fresh one, accepted. */
export function reconnect(user: User = agentUser): FakeWebSocket {
  FakeWebSocket.latest().serverClose(1006);
  vi.advanceTimersByTime(500);
  return accept(user);
}
