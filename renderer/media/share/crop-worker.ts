/**
 * The crop worker: pulls frames from the capture (a transferred MediaStreamTrackProcessor
 * readable), crops, masks or blanks each one, and pushes them into the sent track (a transferred
 * MediaStreamTrackGenerator writable). Keeps the per-frame work off the UI thread.
 */
import { browserFrameFactory, createFrameProcessor, type FrameProcessor } from './frame-processor';
import { type FromCropWorker, type ToCropWorker } from './worker-protocol';

/** The worker's global scope, typed by hand (the DOM and WebWorker libs cannot both be loaded). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ToCropWorker>) => void) | null;
  postMessage(message: FromCropWorker): void;
  close(): void;
}
const scope = self as unknown as WorkerScope;
let processor: FrameProcessor<VideoFrame> | null = null;
let abort: AbortController | null = null;
let statsTimer: ReturnType<typeof setInterval> | null = null;

const post = (message: FromCropWorker) => scope.postMessage(message);

scope.onmessage = (event: MessageEvent<ToCropWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'init': {
      const proc = createFrameProcessor(browserFrameFactory(), message.settings);
      processor = proc;
      abort = new AbortController();
      const transform = new TransformStream<VideoFrame, VideoFrame>({
        async transform(frame, controller) {
          const out = await proc.process(frame);
          if (out) controller.enqueue(out);
        },
      });
      statsTimer = setInterval(() => post({ type: 'stats', framesIn: proc.stats.framesIn, framesOut: proc.stats.framesOut, path: proc.stats.lastPath }), 1000);
      message.readable
        .pipeThrough(transform, { signal: abort.signal })
        .pipeTo(message.writable, { signal: abort.signal })
        .then(() => post({ type: 'ended' }))
        .catch((err: unknown) => {
          if (abort?.signal.aborted) return;
          post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
        });
      return;
    }
    case 'settings':
      processor?.setSettings(message.settings);
      return;
    case 'stop':
      abort?.abort();
      if (statsTimer) clearInterval(statsTimer);
      scope.close();
      return;
  }
};
