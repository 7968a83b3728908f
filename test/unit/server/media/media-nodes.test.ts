import { describe, expect, it } from 'vitest';
import type { RedisLink } from '../../../../server/modules/cluster/redis-link';
import { MediaDirectory } from '../../../../server/modules/media/media-directory';
import { MediaHost } from '../../../../server/modules/media/media-host';
import type { MediaRoom, RoomPolicy } from '../../../../server/modules/media/media-room';
import type { MediaReply, MediaRequest } from '../../../../server/modules/media/media-rpc';

/**
 * The SFU on several nodes without Redis or mediasoup: where the directory places a room, and how
 * a media node fences requests by the holder's token. (The real thing, two processes with workers:
 * test/integration/media-nodes.test.ts, in the SFU suite.)
 */

/** A RedisLink with an in-memory key space and a record of what was published. */
function fakeLink(nodeId: string, keys: Record<string, string> = {}) {
  const published: { channel: string; payload: unknown }[] = [];
  const link = {
    nodeId,
    key: (name: string) => `p:${name}`,
    publish: async (channel: string, payload: unknown) => void published.push({ channel, payload }),
    redis: {
      scan: async (_cursor: string, _m: string, pattern: string) => ['0', Object.keys(keys).filter((k) => k.startsWith(pattern.replace('*', '')))],
      mget: async (...ks: string[]) => ks.map((k) => keys[k] ?? null),
      eval: async () => 0,
      set: async (k: string, v: string) => void (keys[k] = v),
      del: async (k: string) => void delete keys[k],
    },
  };
  return { link: link as unknown as RedisLink, published, keys };
}

const beacon = (workers: number, rooms: number) => JSON.stringify({ announced: '127.0.0.1', workers, rooms });

describe('MediaDirectory.place', () => {
  const directory = (keys: Record<string, string>, localRooms = 0) =>
    new MediaDirectory({ link: fakeLink('a', keys).link, token: () => 7, localRooms: () => localRooms, log: { warn: () => undefined } });

  it('picks the node with the fewest rooms; on a tie not the holder; a node without a worker never', async () => {
    expect(await directory({ 'p:media:node:a': beacon(1, 0), 'p:media:node:b': beacon(1, 0) }).place()).toBe('b');
    expect(await directory({ 'p:media:node:a': beacon(1, 0), 'p:media:node:b': beacon(1, 2) }).place()).toBe('a');
    expect(await directory({ 'p:media:node:a': beacon(1, 0), 'p:media:node:b': beacon(1, 0), 'p:media:node:c': beacon(1, 0) }).place()).toBe('b');
    expect(await directory({ 'p:media:node:a': beacon(1, 5), 'p:media:node:b': beacon(0, 0) }, 5).place()).toBe('a');
    // The holder counts its own rooms live, not from its (older) beacon.
    expect(await directory({ 'p:media:node:a': beacon(1, 0), 'p:media:node:b': beacon(1, 1) }, 3).place()).toBe('b');
  });

  it('leaves out a holder this one replaced (its last beacon can outlive its lease), not a node that holds nothing', async () => {
    const holding = (token: number) => JSON.stringify({ announced: '127.0.0.2', workers: 1, rooms: 0, holding: token });
    // This holder (a, token 7) already has 2 rooms: b would win, but b held the lease under token 6.
    expect(await directory({ 'p:media:node:a': beacon(1, 2), 'p:media:node:b': holding(6), 'p:media:node:c': beacon(1, 1) }, 2).place()).toBe('c');
    expect(await directory({ 'p:media:node:a': beacon(1, 2), 'p:media:node:b': holding(6) }, 2).place()).toBe('a');
    expect(await directory({ 'p:media:node:a': beacon(1, 2), 'p:media:node:b': beacon(1, 0) }, 2).place()).toBe('b');
  });

  it('stays on the holder when no beacon is readable', async () => {
    expect(await directory({ 'p:media:node:b': 'not json' }).place()).toBe('a');
  });
});

describe('MediaHost fencing', () => {
  function host(holderToken = 0) {
    const { link, published } = fakeLink('b');
    const opened: { id: string; closed: string | null; policy: RoomPolicy }[] = [];
    const media = {
      async openLocalRoom(id: string, policy: RoomPolicy) {
        const room = { id, closed: null as string | null, policy };
        opened.push(room);
        return {
          id,
          get isClosed() {
            return room.closed !== null;
          },
          close(reason: string) {
            if (room.closed) return;
            room.closed = reason;
            policy.onClosed?.(reason as never);
          },
        } as unknown as MediaRoom;
      },
    };
    const h = new MediaHost({ link, media, holderToken: () => holderToken, log: { warn: () => undefined } });
    const replies = () => published.filter((p) => (p.payload as { kind: string }).kind === 'res').map((p) => p.payload as MediaReply);
    return { h, opened, replies, published };
  }
  const req = (token: number, roomId: string, op: MediaRequest['op'], args: unknown[] = []): MediaRequest => ({ kind: 'req', reqId: `${op}-${token}-${roomId}`, token, roomId, op, args });

  it('refuses a token lower than the highest seen, and closes the rooms of older tokens when a newer one comes', async () => {
    const { h, opened, replies, published } = host();
    await h.handle(req(5, 'share:1', 'open', [['video']]), 'holder-1');
    expect(opened.map((r) => r.id)).toEqual(['share:1']);
    await h.handle(req(6, 'share:2', 'open', [['video']]), 'holder-2');
    // share:1 was the deposed holder's: closed, and its holder told.
    expect(opened[0]!.closed).toBe('media_server_restarted');
    expect(published).toContainEqual({ channel: 'media:holder-1', payload: { kind: 'closed', roomId: 'share:1', reason: 'media_server_restarted' } });
    await h.handle(req(5, 'share:3', 'open', [['video']]), 'holder-1');
    expect(replies().at(-1)).toMatchObject({ reqId: 'open-5-share:3', ok: false, code: 'conflict' });
    expect(opened.map((r) => r.id)).toEqual(['share:1', 'share:2']);
    expect(opened[1]!.closed).toBeNull();
    expect(h.roomCount).toBe(1);
  });

  it('refuses a token lower than the lease holder’s it knows, before any request came', async () => {
    const { h, opened, replies } = host(9);
    await h.handle(req(8, 'share:1', 'open', [['video']]), 'old');
    expect(replies()[0]).toMatchObject({ ok: false, code: 'conflict' });
    expect((replies()[0] as { message: string }).message).toMatch(/replaced/);
    expect(opened).toEqual([]);
  });

  it('the room policy is what the holder said with the request', async () => {
    const { h, opened } = host();
    await h.handle(req(1, 'share:1', 'open', [['video']]), 'holder');
    const policy = opened[0]!.policy;
    expect(policy.kinds).toEqual(['video']);
    // An endpoint that is not one of the host's proxies is nobody.
    const stranger = { send: () => undefined, isOpen: () => true };
    expect(policy.mayProduce('u1', stranger)).toBe(false);
    expect(policy.mayConsume('u1', stranger)).toBe(false);
  });
});
