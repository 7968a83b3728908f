import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../support/two-nodes';
import { openViewer, produceCanvas, receivedStats, sfuBrowser, takeConsumer, type Bridge } from '../support/sfu-browser';
import { TEST_REDIS_URL } from '../support/test-redis';
import { login, nextFrame, wsConnect, type TestSocket } from './helpers';
import {
  DEAD_NODE_CLOSE_WITHIN_MS,
  dtls,
  ENV,
  frame,
  mediaNodesAvailable,
  openTransport,
  refOf,
  region,
  source,
  startMediaNodes,
  vp8Send,
  type Frame,
} from './media-nodes-support';

/**
 * The SFU on several nodes (docs/architecture.md, "The SFU on several nodes"): two server
 * processes with a mediasoup worker each, node B's media on another loopback address (127.0.0.2).
 * Node A holds the routing lease; the share's room is placed on node B (fewest rooms, ties away
 * from the holder); the sharer's socket is on A, the viewer's on B. Part of the SFU suite.
 * The last case kills node B with a room on it (the holder dying: media-holder.test.ts).
 */
const available = await mediaNodesAvailable('media-nodes.test.ts');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

/** Both nodes up, A holding the lease, and both media beacons in Redis. */
const start = () => startMediaNodes(cleanups);

describe.skipIf(!available)('the SFU on two nodes (real mediasoup workers, Redis, PostgreSQL)', () => {
  it('a share placed on node B: the sharer on A and a viewer on B get B’s transports, the viewer B’s consumer; revoke and stop reach B; the registry entry goes with the room', { timeout: 120_000 }, async () => {
    const nodes = await start();
    const lease = (await nodes.lease())!;
    const [agent, super1] = await Promise.all([login(nodes.a.url, 'agent1'), login(nodes.b.url, 'super1')]);
    const sharer = await wsConnect(nodes.a.url, agent.token);
    sharer.send({ type: 'share.start', source, region, masks: [], viewers: [super1.user.id], id: 'start' });
    const shareId = (await frame(sharer, 'share.state', refOf('start'))).share!.shareId;
    const roomId = `share:${shareId}`;

    const send = await openTransport(sharer, roomId, 'send', 's');
    expect(send.joined).toMatchObject({ role: 'producer', kinds: ['video'] });
    // The room's router is on node B: the sharer's candidates name B's address, not A's where its socket is.
    expect(send.created.iceCandidates.length).toBeGreaterThan(0);
    expect(send.created.iceCandidates.every((c) => c.ip === '127.0.0.2' && c.port >= 43500 && c.port <= 43999)).toBe(true);
    const entry = await nodes.redis.get(`${nodes.prefix}media:room:${roomId}`);
    expect(JSON.parse(entry!)).toEqual({ nodeId: 'node-b', token: lease.token });
    sharer.send({ type: 'media.transport.connect', roomId, transportId: send.transportId, dtlsParameters: dtls, id: 's-c' });
    await frame(sharer, 'media.transport.connected', refOf('s-c'));
    sharer.send({ type: 'media.produce', roomId, transportId: send.transportId, kind: 'video', rtpParameters: vp8Send, id: 's-p' });
    const produced = await frame(sharer, 'media.produced', refOf('s-p'));

    // The viewer's socket is on node B (relayed to the holder A for the share's policy); its media is B's too.
    const viewer = await wsConnect(nodes.b.url, super1.token);
    viewer.send({ type: 'share.join', shareId, id: 'join' });
    await frame(viewer, 'share.watching', refOf('join'));
    const recv = await openTransport(viewer, roomId, 'recv', 'v');
    expect(recv.joined.role).toBe('consumer');
    expect(recv.created.iceCandidates.every((c) => c.ip === '127.0.0.2')).toBe(true);
    // The holder's policy still decides: a viewer may not open a send transport in B's room.
    viewer.send({ type: 'media.transport.create', roomId, direction: 'send', id: 'v-send' });
    expect(await frame(viewer, 'error', refOf('v-send'))).toMatchObject({ code: 'forbidden' });
    viewer.send({ type: 'media.consume', roomId, transportId: recv.transportId, rtpCapabilities: recv.joined.routerRtpCapabilities, id: 'v-c' });
    const consumer = await frame(viewer, 'media.consumer', refOf('v-c'));
    expect(consumer).toMatchObject({ producerId: produced.producerId, kind: 'video' });

    // Revoke on the holder reaches B's room at once.
    sharer.send({ type: 'share.revoke', shareId, userId: super1.user.id, id: 'rv' });
    expect(await frame(viewer, 'media.room.closed')).toMatchObject({ roomId, reason: 'revoked' });
    viewer.send({ type: 'media.consume', roomId, transportId: recv.transportId, rtpCapabilities: recv.joined.routerRtpCapabilities, id: 'v-c2' });
    expect(await frame(viewer, 'error', refOf('v-c2'))).toMatchObject({ code: 'forbidden' });

    // The sharer stops: the room closes on B for the sharer, and its registry entry is removed.
    sharer.send({ type: 'share.stop', shareId, id: 'stop' });
    expect(await frame(sharer, 'media.room.closed')).toMatchObject({ roomId, reason: 'ended' });
    await until(async () => (await nodes.redis.get(`${nodes.prefix}media:room:${roomId}`)) === null, 5_000, 'the registry entry removed');
    await until(async () => (JSON.parse((await nodes.redis.get(`${nodes.prefix}media:node:node-b`))!) as { rooms: number }).rooms === 0, 5_000, 'node B reporting no rooms');
  });

  it('real media: Chromium sends a canvas into the room on node B (sharer on A); the viewer on B decodes frames that came through B’s router', { timeout: 150_000 }, async () => {
    const nodes = await start();
    const [agent, super1] = await Promise.all([login(nodes.a.url, 'agent1'), login(nodes.b.url, 'super1')]);
    const sharer = await wsConnect(nodes.a.url, agent.token);
    sharer.send({ type: 'share.start', source, region, masks: [], viewers: [super1.user.id], id: 'start' });
    const shareId = (await frame(sharer, 'share.state', refOf('start'))).share!.shareId;
    const roomId = `share:${shareId}`;
    const viewer = await wsConnect(nodes.b.url, super1.token);
    viewer.send({ type: 'share.join', shareId, id: 'join' });
    await frame(viewer, 'share.watching', refOf('join'));

    // The page's transports ask the test to signal; the test speaks for each over its own socket (A or B).
    let seq = 0;
    const bridge: Bridge = async (role, op, data) => {
      const socket = role === 'sharer' ? sharer : viewer;
      const id = `${role}-${op}-${++seq}`;
      if (op === 'connect') {
        socket.send({ type: 'media.transport.connect', roomId, transportId: data.transportId, dtlsParameters: data.dtlsParameters, id });
        await frame(socket, 'media.transport.connected', refOf(id));
        return null;
      }
      socket.send({ type: 'media.produce', roomId, transportId: data.transportId, kind: data.kind, rtpParameters: data.rtpParameters, id });
      return (await frame(socket, 'media.produced', refOf(id))).producerId;
    };
    const browser = await sfuBrowser(bridge);
    cleanups.push(() => browser.close());
    const params = (c: Frame<'media.transport.created'>) => ({ id: c.transportId, iceParameters: c.iceParameters, iceCandidates: c.iceCandidates, dtlsParameters: c.dtlsParameters });

    const send = await openTransport(sharer, roomId, 'send', 's');
    expect(send.created.iceCandidates.every((c) => c.ip === '127.0.0.2')).toBe(true);
    const producerId = await produceCanvas(browser.page, send.joined.routerRtpCapabilities, params(send.created));
    const recv = await openTransport(viewer, roomId, 'recv', 'v');
    expect(recv.created.iceCandidates.every((c) => c.ip === '127.0.0.2')).toBe(true);
    const rtpCapabilities = await openViewer(browser.page, recv.joined.routerRtpCapabilities, params(recv.created));
    viewer.send({ type: 'media.consume', roomId, transportId: recv.transportId, rtpCapabilities, id: 'v-c' });
    const consumer = await frame(viewer, 'media.consumer', refOf('v-c'));
    expect(consumer.producerId).toBe(producerId);
    await takeConsumer(browser.page, consumer);
    viewer.send({ type: 'media.consumer.resume', roomId, consumerId: consumer.consumerId, id: 'v-r' });

    // Frames decoded at the viewer: RTP went sharer → node B's router → viewer (node A has no router for it).
    const got = await until(async () => {
      const s = await receivedStats(browser.page);
      return s.framesDecoded >= 10 ? s : null;
    }, 20_000, 'ten decoded frames at the viewer');
    expect(got.packetsReceived).toBeGreaterThan(0);
    expect(JSON.parse((await nodes.redis.get(`${nodes.prefix}media:node:node-a`))!)).toMatchObject({ rooms: 0 });
    expect(JSON.parse((await nodes.redis.get(`${nodes.prefix}media:node:node-b`))!)).toMatchObject({ rooms: 1 });
  });

  it('node B refuses a media request carrying an older fencing token (a replaced holder) and keeps the room', { timeout: 120_000 }, async () => {
    const nodes = await start();
    const lease = (await nodes.lease())!;
    const agent = await login(nodes.a.url, 'agent1');
    const sharer = await wsConnect(nodes.a.url, agent.token);
    sharer.send({ type: 'share.start', source, region, masks: [], viewers: [], id: 'start' });
    const shareId = (await frame(sharer, 'share.state', refOf('start'))).share!.shareId;
    const roomId = `share:${shareId}`;
    await openTransport(sharer, roomId, 'send', 's');
    expect(JSON.parse((await nodes.redis.get(`${nodes.prefix}media:room:${roomId}`))!)).toMatchObject({ nodeId: 'node-b' });

    // A holder that was replaced still holds the older token; it asks B to close the room.
    const sub = new Redis(TEST_REDIS_URL);
    cleanups.push(async () => void sub.disconnect());
    const replies: unknown[] = [];
    await sub.subscribe(`${nodes.prefix}media:old-holder`);
    sub.on('message', (_channel: string, message: string) => replies.push((JSON.parse(message) as { payload: unknown }).payload));
    const stale = { kind: 'req', reqId: 'stale-1', token: lease.token - 1, roomId, op: 'close', args: ['ended'] };
    await nodes.redis.publish(`${nodes.prefix}media:node-b`, JSON.stringify({ from: 'old-holder', payload: stale }));
    const reply = await until(async () => replies[0], 5_000, 'the answer to the stale request');
    expect(reply).toMatchObject({ kind: 'res', reqId: 'stale-1', ok: false, code: 'conflict' });
    expect((reply as { message: string }).message).toMatch(/replaced/);

    // The room is still there and still the holder's: the sharer goes on in it.
    sharer.send({ type: 'media.transport.create', roomId, direction: 'send', id: 's-t2' });
    const again = await frame(sharer, 'media.transport.created', refOf('s-t2'));
    expect(again.iceCandidates.every((c) => c.ip === '127.0.0.2')).toBe(true);
    expect(sharer.frames.some((f) => f.type === 'media.room.closed')).toBe(false);
    expect(JSON.parse((await nodes.redis.get(`${nodes.prefix}media:room:${roomId}`))!)).toEqual({ nodeId: 'node-b', token: lease.token });
  });

  it('node B dies with a share room on it: the sharer and the viewer (both on A) are told media_server_restarted, the entry goes, the next share is placed on A and works', { timeout: 120_000 }, async () => {
    const nodes = await start();
    const lease = (await nodes.lease())!;
    const [agent, super1] = await Promise.all([login(nodes.a.url, 'agent1'), login(nodes.a.url, 'super1')]);
    const sharer = await wsConnect(nodes.a.url, agent.token);
    const viewer = await wsConnect(nodes.a.url, super1.token);
    sharer.send({ type: 'share.start', source, region, masks: [], viewers: [super1.user.id], id: 'start' });
    const shareId = (await frame(sharer, 'share.state', refOf('start'))).share!.shareId;
    const roomId = `share:${shareId}`;
    const send = await openTransport(sharer, roomId, 'send', 's');
    expect(send.created.iceCandidates.every((c) => c.ip === '127.0.0.2')).toBe(true);
    viewer.send({ type: 'share.join', shareId, id: 'join' });
    await frame(viewer, 'share.watching', refOf('join'));
    const recv = await openTransport(viewer, roomId, 'recv', 'v');
    expect(recv.created.iceCandidates.every((c) => c.ip === '127.0.0.2')).toBe(true);
    expect(JSON.parse((await nodes.redis.get(`${nodes.prefix}media:room:${roomId}`))!)).toEqual({ nodeId: 'node-b', token: lease.token });

    // A crash: no shutdown, so B neither removes its beacon nor tells the holder; only the beacon's expiry does.
    const killedAt = Date.now();
    nodes.b.process.kill('SIGKILL');
    const closedAfter = (socket: TestSocket) =>
      nextFrame<Frame<'media.room.closed'>>(socket, (f) => f.type === 'media.room.closed' && f.roomId === roomId, DEAD_NODE_CLOSE_WITHIN_MS + 5_000).then((f) => ({ f, ms: Date.now() - killedAt }));
    const [toSharer, toViewer] = await Promise.all([closedAfter(sharer), closedAfter(viewer)]);
    console.log(`node B killed: media.room.closed reached the sharer after ${toSharer.ms} ms and the viewer after ${toViewer.ms} ms (lease TTL ${ENV.VEILDESK_LEASE_TTL_MS} ms, renewal ${ENV.VEILDESK_LEASE_RENEW_MS} ms)`);
    for (const { f, ms } of [toSharer, toViewer]) {
      expect(f).toMatchObject({ roomId, reason: 'media_server_restarted' });
      expect(f.message).toMatch(/restarted/);
      expect(ms).toBeLessThanOrEqual(DEAD_NODE_CLOSE_WITHIN_MS);
    }
    expect(await nodes.redis.get(`${nodes.prefix}media:node:node-b`)).toBeNull();
    await until(async () => (await nodes.redis.get(`${nodes.prefix}media:room:${roomId}`)) === null, 5_000, 'the dead room’s registry entry removed');

    // The sharer starts again: the new room goes on A, the one node left, and a viewer gets its consumer.
    sharer.send({ type: 'share.stop', shareId, id: 'stop' });
    await frame(sharer, 'share.state', refOf('stop'));
    sharer.send({ type: 'share.start', source, region, masks: [], viewers: [super1.user.id], id: 'start2' });
    const shareId2 = (await frame(sharer, 'share.state', refOf('start2'))).share!.shareId;
    const roomId2 = `share:${shareId2}`;
    const send2 = await openTransport(sharer, roomId2, 'send', 's2');
    expect(send2.created.iceCandidates.length).toBeGreaterThan(0);
    expect(send2.created.iceCandidates.every((c) => c.ip === '127.0.0.1' && c.port >= 43000 && c.port <= 43499)).toBe(true);
    expect(JSON.parse((await nodes.redis.get(`${nodes.prefix}media:room:${roomId2}`))!)).toEqual({ nodeId: 'node-a', token: lease.token });
    sharer.send({ type: 'media.transport.connect', roomId: roomId2, transportId: send2.transportId, dtlsParameters: dtls, id: 's2-c' });
    await frame(sharer, 'media.transport.connected', refOf('s2-c'));
    sharer.send({ type: 'media.produce', roomId: roomId2, transportId: send2.transportId, kind: 'video', rtpParameters: vp8Send, id: 's2-p' });
    const produced = await frame(sharer, 'media.produced', refOf('s2-p'));
    viewer.send({ type: 'share.join', shareId: shareId2, id: 'join2' });
    await frame(viewer, 'share.watching', refOf('join2'));
    const recv2 = await openTransport(viewer, roomId2, 'recv', 'v2');
    expect(recv2.created.iceCandidates.every((c) => c.ip === '127.0.0.1')).toBe(true);
    viewer.send({ type: 'media.consume', roomId: roomId2, transportId: recv2.transportId, rtpCapabilities: recv2.joined.routerRtpCapabilities, id: 'v2-c' });
    expect(await frame(viewer, 'media.consumer', refOf('v2-c'))).toMatchObject({ producerId: produced.producerId, kind: 'video' });
    expect(JSON.parse((await nodes.redis.get(`${nodes.prefix}media:node:node-a`))!)).toMatchObject({ workers: 1 });
  });
});
