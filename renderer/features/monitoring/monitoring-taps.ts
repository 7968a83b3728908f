import { type AppDeps, type AppState, type LiveConnection } from '../../app/store-types';

/**
 * Monitoring follows the connection and the call without either knowing: monitor.* frames (and
 * refusals of monitor.start) reach the monitoring slice; the agent's microphone is noted as a
 * call's peer is created. media.* frames go to the store's one media signaling (media/sfu/media-taps.ts).
 * Wraps the injected side effects once, in createAppStore.
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
      c.on(
        'server-error',
        live((m) => {
          if (m.ref?.startsWith('mon-')) get().applyMonitorError(m);
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
