import { type AppDeps, type AppState, type LiveConnection } from '../../app/store-types';

/**
 * Recording follows the call without the call code knowing: the agent's microphone is noted as a
 * call's peer is created, `recording.state` frames reach the recording slice, and a connection that
 * opens (again) flushes the chunks waiting for upload. Wraps the injected side effects once, in
 * createAppStore.
 */
export function withRecordingTaps(deps: AppDeps, get: () => AppState): AppDeps {
  let current: LiveConnection | null = null;
  const media = deps.media;
  return {
    ...deps,
    createConnection(options) {
      const c = deps.createConnection(options);
      current = c;
      // Frames of a connection already replaced are stale.
      c.on('recording.state', (m) => {
        if (current === c) get().applyRecordingState(m);
      });
      c.on('state', ({ state }) => {
        if (current === c && state === 'open') get().flushRecordingUploads();
      });
      return c;
    },
    ...(media
      ? {
          media: {
            ...media,
            createPeer: (options, handlers) => {
              get().noteCallMicrophone(options.stream);
              return media.createPeer(options, handlers);
            },
          },
        }
      : {}),
  };
}
