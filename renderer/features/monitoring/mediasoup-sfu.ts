import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import { type ServerMessageOf } from '../../../shared';
import { type MediaSignaling, type MonitorSfu } from './monitor-sfu';

type Created = ServerMessageOf<'media.transport.created'>;

/** Joins the room, loads a Device with the router's capabilities and opens one transport of the given direction. */
async function open(roomId: string, signaling: MediaSignaling, direction: 'send' | 'recv'): Promise<{ device: Device; transport: types.Transport }> {
  const joined = await signaling.request({ type: 'media.join', roomId }, 'media.joined');
  const device = new Device();
  await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as types.RtpCapabilities });
  const created: Created = await signaling.request({ type: 'media.transport.create', roomId, direction }, 'media.transport.created');
  const options = {
    id: created.transportId,
    iceParameters: created.iceParameters as types.IceParameters,
    iceCandidates: created.iceCandidates as types.IceCandidate[],
    dtlsParameters: created.dtlsParameters as types.DtlsParameters,
  };
  const transport = direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    signaling
      .request({ type: 'media.transport.connect', roomId, transportId: transport.id, dtlsParameters: dtlsParameters as never }, 'media.transport.connected')
      .then(() => callback(), errback);
  });
  return { device, transport };
}

/** mediasoup-client over the app's WebSocket (handler picked by the browser: Chrome111 in Chromium). */
export const mediasoupMonitorSfu: MonitorSfu = {
  async publish(roomId, track, signaling) {
    const { transport } = await open(roomId, signaling, 'send');
    transport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
      signaling
        .request({ type: 'media.produce', roomId, transportId: transport.id, kind, rtpParameters: rtpParameters as never }, 'media.produced')
        .then((f) => callback({ id: f.producerId }), errback);
    });
    // Paused means no RTP at all (the sender's track is replaced by none), not silent packets.
    const producer = await transport.produce({ track, stopTracks: false, disableTrackOnPause: true, zeroRtpOnPause: true });
    return {
      pause: () => producer.pause(),
      resume: () => producer.resume(),
      close() {
        producer.close();
        transport.close();
        signaling.send({ type: 'media.leave', roomId });
      },
    };
  },

  async listen(roomId, signaling, handlers) {
    const { device, transport } = await open(roomId, signaling, 'recv');
    let current: types.Consumer | null = null;
    let closed = false;
    const offs = [
      signaling.onFrame('media.consumer', roomId, (f) => {
        void (async () => {
          const consumer = await transport.consume({ id: f.consumerId, producerId: f.producerId, kind: f.kind, rtpParameters: f.rtpParameters as types.RtpParameters });
          if (closed) return consumer.close();
          current?.close();
          current = consumer;
          handlers.onStream(new MediaStream([consumer.track]));
          signaling.send({ type: 'media.consumer.resume', roomId, consumerId: consumer.id });
        })().catch((err: unknown) => handlers.onClosed(err instanceof Error ? err.message : 'The monitoring audio could not be received.'));
      }),
      signaling.onFrame('media.consumer.closed', roomId, (f) => {
        if (current?.id !== f.consumerId) return;
        current.close();
        current = null;
        handlers.onStream(null);
      }),
      signaling.onFrame('media.room.closed', roomId, (f) => handlers.onClosed(f.message)),
    ];
    // Answered with media.consumer now, or when the agent's producer appears.
    signaling.send({ type: 'media.consume', roomId, transportId: transport.id, rtpCapabilities: device.rtpCapabilities as never });
    return {
      close() {
        if (closed) return;
        closed = true;
        for (const off of offs) off();
        current?.close();
        transport.close();
        signaling.send({ type: 'media.leave', roomId });
      },
    };
  },
};
