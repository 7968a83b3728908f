/**
 * Per-frame crop, masks and blanking, on the sharer's machine before encoding. Runs in the crop
 * worker (or on the main thread when workers cannot take streams). Every input frame is closed here;
 * every output frame belongs to the caller.
 *
 * - No masks: `new VideoFrame(frame, { visibleRect })`, which crops without copying pixels.
 * - Masks: `copyTo` of the region only, in the frame's own format (I420 from screen capture,
 *   BGRA/RGBA from canvases), the masked rows filled black in place, then a new frame from that
 *   buffer. One reused buffer; nothing outside the region is ever copied.
 * - Blanked: a black I420 frame of the region's size, so the picture pauses without the track ending.
 */
import { type Rect, type Size, fitRegionToFrame, masksInRegion } from './geometry';
import { FILLABLE_FORMATS, type PixelFormat, blackI420, fillRectsBlack } from './planes';

export interface CropSettings {
  /** Source pixels, aligned by clampRegion. */
  region: Rect;
  /** Source pixels; only their parts inside the region matter. */
  masks: Rect[];
  blanked: boolean;
}

/** The part of VideoFrame the processor touches, so tests can pass a fake. */
export interface FrameLike {
  readonly format: string | null;
  readonly codedWidth: number;
  readonly codedHeight: number;
  readonly visibleRect: DOMRectReadOnly | null;
  readonly displayWidth: number;
  readonly displayHeight: number;
  readonly timestamp: number;
  readonly duration: number | null;
  allocationSize(options?: { rect?: Rect }): number;
  copyTo(destination: Uint8Array, options?: { rect?: Rect }): Promise<{ offset: number; stride: number }[]>;
  close(): void;
}

export interface FrameFactory<F> {
  /** new VideoFrame(frame, { visibleRect, displayWidth, displayHeight }) */
  crop(frame: F, visibleRect: Rect, display: Size): F;
  /** new VideoFrame(buffer, { format, codedWidth, codedHeight, timestamp, layout }) */
  fromBuffer(buffer: Uint8Array, init: { format: PixelFormat; codedWidth: number; codedHeight: number; timestamp: number; duration: number | null; layout?: { offset: number; stride: number }[] }): F;
  /** Draws the region onto a canvas and returns a frame of it; for opaque (GPU) frames only. */
  viaCanvas?(frame: F, region: Rect, masks: Rect[], timestamp: number): F | null;
}

export interface ProcessorStats {
  framesIn: number;
  framesOut: number;
  /** Which path the last frame took. */
  lastPath: 'crop' | 'masks' | 'blank' | 'canvas' | 'dropped' | null;
}

export function browserFrameFactory(): FrameFactory<VideoFrame> {
  let canvas: OffscreenCanvas | null = null;
  return {
    crop: (frame, visibleRect, display) => new VideoFrame(frame, { visibleRect, displayWidth: display.width, displayHeight: display.height }),
    fromBuffer: (buffer, init) =>
      new VideoFrame(buffer, {
        format: init.format,
        codedWidth: init.codedWidth,
        codedHeight: init.codedHeight,
        timestamp: init.timestamp,
        ...(init.layout ? { layout: init.layout } : {}),
        ...(init.duration !== null ? { duration: init.duration } : {}),
      }),
    viaCanvas(frame, region, masks, timestamp) {
      if (typeof OffscreenCanvas === 'undefined') return null;
      canvas ??= new OffscreenCanvas(region.width, region.height);
      if (canvas.width !== region.width || canvas.height !== region.height) {
        canvas.width = region.width;
        canvas.height = region.height;
      }
      const ctx = canvas.getContext('2d');
      if (!ctx) return null;
      ctx.drawImage(frame, region.x, region.y, region.width, region.height, 0, 0, region.width, region.height);
      ctx.fillStyle = '#000';
      for (const m of masks) ctx.fillRect(m.x, m.y, m.width, m.height);
      return new VideoFrame(canvas, { timestamp });
    },
  };
}

export function createFrameProcessor<F extends FrameLike>(factory: FrameFactory<F>, initial: CropSettings) {
  let settings = initial;
  let buffer = new Uint8Array(0);
  let black: { width: number; height: number; buf: Uint8Array } | null = null;
  // The fitted region and its masks, recomputed when the settings or the frame size change.
  let cache: { frame: Size; region: Rect | null; masks: Rect[] } | null = null;
  const stats: ProcessorStats = { framesIn: 0, framesOut: 0, lastPath: null };

  function regionFor(frame: Size): { region: Rect; masks: Rect[] } | null {
    if (!cache || cache.frame.width !== frame.width || cache.frame.height !== frame.height) {
      const region = fitRegionToFrame(settings.region, frame);
      cache = { frame, region, masks: region ? masksInRegion(settings.masks, region) : [] };
    }
    return cache.region ? { region: cache.region, masks: cache.masks } : null;
  }

  return {
    stats,
    setSettings(next: CropSettings): void {
      settings = next;
      cache = null;
    },
    /** Returns the frame to send (or null to drop this one). Always closes `frame`. */
    async process(frame: F): Promise<F | null> {
      stats.framesIn += 1;
      try {
        const vr = frame.visibleRect;
        const ox = vr?.x ?? 0;
        const oy = vr?.y ?? 0;
        const size = { width: vr?.width ?? frame.codedWidth, height: vr?.height ?? frame.codedHeight };
        const fitted = regionFor(size);
        if (!fitted) {
          stats.lastPath = 'dropped';
          return null;
        }
        const { region, masks } = fitted;
        const coded = { x: region.x + ox, y: region.y + oy, width: region.width, height: region.height };
        let out: F | null;
        if (settings.blanked) {
          if (!black || black.width !== region.width || black.height !== region.height) black = { width: region.width, height: region.height, buf: blackI420(region.width, region.height) };
          out = factory.fromBuffer(black.buf, { format: 'I420', codedWidth: region.width, codedHeight: region.height, timestamp: frame.timestamp, duration: frame.duration });
          stats.lastPath = 'blank';
        } else if (masks.length === 0) {
          out = factory.crop(frame, coded, { width: region.width, height: region.height });
          stats.lastPath = 'crop';
        } else if (frame.format && FILLABLE_FORMATS.has(frame.format)) {
          const bytes = frame.allocationSize({ rect: coded });
          if (buffer.byteLength < bytes) buffer = new Uint8Array(bytes);
          const view = buffer.subarray(0, bytes);
          const layout = await frame.copyTo(view, { rect: coded });
          const format = frame.format as PixelFormat;
          fillRectsBlack(view, format, region.width, region.height, masks, layout);
          out = factory.fromBuffer(view, { format, codedWidth: region.width, codedHeight: region.height, timestamp: frame.timestamp, duration: frame.duration, layout });
          stats.lastPath = 'masks';
        } else {
          out = factory.viaCanvas?.(frame, coded, masks, frame.timestamp) ?? null;
          stats.lastPath = out ? 'canvas' : 'dropped';
        }
        if (out) stats.framesOut += 1;
        return out;
      } finally {
        frame.close();
      }
    },
  };
}

export type FrameProcessor<F extends FrameLike> = ReturnType<typeof createFrameProcessor<F>>;
