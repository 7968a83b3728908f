import { Device } from 'mediasoup-client';
import { type IceServer, type MediaKind, type ServerMessageOf } from '../../../shared';
import { type MediaSignaling, type RoomEvent } from './signaling';

/**
 * mediasoup-client sessions in one media room: publish one track (the producing side) or receive
 * the room's track (a consumer). Loaded on demand, like simple-peer, so the main bundle stays small.
 * Generic over the kind: screen shares publish video, live monitoring audio.
 */

type Transport = ReturnType<Device['createSendTransport']>;

export interface SessionEnd {
  /** The server closed it (revoked, ended, media server restarted) or it failed. */
  reason: string;
  message: string;
}

export interface Publication {
  readonly producerId: string;
  /** Pauses or resumes sending at the source: the track is disabled at once and the sender goes inactive, so no RTP leaves this machine while paused. */
  setPaused(paused: boolean): void;
  /** The sending side's WebRTC stats (outbound-rtp shows whether packets still go out). */
  getStats?(): Promise<RTCStatsReport>;
  onEnded(listener: (end: SessionEnd) => void): () => void;
  close(): void;
}

export interface Subscription {
  /** Each track the room delivers (again after the sender starts over). */
  onTrack(listener: (track: MediaStreamTrack, kind: MediaKind) => void): () => void;
  onEnded(listener: (end: SessionEnd) => void): () => void;
  close(): void;
}

export interface SessionOptions {
  signaling: MediaSignaling;
  roomId: string;
  iceServers: IceServer[];
}

async function joinAndLoad(options: SessionOptions): Promise<{ device: Device; joined: ServerMessageOf<'media.joined'> }> {
  const joined = await options.signaling.request({ type: 'media.join', roomId: options.roomId }, 'media.joined');
  const device = new Device();
  await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as never });
  return { device, joined };
}

async function openTransport(device: Device, options: SessionOptions, direction: 'send' | 'recv'): Promise<Transport> {
  const { signaling, roomId } = options;
  const created = await signaling.request({ type: 'media.transport.create', roomId, direction }, 'media.transport.created');
  const params = {
    id: created.transportId,
    iceParameters: created.iceParameters as never,
    iceCandidates: created.iceCandidates as never,
    dtlsParameters: created.dtlsParameters as never,
    iceServers: options.iceServers as RTCIceServer[],
  };
  const transport = direction === 'send' ? device.createSendTransport(params) : device.createRecvTransport(params);
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    signaling
      .request({ type: 'media.transport.connect', roomId, transportId: transport.id, dtlsParameters: dtlsParameters as never }, 'media.transport.connected')
      .then(() => callback(), errback);
  });
  return transport;
}

function endListeners() {
  const set = new Set<(end: SessionEnd) => void>();
  let ended: SessionEnd | null = null;
  return {
    add(fn: (end: SessionEnd) => void) {
      if (ended) fn(ended);
      set.add(fn);
      return () => void set.delete(fn);
    },
    emit(end: SessionEnd) {
      if (ended) return;
      ended = end;
      for (const fn of [...set]) fn(end);
    },
    get ended() {
      return ended !== null;
    },
  };
}

/** Joins the room as its producing side and sends `track` once; the server fans it out. */
export async function publish(options: SessionOptions, track: MediaStreamTrack): Promise<Publication> {
  const { signaling, roomId } = options;
  const ends = endListeners();
  const offRoom = signaling.onRoom(roomId, (event: RoomEvent) => {
    if (event.type === 'media.room.closed') ends.emit({ reason: event.reason, message: event.message });
  });
  let transport: Transport | null = null;
  try {
    const { device } = await joinAndLoad(options);
    const kind = track.kind as MediaKind;
    if (!device.canProduce(kind)) throw new Error(`This browser cannot send ${kind} to the media server.`);
    transport = await openTransport(device, options, 'send');
    const t = transport;
    t.on('produce', ({ kind: k, rtpParameters }, callback, errback) => {
      signaling
        .request({ type: 'media.produce', roomId, transportId: t.id, kind: k as MediaKind, rtpParameters: rtpParameters as never }, 'media.produced')
        .then((m) => callback({ id: m.producerId }), errback);
    });
    t.on('connectionstatechange', (state) => {
      if (state === 'failed' || state === 'closed') ends.emit({ reason: 'failed', message: 'The connection to the media server was lost.' });
    });
    // zeroRtpOnPause: a pause sets the transceiver inactive, so not even silent packets are sent.
    const producer = await t.produce({ track, stopTracks: false, zeroRtpOnPause: true });
    const close = () => {
      offRoom();
      producer.close();
      t.close();
      signaling.send({ type: 'media.leave', roomId });
    };
    ends.add(() => {
      offRoom();
      producer.close();
      t.close();
    });
    return {
      producerId: producer.id,
      setPaused: (paused) => (paused ? producer.pause() : producer.resume()),
      getStats: () => producer.getStats(),
      onEnded: (fn) => ends.add(fn),
      close,
    };
  } catch (err) {
    offRoom();
    transport?.close();
    signaling.send({ type: 'media.leave', roomId });
    throw err;
  }
}

/** Joins the room as a consumer; each track the server delivers is handed to onTrack. */
export async function subscribe(options: SessionOptions): Promise<Subscription> {
  const { signaling, roomId } = options;
  const ends = endListeners();
  const tracks = new Set<(track: MediaStreamTrack, kind: MediaKind) => void>();
  let last: { track: MediaStreamTrack; kind: MediaKind } | null = null;
  let current: { id: string; close(): void; track: MediaStreamTrack } | null = null;
  let transport: Transport | null = null;
  const stopCurrent = () => {
    current?.track.stop();
    current?.close();
    current = null;
  };

  /** Consumers are set up one at a time, in the order the server sent them; only the newest is kept. */
  let queue: Promise<void> = Promise.resolve();
  let newest = 0;
  let consumeRef: string | null = null;
  const onConsumer = async (frame: ServerMessageOf<'media.consumer'>, n: number) => {
    if (!transport || ends.ended || n !== newest) return;
    const consumer = await transport.consume({ id: frame.consumerId, producerId: frame.producerId, kind: frame.kind, rtpParameters: frame.rtpParameters as never });
    if (ends.ended || n !== newest) return consumer.close();
    stopCurrent();
    current = consumer;
    // The server created it paused, so no packet is lost before the track exists here.
    signaling.send({ type: 'media.consumer.resume', roomId, consumerId: consumer.id });
    last = { track: consumer.track, kind: frame.kind };
    for (const fn of [...tracks]) fn(consumer.track, frame.kind);
  };
  const offRoom = signaling.onRoom(roomId, (event) => {
    if (event.type === 'media.consumer') {
      const n = ++newest;
      queue = queue.then(() => onConsumer(event, n)).catch((err: unknown) => ends.emit({ reason: 'failed', message: String(err) }));
    } else if (event.type === 'media.consumer.closed') {
      if (current?.id === event.consumerId) stopCurrent();
    } else if (event.type === 'media.room.closed') ends.emit({ reason: event.reason, message: event.message });
    // Only a refused consume is fatal; a resume of a consumer replaced meanwhile is not.
    else if (event.type === 'refused' && event.ref === consumeRef) ends.emit({ reason: 'refused', message: event.message });
  });
  ends.add(() => {
    offRoom();
    stopCurrent();
    transport?.close();
  });
  try {
    const { device } = await joinAndLoad(options);
    transport = await openTransport(device, options, 'recv');
    transport.on('connectionstatechange', (state) => {
      if (state === 'failed') ends.emit({ reason: 'failed', message: 'The connection to the media server was lost.' });
    });
    consumeRef = signaling.send({ type: 'media.consume', roomId, transportId: transport.id, rtpCapabilities: device.rtpCapabilities as never });
    if (!consumeRef) throw new Error('Not connected to the server.');
  } catch (err) {
    ends.emit({ reason: 'failed', message: err instanceof Error ? err.message : String(err) });
    signaling.send({ type: 'media.leave', roomId });
    throw err;
  }
  return {
    onTrack(fn) {
      if (last) fn(last.track, last.kind);
      tracks.add(fn);
      return () => void tracks.delete(fn);
    },
    onEnded: (fn) => ends.add(fn),
    close() {
      if (!ends.ended) signaling.send({ type: 'media.leave', roomId });
      ends.emit({ reason: 'left', message: 'You left.' });
    },
  };
}
