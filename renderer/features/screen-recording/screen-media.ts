import { createSharePipeline } from '../../media/share/pipeline';
import { type MediaRecorderLike } from '../../media/recorder/call-recorder';
import { SCREEN_BITS_PER_SECOND, type ScreenRecorderMedia, screenMimeType } from '../../media/screen-recorder/screen-recorder';

/** What screen recording needs from the browser; AppDeps.screenRecorder overrides it in tests. */
export interface ScreenRecorderDeps {
  /** Asks for the screen once per session (a click of the agent's), at the policy's frame rate. */
  capture(fps: number): Promise<MediaStream>;
  media: ScreenRecorderMedia;
}

export function browserScreenRecorderDeps(): ScreenRecorderDeps | null {
  if (typeof MediaRecorder === 'undefined') return null;
  return {
    capture: (fps) => {
      const devices = globalThis.navigator?.mediaDevices;
      if (!devices?.getDisplayMedia) return Promise.reject(new Error('This browser cannot record the screen.'));
      return devices.getDisplayMedia({ video: { frameRate: { ideal: fps, max: fps } }, audio: false });
    },
    media: {
      // The screen-share pipeline: masks painted black on each frame before the encoder sees it.
      createPipeline: (track, settings) => createSharePipeline(track, settings),
      createRecorder: (stream) =>
        new MediaRecorder(stream, { mimeType: screenMimeType((t) => MediaRecorder.isTypeSupported(t)), videoBitsPerSecond: SCREEN_BITS_PER_SECOND }) as unknown as MediaRecorderLike,
      streamOf: (track) => new MediaStream([track]),
    },
  };
}
