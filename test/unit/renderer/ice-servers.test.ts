import { describe, expect, it, vi } from 'vitest';
import { fakeApi, makeStore } from './store-harness';

/** The app takes its ICE servers (with short-lived TURN credentials) from GET /api/ice-servers with its session. */
describe('ICE servers in the agent app', () => {
  const turn = (expiresAtMs: number) => ({
    iceServers: [{ urls: 'stun:stun.test:3478' }, { urls: 'turn:turn.test:3478', username: `${expiresAtMs / 1000}:u-agent1`, credential: 'c' }],
    expiresAt: new Date(expiresAtMs).toISOString(),
  });

  it('asks with the session token, reuses the answer until a minute before it expires, then asks again', async () => {
    let now = 1_000_000;
    const iceServers = vi.fn(async () => turn(now + 600_000));
    const { store } = makeStore({ api: fakeApi({ iceServers }), now: () => now });
    await store.getState().signIn({ serverUrl: 'http://server.test', username: 'agent1', password: 'demo' });

    const first = await store.getState().getIceServers();
    expect(first[1]).toMatchObject({ urls: 'turn:turn.test:3478', credential: 'c' });
    expect(iceServers).toHaveBeenCalledWith('tok-1');
    await store.getState().getIceServers();
    expect(iceServers).toHaveBeenCalledTimes(1);

    now += 600_000 - 59_000; // less than a minute left
    await store.getState().getIceServers();
    expect(iceServers).toHaveBeenCalledTimes(2);
  });

  it('a failed request gives no servers this time and is asked again next time', async () => {
    const iceServers = vi.fn().mockRejectedValueOnce(new Error('offline')).mockResolvedValue({ iceServers: [{ urls: 'stun:stun.test:3478' }], expiresAt: null });
    const { store } = makeStore({ api: fakeApi({ iceServers }) });
    await store.getState().signIn({ serverUrl: 'http://server.test', username: 'agent1', password: 'demo' });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(await store.getState().getIceServers()).toEqual([]);
    warn.mockRestore();
    expect(await store.getState().getIceServers()).toEqual([{ urls: 'stun:stun.test:3478' }]);
    expect(iceServers).toHaveBeenCalledTimes(2);
  });
});
