import { exposeMonitorProducerStats } from '../../media/test-hooks';
import { type MonitorSfu, type MonitorSfuEnv } from './monitor-sfu';

/** Monitoring over the app's SFU client (mediasoup-client sessions, loaded with the first use). */
export async function sessionMonitorSfu(env: MonitorSfuEnv): Promise<MonitorSfu> {
  const session = await import('../../media/sfu/mediasoup-session');
  return {
    async publish(roomId, track) {
      const publication = await session.publish({ signaling: env.signaling, roomId, iceServers: await env.iceServers() }, track);
      const getStats = publication.getStats?.bind(publication) ?? null;
      exposeMonitorProducerStats(getStats);
      return {
        // The producer pauses (its transceiver goes inactive): no RTP at all, not even silence.
        pause: () => publication.setPaused(true),
        resume: () => publication.setPaused(false),
        close: () => {
          publication.close();
          exposeMonitorProducerStats(null);
        },
      };
    },
    async listen(roomId, handlers) {
      const subscription = await session.subscribe({ signaling: env.signaling, roomId, iceServers: await env.iceServers() });
      subscription.onTrack((track) => handlers.onStream(new MediaStream([track])));
      subscription.onEnded((end) => {
        if (end.reason !== 'left') handlers.onClosed(end.message);
      });
      return { close: () => subscription.close() };
    },
  };
}
