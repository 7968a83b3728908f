import net from 'node:net';
import { expect, vi } from 'vitest';
import type { ServerMessage, ServerMessageOf } from '../../shared/api/ws';
import { beacon, MEDIA_IP, MEDIA_NODE_ENV, MEDIA_NODES_ENV, mediaWorker, registryEntry } from '../support/media-nodes-env';
import { clusterAvailable, twoNodes, until, type TwoNodes } from '../support/two-nodes';
import type { TestSocket } from './helpers';

/**
 * Shared by the SFU-on-several-nodes tests (media-nodes.test.ts, media-holder.test.ts): two server
 * processes with a mediasoup worker each, node B's media on another loopback address (127.0.0.2),
 * and the media steps a client takes over the WebSocket.
 */
/** Whether a worker, Redis and PostgreSQL are there; a missing worker is printed as the reason for the skip. */
export async function mediaNodesAvailable(file: string): Promise<boolean> {
  if ('reason' in mediaWorker) {
    console.warn(`[skipped] test/integration/${file}: no usable mediasoup worker (${mediaWorker.reason})`);
    return false;
  }
  return clusterAvailable(file);
}

// The generous timeouts are for the shared test machine under load (as in cluster-calls.test.ts).
export const ENV = MEDIA_NODES_ENV;
/** How late the holder may close a dead node's rooms: its beacon expires a TTL after its last beat (at most a TTL after the
 * kill), the holder's sweep runs each renewal, and 2 s are for the loaded test machine. */
export const DEAD_NODE_CLOSE_WITHIN_MS = Number(ENV.VEILDESK_LEASE_TTL_MS) + Number(ENV.VEILDESK_LEASE_RENEW_MS) + 2_000;
export { beacon, MEDIA_IP, registryEntry };

export const source = { kind: 'screen', label: 'Screen 1', width: 1280, height: 720 };
export const region = { x: 0, y: 0, width: 800, height: 600 };
export const vp8Send = {
  mid: '0',
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [{ type: 'nack' }, { type: 'ccm', parameter: 'fir' }] }],
  headerExtensions: [],
  encodings: [{ ssrc: 11_111_111 }],
  rtcp: { cname: 'sharer', reducedSize: true },
};
/** What an agent's app sends for the call's mix into a monitoring room. */
export const opusSend = {
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }],
  headerExtensions: [],
  encodings: [{ ssrc: 22_222_222 }],
  rtcp: { cname: 'agent', reducedSize: true },
};
export const dtls = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AA:'.repeat(31) + 'AA' }] };

export type Frame<T extends ServerMessage['type']> = ServerMessageOf<T>;
/** Waits for a frame anywhere in what the socket received (order-independent). */
export async function frame<T extends ServerMessage['type']>(socket: TestSocket, type: T, match: (f: Frame<T>) => boolean = () => true): Promise<Frame<T>> {
  return vi.waitFor(
    () => {
      const f = socket.frames.find((x): x is Frame<T> => x.type === type && match(x as Frame<T>));
      if (!f) throw new Error(`no ${type} yet; got ${socket.frames.map((x) => x.type).join(', ')}`);
      return f;
    },
    { timeout: 20_000, interval: 20 },
  );
}
export const refOf = (ref: string) => (f: { ref?: string }) => f.ref === ref;

/** media.join → transport: the steps every client takes. */
export async function openTransport(socket: TestSocket, roomId: string, direction: 'send' | 'recv', tag: string) {
  socket.send({ type: 'media.join', roomId, id: `${tag}-join` });
  const joined = await frame(socket, 'media.joined', refOf(`${tag}-join`));
  socket.send({ type: 'media.transport.create', roomId, direction, id: `${tag}-t` });
  const created = await frame(socket, 'media.transport.created', refOf(`${tag}-t`));
  return { joined, transportId: created.transportId, created };
}

/** Whether every ICE candidate of a transport names this media address. */
export const allOn = (created: Frame<'media.transport.created'>, ip: string): boolean => created.iceCandidates.length > 0 && created.iceCandidates.every((c) => c.ip === ip);

/** A producer's side: a send transport in the room, connected, producing `kind`. */
export async function produceInto(socket: TestSocket, roomId: string, kind: 'video' | 'audio', tag: string) {
  const send = await openTransport(socket, roomId, 'send', tag);
  socket.send({ type: 'media.transport.connect', roomId, transportId: send.transportId, dtlsParameters: dtls, id: `${tag}-c` });
  await frame(socket, 'media.transport.connected', refOf(`${tag}-c`));
  socket.send({ type: 'media.produce', roomId, transportId: send.transportId, kind, rtpParameters: kind === 'video' ? vp8Send : opusSend, id: `${tag}-p` });
  const produced = await frame(socket, 'media.produced', refOf(`${tag}-p`));
  return { ...send, producerId: produced.producerId };
}

/** A consumer's side: a receive transport in the room and a consumer of its producer. */
export async function consumeFrom(socket: TestSocket, roomId: string, tag: string) {
  const recv = await openTransport(socket, roomId, 'recv', tag);
  socket.send({ type: 'media.consume', roomId, transportId: recv.transportId, rtpCapabilities: recv.joined.routerRtpCapabilities, id: `${tag}-c` });
  const consumer = await frame(socket, 'media.consumer', refOf(`${tag}-c`));
  return { ...recv, consumer };
}

/** The sharer starts a share with these viewers; its room id. */
export async function startShare(sharer: TestSocket, viewers: string[], tag: string): Promise<{ shareId: string; roomId: string }> {
  sharer.send({ type: 'share.start', source, region, masks: [], viewers, id: tag });
  const shareId = (await frame(sharer, 'share.state', refOf(tag))).share!.shareId;
  return { shareId, roomId: `share:${shareId}` };
}

/** A media.room.closed for the room, waited for from `since` (a kill), with how long after it it came. */
export async function roomClosedAfter(socket: TestSocket, roomId: string, since: number, withinMs: number): Promise<{ f: Frame<'media.room.closed'>; ms: number }> {
  const f = await vi.waitFor(
    () => {
      const found = socket.frames.find((x): x is Frame<'media.room.closed'> => x.type === 'media.room.closed' && x.roomId === roomId);
      if (!found) throw new Error(`no media.room.closed for ${roomId} yet`);
      return found;
    },
    { timeout: withinMs, interval: 10 },
  );
  return { f, ms: Date.now() - since };
}

/**
 * Whether something listens on this TCP address: a transport's TCP candidate is its worker's
 * listening socket, so a free port means the transport (and its router) closed.
 */
export function tcpPortHeld(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(true) : reject(err)));
    probe.listen({ host: ip, port, exclusive: true }, () => probe.close(() => resolve(false)));
  });
}

/** Both nodes up (`env` over ENV), A holding the lease, and both media beacons in Redis. */
export async function startMediaNodes(cleanups: (() => Promise<void>)[], env: Record<string, string> = {}): Promise<TwoNodes> {
  const nodes = await twoNodes(cleanups, { ...ENV, ...env }, MEDIA_NODE_ENV);
  await until(async () => (await nodes.lease())?.nodeId === 'node-a', 30_000, 'node A holding the lease');
  const beacons = await until(async () => {
    const [a, b] = await Promise.all([beacon(nodes, 'node-a'), beacon(nodes, 'node-b')]);
    return a && b ? { a, b } : null;
  }, 30_000, 'both media beacons');
  expect(beacons.a).toMatchObject({ announced: MEDIA_IP.a, workers: 1 });
  expect(beacons.b).toMatchObject({ announced: MEDIA_IP.b, workers: 1 });
  return nodes;
}
