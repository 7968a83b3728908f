/**
 * Chromium's insertable streams for raw video (not in TypeScript's DOM lib yet). Feature-detected
 * at run time; runtimes without them use the canvas path in pipeline.ts.
 */

export interface MediaStreamTrackProcessorLike {
  readonly readable: ReadableStream<VideoFrame>;
}
export type MediaStreamTrackProcessorCtor = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => MediaStreamTrackProcessorLike;

export interface MediaStreamTrackGeneratorLike extends MediaStreamTrack {
  readonly writable: WritableStream<VideoFrame>;
}
export type MediaStreamTrackGeneratorCtor = new (init: { kind: 'video' }) => MediaStreamTrackGeneratorLike;

export interface InsertableStreams {
  Processor: MediaStreamTrackProcessorCtor;
  Generator: MediaStreamTrackGeneratorCtor;
}

/** The constructors when this runtime has both (Chromium main thread), else null. */
export function insertableStreams(scope: object = globalThis): InsertableStreams | null {
  const g = scope as { MediaStreamTrackProcessor?: MediaStreamTrackProcessorCtor; MediaStreamTrackGenerator?: MediaStreamTrackGeneratorCtor };
  return g.MediaStreamTrackProcessor && g.MediaStreamTrackGenerator ? { Processor: g.MediaStreamTrackProcessor, Generator: g.MediaStreamTrackGenerator } : null;
}
