/**
 * Records the agent's screen for a call: the capture track through the screen-share pipeline
 * (renderer/media/share/pipeline.ts: the agent's standing masks painted black on each frame, before
 * anything is encoded), then MediaRecorder in VP8 (VP9 where VP8 is missing) WebM, 1 s chunks, each
 * handed on with its sequence number like the call recorder's. Secure pause stops at the source:
 * the capture track is disabled (it delivers no picture), the pipeline blanks, the chunk in progress
 * is cut and the recorder pauses; resume runs the other way round and the same recording goes on.
 */
import { type MediaRecorderLike, type RecorderChunk } from '../recorder/call-recorder';
import { type CropSettings } from '../share/frame-processor';
import { type Rect, type Size, wholeSource } from '../share/geometry';
import { type SharePipeline } from '../share/pipeline';

export const SCREEN_TIMESLICE_MS = 1000;
export const SCREEN_MIME_TYPES = ['video/webm;codecs=vp8', 'video/webm;codecs=vp9'] as const;
/** A static screen at 2 fps needs far less; the cap keeps a busy screen's upload modest. */
export const SCREEN_BITS_PER_SECOND = 250_000;

export interface ScreenRecorderMedia {
  createPipeline(track: MediaStreamTrack, settings: CropSettings): SharePipeline;
  createRecorder(stream: MediaStream): MediaRecorderLike;
  streamOf(track: MediaStreamTrack): MediaStream;
}

export interface ScreenRecorderOptions {
  /** The screen capture, kept by the caller (one per session); this never stops it. */
  source: MediaStreamTrack;
  size: Size;
  /** Source pixels, blacked out on every frame. */
  masks: Rect[];
  media: ScreenRecorderMedia;
  onChunk(chunk: RecorderChunk): void;
  onError?(error: unknown): void;
}

export class ScreenRecorder {
  private readonly pipeline: SharePipeline;
  private readonly recorder: MediaRecorderLike;
  private settings: CropSettings;
  private nextSeq = 0;
  private paused = false;
  private stopped: Promise<number> | null = null;
  /** When the MediaRecorder started (its media time 0): later than the call's audio when the capture was granted later. */
  private mediaStartedAt: number | null = null;

  constructor(private readonly options: ScreenRecorderOptions) {
    // The capture outlives recordings: a pause of the previous call's left it disabled.
    options.source.enabled = true;
    this.settings = { region: wholeSource(options.size), masks: options.masks.map((m) => ({ ...m })), blanked: false };
    this.pipeline = options.media.createPipeline(options.source, this.settings);
    this.recorder = options.media.createRecorder(options.media.streamOf(this.pipeline.track));
    this.recorder.ondataavailable = (event) => {
      if (!event.data || event.data.size === 0) return;
      const seq = this.nextSeq;
      this.nextSeq += 1;
      options.onChunk({ seq, data: event.data, ...(seq === 0 && this.mediaStartedAt !== null ? { mediaStartedAt: this.mediaStartedAt } : {}) });
    };
    this.recorder.onerror = (event) => options.onError?.(event);
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  get state(): MediaRecorderLike['state'] {
    return this.recorder.state;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  start(paused = false): void {
    if (paused) return this.pause();
    this.begin();
  }

  private begin(): void {
    this.mediaStartedAt ??= Date.now();
    this.recorder.start(SCREEN_TIMESLICE_MS);
  }

  /** The agent changed their standing masks: from the next frame. */
  setMasks(masks: Rect[]): void {
    this.settings = { ...this.settings, masks: masks.map((m) => ({ ...m })) };
    this.pipeline.update(this.settings);
  }

  /** Cuts the chunk in progress (the page is about to unload). */
  flush(): void {
    if (this.recorder.state === 'recording') this.recorder.requestData();
  }

  /** Secure pause, synchronous: no picture from the source, a blank pipeline, the chunk cut here, the recorder paused. */
  pause(): void {
    this.paused = true;
    this.options.source.enabled = false;
    this.pipeline.update({ ...this.settings, blanked: true });
    if (this.recorder.state !== 'recording') return;
    this.recorder.requestData();
    this.recorder.pause();
  }

  /** The recorder runs again first, then the picture comes back: what it encodes from then on was captured after the resume. */
  resume(): void {
    if (this.stopped || !this.paused) return;
    this.paused = false;
    if (this.recorder.state === 'paused') this.recorder.resume();
    else if (this.recorder.state === 'inactive') this.begin();
    this.pipeline.update(this.settings);
    this.options.source.enabled = true;
  }

  /** Stops for good (the capture stays the caller's); resolves with the last seq once the final chunk was handed on. */
  stop(): Promise<number> {
    if (this.stopped) return this.stopped;
    this.stopped = new Promise<number>((resolve) => {
      const finish = () => {
        this.pipeline.stop();
        resolve(this.lastSeq);
      };
      if (this.recorder.state === 'inactive') return finish();
      this.recorder.onstop = finish;
      try {
        this.recorder.stop();
      } catch {
        finish();
      }
    });
    return this.stopped;
  }
}

/** The first WebM video type this browser's MediaRecorder takes. */
export function screenMimeType(isSupported: (type: string) => boolean): string {
  return SCREEN_MIME_TYPES.find((t) => isSupported(t)) ?? 'video/webm';
}
