import { type AppDeps, type AppState, type LiveConnection } from '../../app/store-types';

const MEDIA_FRAMES = ['media.joined', 'media.transport.created', 'media.transport.connected', 'media.produced', 'media.consumer', 'media.consumer.closed', 'media.room.closed'] as const;

/**
 * Monitoring follows the connection and the call without either knowing: monitor.* frames and the
 * media.* frames of its own rooms and requests reach the monitoring slice; the agent's microphone
 * is noted as a call's peer is created. Wraps the injected side effects once, in createAppStore.
 */
export function withMonitoringTaps(deps: AppDeps, get: () => AppState): AppDeps {
  let current: LiveConnection | null = null;
  const media = deps.media;
  return {
    ...deps,
    createConnection(options) {
      const c = deps.createConnection(options);
      current = c;
      const live =
        <T>(fn: (payload: T) => void) =>
        (payload: T) => {
          if (current === c) fn(payload);
        };
      c.on('monitor.publish', live((m) => get().applyMonitorPublish(m)));
      c.on('monitor.state', live((m) => get().applyMonitorState(m)));
      for (const type of MEDIA_FRAMES) {
        c.on(
          type,
          live((m) => {
            // Monitoring rooms and monitoring's own requests only; screen shares use the same frames.
            if (m.roomId.startsWith('monitor:') || ('ref' in m && (m.ref ?? '').startsWith('mon-'))) get().applyMonitorMediaFrame(m);
          }),
        );
      }
      c.on(
        'server-error',
        live((m) => {
          if (m.ref?.startsWith('mon-')) get().applyMonitorMediaFrame(m);
        }),
      );
      // A new session: media of the old connection is gone; the server says again what still holds.
      c.on('hello', live(() => get().resetMonitoringMedia()));
      return c;
    },
    ...(media
      ? {
          media: {
            ...media,
            createPeer: (options, handlers) => {
              get().noteMonitorMicrophone(options.stream);
              return media.createPeer(options, handlers);
            },
          },
        }
      : {}),
  };
}
