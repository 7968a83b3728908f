/**
 * The sharer's media pipeline: capture track in, the track viewers receive out. Crop, masks and
 * blanking happen here, on the sharer's machine, before anything is encoded or leaves it.
 *
 * - 'worker' (Chromium): MediaStreamTrackProcessor → crop worker (streams transferred) →
 *   MediaStreamTrackGenerator. The per-frame work runs off the UI thread.
 * - 'main': the same processor on the main thread, when a worker cannot be created.
 * - 'canvas': for runtimes without insertable streams: a <video> of the capture drawn region-only
 *   onto a canvas with the masks painted over, sent as canvas.captureStream().
 *
 * Settings changes (region, masks, blank) apply from the next frame.
 */
import { type Rect, type Size, masksInRegion } from './geometry';
import { browserFrameFactory, createFrameProcessor, type CropSettings } from './frame-processor';
import { insertableStreams, type InsertableStreams } from './insertable-streams';
import { type FromCropWorker, type ToCropWorker } from './worker-protocol';

export type PipelineMode = 'worker' | 'main' | 'canvas';

export interface PipelineStats {
  framesIn: number;
  framesOut: number;
  path: string | null;
}

export interface SharePipeline {
  /** What to send: cropped, masked, blanked. contentHint 'detail' keeps WebRTC from shrinking it. */
  readonly track: MediaStreamTrack;
  readonly mode: PipelineMode;
  update(settings: CropSettings): void;
  stats(): PipelineStats;
  /** Stops the output and the processing; the capture track is the caller's to stop. */
  stop(): void;
}

export interface PipelineEnv {
  streams?: InsertableStreams | null;
  /** Creates the crop worker; null or throwing selects the main-thread path. */
  createWorker?: (() => Worker) | null;
  document?: Document;
  /** Output frame rate of the canvas path. */
  canvasFps?: number;
  /** Forces a path (tests, bench). */
  mode?: PipelineMode;
}

export function defaultCropWorker(): Worker {
  return new Worker(new URL('./crop-worker.ts', import.meta.url), { type: 'module', name: 'veildesk-share-crop' });
}

export function createSharePipeline(source: MediaStreamTrack, settings: CropSettings, env: PipelineEnv = {}): SharePipeline {
  const streams = env.streams === undefined ? insertableStreams() : env.streams;
  const wanted = env.mode ?? (streams ? 'worker' : 'canvas');
  if (wanted !== 'canvas' && streams) {
    if (wanted === 'worker') {
      const worker = tryCreateWorker(env.createWorker === undefined ? defaultCropWorker : env.createWorker);
      if (worker) return workerPipeline(source, settings, streams, worker);
    }
    return mainThreadPipeline(source, settings, streams);
  }
  return canvasPipeline(source, settings, env);
}

function tryCreateWorker(create: (() => Worker) | null): Worker | null {
  if (!create) return null;
  try {
    return create();
  } catch {
    return null;
  }
}

function detail(track: MediaStreamTrack): MediaStreamTrack {
  // Without it Chromium treats the share as motion video and scales 800×600 down to 300×225 when
  // bandwidth is tight; 'detail' keeps the resolution and gives up frame rate instead.
  track.contentHint = 'detail';
  return track;
}

function copySettings(s: CropSettings): CropSettings {
  return { region: { ...s.region }, masks: s.masks.map((m) => ({ ...m })), blanked: s.blanked };
}

function workerPipeline(source: MediaStreamTrack, settings: CropSettings, streams: InsertableStreams, worker: Worker): SharePipeline {
  const processor = new streams.Processor({ track: source });
  const generator = new streams.Generator({ kind: 'video' });
  let last: PipelineStats = { framesIn: 0, framesOut: 0, path: null };
  worker.onmessage = (event: MessageEvent<FromCropWorker>) => {
    const m = event.data;
    if (m.type === 'stats') last = { framesIn: m.framesIn, framesOut: m.framesOut, path: m.path };
    else if (m.type === 'error') console.warn('[veildesk] share crop worker failed:', m.message);
  };
  const init: ToCropWorker = { type: 'init', readable: processor.readable, writable: generator.writable, settings: copySettings(settings) };
  worker.postMessage(init, [processor.readable as unknown as Transferable, generator.writable as unknown as Transferable]);
  let stopped = false;
  return {
    track: detail(generator),
    mode: 'worker',
    update(next) {
      if (!stopped) worker.postMessage({ type: 'settings', settings: copySettings(next) } satisfies ToCropWorker);
    },
    stats: () => last,
    stop() {
      if (stopped) return;
      stopped = true;
      worker.postMessage({ type: 'stop' } satisfies ToCropWorker);
      generator.stop();
      // Give the worker a moment to close its streams, then make sure it is gone.
      setTimeout(() => worker.terminate(), 200);
    },
  };
}

function mainThreadPipeline(source: MediaStreamTrack, settings: CropSettings, streams: InsertableStreams): SharePipeline {
  const processor = new streams.Processor({ track: source });
  const generator = new streams.Generator({ kind: 'video' });
  const proc = createFrameProcessor(browserFrameFactory(), copySettings(settings));
  const abort = new AbortController();
  processor.readable
    .pipeThrough(
      new TransformStream<VideoFrame, VideoFrame>({
        async transform(frame, controller) {
          const out = await proc.process(frame);
          if (out) controller.enqueue(out);
        },
      }),
      { signal: abort.signal },
    )
    .pipeTo(generator.writable, { signal: abort.signal })
    .catch(() => undefined);
  return {
    track: detail(generator),
    mode: 'main',
    update: (next) => proc.setSettings(copySettings(next)),
    stats: () => ({ framesIn: proc.stats.framesIn, framesOut: proc.stats.framesOut, path: proc.stats.lastPath }),
    stop() {
      abort.abort();
      generator.stop();
    },
  };
}

function canvasPipeline(source: MediaStreamTrack, initial: CropSettings, env: PipelineEnv): SharePipeline {
  const doc = env.document ?? document;
  const fps = env.canvasFps ?? 30;
  let settings = copySettings(initial);
  const video = doc.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([source]);
  void video.play().catch(() => undefined);
  const canvas = doc.createElement('canvas');
  canvas.width = settings.region.width;
  canvas.height = settings.region.height;
  const ctx = canvas.getContext('2d', { alpha: false });
  const out = canvas.captureStream(fps).getVideoTracks()[0];
  if (!ctx || !out) throw new Error('This browser cannot share a region of the screen (no canvas capture).');
  const stats: PipelineStats = { framesIn: 0, framesOut: 0, path: 'canvas' };
  let stopped = false;

  const draw = () => {
    if (stopped) return;
    stats.framesIn += 1;
    const region: Rect = settings.region;
    if (canvas.width !== region.width || canvas.height !== region.height) {
      canvas.width = region.width;
      canvas.height = region.height;
    }
    ctx.fillStyle = '#000';
    if (settings.blanked || video.readyState < 2) {
      ctx.fillRect(0, 0, region.width, region.height);
    } else {
      ctx.drawImage(video, region.x, region.y, region.width, region.height, 0, 0, region.width, region.height);
      for (const m of masksInRegion(settings.masks, region)) ctx.fillRect(m.x, m.y, m.width, m.height);
    }
    stats.framesOut += 1;
  };
  const timer = setInterval(draw, Math.round(1000 / fps));
  return {
    track: detail(out),
    mode: 'canvas',
    update(next) {
      settings = copySettings(next);
    },
    stats: () => ({ ...stats }),
    stop() {
      stopped = true;
      clearInterval(timer);
      out.stop();
      video.srcObject = null;
    },
  };
}

/** The size a capture track delivers, from its settings (0×0 when unknown yet). */
export function trackSize(track: MediaStreamTrack): Size {
  const s = track.getSettings();
  return { width: s.width ?? 0, height: s.height ?? 0 };
}
