import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LoginResponse } from '../../shared/api/http';
import type { ServerMessage, ServerMessageOf } from '../../shared/api/ws';
import { findWorkerBinary } from '../../server/modules/media/worker-binary';
import { api, login, startBackend, wsConnect, type TestBackend, type TestSocket } from './helpers';

/**
 * The SFU with a real mediasoup worker: share rooms over the WebSocket (who may produce and
 * consume, revoke and stop closing consumers at once), a generic audio room as live monitoring will
 * use it, bad parameters, and a worker that dies. Without a worker binary these tests are skipped
 * and the reason is printed.
 */
const found = findWorkerBinary(path.dirname(createRequire(import.meta.url).resolve('mediasoup/package.json')));
const noWorker = 'reason' in found ? found.reason : null;
if (noWorker) console.warn(`[skipped] test/integration/media.test.ts: no usable mediasoup worker (${noWorker})`);

const source = { kind: 'screen', label: 'Screen 1', width: 1280, height: 720 };
const region = { x: 0, y: 0, width: 800, height: 600 };
/** What Chromium would send for one VP8 track (the worker accepts it without any packet flowing). */
const vp8Send = {
  mid: '0',
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [{ type: 'nack' }, { type: 'ccm', parameter: 'fir' }] }],
  headerExtensions: [],
  encodings: [{ ssrc: 11_111_111 }],
  rtcp: { cname: 'sharer', reducedSize: true },
};
const opusSend = {
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }],
  headerExtensions: [],
  encodings: [{ ssrc: 22_222_222 }],
  rtcp: { cname: 'agent', reducedSize: true },
};
const dtls = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AA:'.repeat(31) + 'AA' }] };

type Frame<T extends ServerMessage['type']> = ServerMessageOf<T>;

/** Waits for a frame anywhere in what the socket received (order-independent). */
async function frame<T extends ServerMessage['type']>(socket: TestSocket, type: T, match: (f: Frame<T>) => boolean = () => true): Promise<Frame<T>> {
  return vi.waitFor(
    () => {
      const f = socket.frames.find((x): x is Frame<T> => x.type === type && match(x as Frame<T>));
      if (!f) throw new Error(`no ${type} yet; got ${socket.frames.map((x) => x.type).join(', ')}`);
      return f;
    },
    { timeout: 8000, interval: 20 },
  );
}
const refOf = (ref: string) => (f: { ref?: string }) => f.ref === ref;
const errorFor = (socket: TestSocket, ref: string) => frame(socket, 'error', refOf(ref));

/** media.join → transport → (connect): the steps every client takes. */
async function openTransport(socket: TestSocket, roomId: string, direction: 'send' | 'recv', tag: string) {
  socket.send({ type: 'media.join', roomId, id: `${tag}-join` });
  const joined = await frame(socket, 'media.joined', refOf(`${tag}-join`));
  socket.send({ type: 'media.transport.create', roomId, direction, id: `${tag}-t` });
  const created = await frame(socket, 'media.transport.created', refOf(`${tag}-t`));
  return { joined, transportId: created.transportId, created };
}

describe.skipIf(noWorker !== null)('SFU media rooms (real mediasoup worker)', () => {
  let server: TestBackend;
  let agent: LoginResponse;
  let super1: LoginResponse;
  let super2: LoginResponse;
  let admin: LoginResponse;

  afterEach(async () => {
    await server?.close();
  });

  async function start(): Promise<void> {
    server = await startBackend({ mediaWorkers: 1, shareTransport: 'sfu', mediasoupWorkerBin: found.path ?? undefined, mediaPortMin: 41000, mediaPortMax: 41999 });
    [agent, super1, super2, admin] = await Promise.all([login(server.url, 'agent1'), login(server.url, 'super1'), login(server.url, 'super2'), login(server.url, 'admin')]);
  }

  async function share(viewers: string[]): Promise<{ sharer: TestSocket; shareId: string; roomId: string }> {
    const sharer = await wsConnect(server.url, agent.token);
    sharer.send({ type: 'share.start', source, region, masks: [], viewers, id: 'start' });
    const state = await frame(sharer, 'share.state', refOf('start'));
    const shareId = state.share!.shareId;
    return { sharer, shareId, roomId: `share:${shareId}` };
  }

  async function watch(token: string, shareId: string): Promise<TestSocket> {
    const viewer = await wsConnect(server.url, token);
    viewer.send({ type: 'share.join', shareId, id: 'join' });
    await frame(viewer, 'share.watching', refOf('join'));
    return viewer;
  }

  it('tells the apps the share transport is the SFU; the sharer produces once and a joined viewer gets a consumer; an outsider gets nothing, audited', async () => {
    await start();
    const config = await api(server.url, '/api/config');
    expect(config.body).toMatchObject({ shareTransport: 'sfu' });

    const { sharer, shareId, roomId } = await share([super1.user.id]);
    const send = await openTransport(sharer, roomId, 'send', 's');
    expect(send.joined).toMatchObject({ role: 'producer', kinds: ['video'] });
    expect(send.joined.routerRtpCapabilities.codecs?.map((c) => c.mimeType)).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8']));
    // Loopback by default: candidates on 127.0.0.1.
    expect(send.created.iceCandidates.length).toBeGreaterThan(0);
    expect(send.created.iceCandidates.every((c) => c.ip === '127.0.0.1')).toBe(true);
    sharer.send({ type: 'media.transport.connect', roomId, transportId: send.transportId, dtlsParameters: dtls, id: 's-c' });
    await frame(sharer, 'media.transport.connected', refOf('s-c'));
    // A share carries video only.
    sharer.send({ type: 'media.produce', roomId, transportId: send.transportId, kind: 'audio', rtpParameters: opusSend, id: 's-audio' });
    expect(await errorFor(sharer, 's-audio')).toMatchObject({ code: 'bad_request' });
    sharer.send({ type: 'media.produce', roomId, transportId: send.transportId, kind: 'video', rtpParameters: vp8Send, id: 's-p' });
    const produced = await frame(sharer, 'media.produced', refOf('s-p'));

    const viewer = await watch(super1.token, shareId);
    const recv = await openTransport(viewer, roomId, 'recv', 'v');
    expect(recv.joined.role).toBe('consumer');
    // A viewer may not send into the share's room.
    viewer.send({ type: 'media.transport.create', roomId, direction: 'send', id: 'v-send' });
    expect(await errorFor(viewer, 'v-send')).toMatchObject({ code: 'forbidden' });
    viewer.send({ type: 'media.consume', roomId, transportId: recv.transportId, rtpCapabilities: recv.joined.routerRtpCapabilities, id: 'v-c' });
    const consumer = await frame(viewer, 'media.consumer', refOf('v-c'));
    expect(consumer).toMatchObject({ producerId: produced.producerId, kind: 'video' });
    expect(consumer.rtpParameters.codecs[0]!.mimeType).toBe('video/VP8');
    viewer.send({ type: 'media.consumer.resume', roomId, consumerId: consumer.consumerId, id: 'v-r' });

    // super2 is not on the list: every step is refused, nothing of the room reaches it.
    const outsider = await wsConnect(server.url, super2.token);
    outsider.send({ type: 'media.join', roomId, id: 'o-join' });
    outsider.send({ type: 'media.transport.create', roomId, direction: 'recv', id: 'o-t' });
    outsider.send({ type: 'media.consume', roomId, transportId: recv.transportId, rtpCapabilities: recv.joined.routerRtpCapabilities, id: 'o-c' });
    for (const ref of ['o-join', 'o-t', 'o-c']) expect(await errorFor(outsider, ref)).toMatchObject({ code: 'forbidden' });
    expect(outsider.frames.filter((f) => f.type.startsWith('media.'))).toEqual([]);
    // A room nobody may open does not get a router either.
    outsider.send({ type: 'media.join', roomId: 'share:no-such-share', id: 'o-none' });
    expect(await errorFor(outsider, 'o-none')).toMatchObject({ code: 'forbidden' });

    const audit = await api(server.url, '/api/audit?limit=500', { token: admin.token });
    const refused = (audit.body.entries as { action: string; actorName: string; details: { message: string; reason: string } }[]).filter((e) => e.action === 'share.refused');
    expect(refused.map((e) => `${e.actorName}:${e.details.message}:${e.details.reason}`)).toEqual(
      expect.arrayContaining(['super2:media.join:not_viewer', 'super2:media.transport.create:not_viewer', 'super2:media.consume:not_viewer']),
    );
  });

  it('revoke closes the viewer’s media at once and refuses what follows; stop closes the room for everyone', async () => {
    await start();
    const { sharer, shareId, roomId } = await share([super1.user.id]);
    const send = await openTransport(sharer, roomId, 'send', 's');
    sharer.send({ type: 'media.produce', roomId, transportId: send.transportId, kind: 'video', rtpParameters: vp8Send, id: 's-p' });
    await frame(sharer, 'media.produced', refOf('s-p'));
    const viewer = await watch(super1.token, shareId);
    const recv = await openTransport(viewer, roomId, 'recv', 'v');
    viewer.send({ type: 'media.consume', roomId, transportId: recv.transportId, rtpCapabilities: recv.joined.routerRtpCapabilities, id: 'v-c' });
    await frame(viewer, 'media.consumer', refOf('v-c'));

    sharer.send({ type: 'share.revoke', shareId, userId: super1.user.id, id: 'rv' });
    const closed = await frame(viewer, 'media.room.closed');
    expect(closed).toMatchObject({ roomId, reason: 'revoked' });
    // The server closed the viewer's transport: the old transport is gone, a new join is refused.
    viewer.send({ type: 'media.consume', roomId, transportId: recv.transportId, rtpCapabilities: recv.joined.routerRtpCapabilities, id: 'v-c2' });
    expect(await errorFor(viewer, 'v-c2')).toMatchObject({ code: 'forbidden' });
    viewer.send({ type: 'media.join', roomId, id: 'v-j2' });
    expect(await errorFor(viewer, 'v-j2')).toMatchObject({ code: 'forbidden' });

    // Chosen again, joins again, then the sharer stops: the room closes for both sides.
    sharer.send({ type: 'share.viewers', shareId, viewers: [super1.user.id], id: 'again' });
    await frame(sharer, 'share.state', refOf('again'));
    const viewer2 = await watch(super1.token, shareId);
    const recv2 = await openTransport(viewer2, roomId, 'recv', 'v2');
    viewer2.send({ type: 'media.consume', roomId, transportId: recv2.transportId, rtpCapabilities: recv2.joined.routerRtpCapabilities, id: 'v2-c' });
    await frame(viewer2, 'media.consumer', refOf('v2-c'));
    sharer.send({ type: 'share.stop', shareId, id: 'stop' });
    expect(await frame(viewer2, 'media.room.closed')).toMatchObject({ roomId, reason: 'ended' });
    expect(await frame(sharer, 'media.room.closed')).toMatchObject({ roomId, reason: 'ended' });
    sharer.send({ type: 'media.join', roomId, id: 's-after' });
    expect(await errorFor(sharer, 's-after')).toMatchObject({ code: 'forbidden' });
  });

  it('a viewer who asks before the sharer produces gets the consumer when the producer appears', async () => {
    await start();
    const { sharer, shareId, roomId } = await share([super1.user.id]);
    const viewer = await watch(super1.token, shareId);
    const recv = await openTransport(viewer, roomId, 'recv', 'v');
    viewer.send({ type: 'media.consume', roomId, transportId: recv.transportId, rtpCapabilities: recv.joined.routerRtpCapabilities, id: 'early' });
    const send = await openTransport(sharer, roomId, 'send', 's');
    sharer.send({ type: 'media.produce', roomId, transportId: send.transportId, kind: 'video', rtpParameters: vp8Send, id: 's-p' });
    const produced = await frame(sharer, 'media.produced', refOf('s-p'));
    expect(await frame(viewer, 'media.consumer')).toMatchObject({ producerId: produced.producerId, ref: 'early' });
  });

  it('bad parameters get a clear error and the server keeps working', async () => {
    await start();
    const { sharer, roomId } = await share([]);
    const send = await openTransport(sharer, roomId, 'send', 's');
    // Schema: a produce without codecs never reaches mediasoup.
    sharer.send({ type: 'media.produce', roomId, transportId: send.transportId, kind: 'video', rtpParameters: { codecs: [] }, id: 'bad-schema' });
    expect(await errorFor(sharer, 'bad-schema')).toMatchObject({ code: 'bad_request' });
    // Well-formed but wrong for mediasoup (a codec the router does not have).
    const h265 = { ...vp8Send, codecs: [{ mimeType: 'video/H265', payloadType: 100, clockRate: 90000 }] };
    sharer.send({ type: 'media.produce', roomId, transportId: send.transportId, kind: 'video', rtpParameters: h265, id: 'bad-codec' });
    const err = await errorFor(sharer, 'bad-codec');
    expect(err.code).toBe('bad_request');
    expect(err.message).toMatch(/media server refused/);
    sharer.send({ type: 'media.transport.connect', roomId, transportId: 'not-a-transport', dtlsParameters: dtls, id: 'bad-t' });
    expect(await errorFor(sharer, 'bad-t')).toMatchObject({ code: 'not_found' });
    sharer.send({ type: 'media.produce', roomId, transportId: send.transportId, kind: 'video', rtpParameters: vp8Send, id: 'good' });
    await frame(sharer, 'media.produced', refOf('good'));
  });

  it('a generic audio room (as live monitoring uses it): its policy decides, pause stops the producer, dropUser closes one listener', async () => {
    await start();
    let allowed = true;
    const room = await server.media.openRoom('monitor:call-1', {
      kinds: ['audio'],
      mayProduce: (userId) => userId === agent.user.id,
      mayConsume: (userId) => allowed && userId === super1.user.id,
    });
    const agentWs = await wsConnect(server.url, agent.token);
    const send = await openTransport(agentWs, room.id, 'send', 'a');
    expect(send.joined).toMatchObject({ role: 'producer', kinds: ['audio'] });
    agentWs.send({ type: 'media.produce', roomId: room.id, transportId: send.transportId, kind: 'video', rtpParameters: vp8Send, id: 'a-v' });
    expect(await errorFor(agentWs, 'a-v')).toMatchObject({ code: 'bad_request' });
    agentWs.send({ type: 'media.produce', roomId: room.id, transportId: send.transportId, kind: 'audio', rtpParameters: opusSend, id: 'a-p' });
    await frame(agentWs, 'media.produced', refOf('a-p'));

    const listener = await wsConnect(server.url, super1.token);
    const recv = await openTransport(listener, room.id, 'recv', 'l');
    listener.send({ type: 'media.consume', roomId: room.id, transportId: recv.transportId, rtpCapabilities: recv.joined.routerRtpCapabilities, id: 'l-c' });
    expect(await frame(listener, 'media.consumer', refOf('l-c'))).toMatchObject({ kind: 'audio' });
    expect(room.consumingUsers()).toEqual([super1.user.id]);

    await room.setPaused(true);
    expect(room.producerPaused()).toBe(true);
    await room.setPaused(false);
    expect(room.producerPaused()).toBe(false);
    // Paused again, and the agent's app produces anew (a reload mid-pause): the new producer starts paused.
    await room.setPaused(true);
    agentWs.send({ type: 'media.produce', roomId: room.id, transportId: send.transportId, kind: 'audio', rtpParameters: { ...opusSend, mid: '1', encodings: [{ ssrc: 22_222_223 }] }, id: 'a-p2' });
    const second = await frame(agentWs, 'media.produced', refOf('a-p2'));
    expect(second.producerId).not.toBe((await frame(agentWs, 'media.produced', refOf('a-p'))).producerId);
    expect(room.producerPaused()).toBe(true);
    await room.setPaused(false);
    expect(room.producerPaused()).toBe(false);
    room.dropUser(super1.user.id, 'revoked');
    expect(await frame(listener, 'media.room.closed')).toMatchObject({ reason: 'revoked' });
    expect(room.consumingUsers()).toEqual([]);
    // A right taken away is checked again at the next step.
    allowed = false;
    listener.send({ type: 'media.join', roomId: room.id, id: 'l-again' });
    expect(await errorFor(listener, 'l-again')).toMatchObject({ code: 'forbidden' });
    const other = await wsConnect(server.url, super2.token);
    other.send({ type: 'media.join', roomId: room.id, id: 'x' });
    expect(await errorFor(other, 'x')).toMatchObject({ code: 'forbidden' });
    room.close('ended');
    expect(await frame(agentWs, 'media.room.closed')).toMatchObject({ reason: 'ended' });
  });

  it('a worker that dies is replaced; its rooms close with a message to everyone in them, and new rooms open', async () => {
    await start();
    const { sharer, shareId, roomId } = await share([super1.user.id]);
    const send = await openTransport(sharer, roomId, 'send', 's');
    sharer.send({ type: 'media.produce', roomId, transportId: send.transportId, kind: 'video', rtpParameters: vp8Send, id: 's-p' });
    await frame(sharer, 'media.produced', refOf('s-p'));
    const viewer = await watch(super1.token, shareId);
    const recv = await openTransport(viewer, roomId, 'recv', 'v');
    viewer.send({ type: 'media.consume', roomId, transportId: recv.transportId, rtpCapabilities: recv.joined.routerRtpCapabilities, id: 'v-c' });
    await frame(viewer, 'media.consumer', refOf('v-c'));

    const [worker] = server.media.workers();
    const deadPid = worker!.pid;
    process.kill(deadPid, 'SIGKILL');
    for (const socket of [sharer, viewer]) {
      const closed = await frame(socket, 'media.room.closed');
      expect(closed).toMatchObject({ roomId, reason: 'media_server_restarted' });
      expect(closed.message).toMatch(/media server restarted/i);
    }
    await vi.waitFor(
      () => {
        const pids = server.media.workers().map((w) => w.pid);
        expect(pids).toHaveLength(1);
        expect(pids[0]).not.toBe(deadPid);
      },
      { timeout: 8000 },
    );
    // The share itself goes on: its app opens the room again on the new worker.
    sharer.send({ type: 'media.join', roomId, id: 's-again' });
    expect(await frame(sharer, 'media.joined', refOf('s-again'))).toMatchObject({ role: 'producer' });
  });
});
