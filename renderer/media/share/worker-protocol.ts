import { type CropSettings } from './frame-processor';

/** Main thread → crop worker. */
export type ToCropWorker =
  | { type: 'init'; readable: ReadableStream<VideoFrame>; writable: WritableStream<VideoFrame>; settings: CropSettings }
  | { type: 'settings'; settings: CropSettings }
  | { type: 'stop' };

/** Crop worker → main thread. */
export type FromCropWorker =
  | { type: 'stats'; framesIn: number; framesOut: number; path: string | null }
  | { type: 'error'; message: string }
  | { type: 'ended' };
