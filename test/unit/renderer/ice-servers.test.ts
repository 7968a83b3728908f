import { describe, expect, it, vi } from 'vitest';
import { fakeMedia } from './fake-media';
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

  it('a failed request keeps nothing: the next call asks again', async () => {
    const iceServers = vi.fn().mockRejectedValueOnce(new Error('offline')).mockResolvedValue({ iceServers: [{ urls: 'stun:stun.test:3478' }], expiresAt: null });
    const { store } = makeStore({ api: fakeApi({ iceServers }) });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await store.getState().signIn({ serverUrl: 'http://server.test', username: 'agent1', password: 'demo' });
    // The request made at sign-in fails: nothing is kept.
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith('[veildesk] could not load ICE servers', expect.anything()));
    warn.mockRestore();
    expect(await store.getState().getIceServers()).toEqual([{ urls: 'stun:stun.test:3478' }]);
    expect(iceServers).toHaveBeenCalledTimes(2);
  });
});

describe('ICE servers after sleep or a network change', () => {
  const answer = (expiresAtMs: number, credential: string) => ({
    iceServers: [{ urls: 'turn:turn.test:3478', username: `${expiresAtMs / 1000}:u-agent1`, credential }],
    expiresAt: new Date(expiresAtMs).toISOString(),
  });

  it('are asked for at sign-in with the call code, so the first call waits on neither', async () => {
    const now = 1_000_000;
    const iceServers = vi.fn(async () => answer(now + 3_600_000, 'c1'));
    const prepare = vi.fn();
    const { store } = makeStore({ api: fakeApi({ iceServers }), now: () => now, media: { ...fakeMedia().media, prepare } });
    await store.getState().signIn({ serverUrl: 'http://server.test', username: 'agent1', password: 'demo' });
    await vi.waitFor(() => expect(iceServers).toHaveBeenCalledTimes(1));
    expect(prepare).toHaveBeenCalledTimes(1);
    expect((await store.getState().getIceServers())[0]).toMatchObject({ credential: 'c1' });
    expect(iceServers).toHaveBeenCalledTimes(1);
  });

  it('with less than a minute left, a call gets the still-valid ones at once while new ones are asked for behind it', async () => {
    let now = 1_000_000;
    let hang = false;
    const iceServers = vi.fn(async () => {
      if (hang) return new Promise<never>(() => undefined); // a request stranded on a dead connection
      return answer(now + 600_000, 'c1');
    });
    const { store } = makeStore({ api: fakeApi({ iceServers }), now: () => now });
    await store.getState().signIn({ serverUrl: 'http://server.test', username: 'agent1', password: 'demo' });
    await vi.waitFor(() => expect(iceServers).toHaveBeenCalledTimes(1)); // asked for at sign-in
    await store.getState().getIceServers();

    now += 600_000 - 30_000; // 30 s left: still valid, due for renewal
    hang = true;
    expect((await store.getState().getIceServers())[0]).toMatchObject({ credential: 'c1' });
    expect(iceServers).toHaveBeenCalledTimes(2);
    // One renewal at a time, however many calls ask meanwhile.
    await store.getState().getIceServers();
    expect(iceServers).toHaveBeenCalledTimes(2);

    now += 25_000; // 5 s left: too little for a new call; it waits for the renewal
    let settled = false;
    void store.getState().getIceServers().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
  });

  it('a renewal that fails hands out the still-valid ones; sign-out forgets them', async () => {
    let now = 1_000_000;
    const iceServers = vi.fn().mockResolvedValueOnce(answer(now + 600_000, 'c1')).mockRejectedValueOnce(new Error('offline')).mockResolvedValue(answer(now + 3_600_000, 'c2'));
    const { store } = makeStore({ api: fakeApi({ iceServers }), now: () => now });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await store.getState().signIn({ serverUrl: 'http://server.test', username: 'agent1', password: 'demo' });
    await vi.waitFor(() => expect(iceServers).toHaveBeenCalledTimes(1)); // asked for at sign-in
    await store.getState().getIceServers();
    now += 600_000 - 30_000;
    expect((await store.getState().getIceServers())[0]).toMatchObject({ credential: 'c1' });
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith('[veildesk] could not load ICE servers', expect.anything()));
    warn.mockRestore();
    await store.getState().signOut();
    await store.getState().signIn({ serverUrl: 'http://server.test', username: 'agent1', password: 'demo' });
    await vi.waitFor(() => expect(iceServers).toHaveBeenCalledTimes(3));
    expect((await store.getState().getIceServers())[0]).toMatchObject({ credential: 'c2' });
  });
});
