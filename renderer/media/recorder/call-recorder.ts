/**
 * Records one call in the agent's app: both sides mixed with WebAudio (the agent's microphone and
 * the customer's stream into one MediaStreamDestination; while a supervisor barges, their voice too,
 * as the customer hears it with the agent), MediaRecorder in 1 s chunks, each handed
 * on with its sequence number. Secure pause stops at the source: the mix's gate closes (silence from
 * the next audio quantum), the pending chunk is cut at the pause moment (requestData) and the
 * recorder pauses, so nothing is captured, buffered or sent until resume. The browser's audio
 * objects are injected so the logic can be tested without one.
 */

import { browserMix, type Mixer } from '../audio-mix';

export type { Mixer } from '../audio-mix';

export const RECORDER_MIME_TYPE = 'audio/webm;codecs=opus';
export const RECORDER_TIMESLICE_MS = 1000;

export interface RecorderChunk {
  seq: number;
  data: Blob;
  /** With seq 0: when (epoch ms, this machine's clock) the MediaRecorder started, i.e. the file's media time 0. */
  mediaStartedAt?: number;
}

/** The parts of MediaRecorder this uses. */
export interface MediaRecorderLike {
  readonly state: 'inactive' | 'recording' | 'paused';
  ondataavailable: ((event: { data: Blob }) => void) | null;
  onstop: (() => void) | null;
  onerror: ((event: unknown) => void) | null;
  start(timeslice?: number): void;
  stop(): void;
  pause(): void;
  resume(): void;
  requestData(): void;
}

export interface RecorderMedia {
  /** Mixes the streams into one; `setStreams` swaps the inputs (same output), `close` releases the mixer. */
  mix(streams: MediaStream[]): Mixer;
  createRecorder(stream: MediaStream, mimeType: string): MediaRecorderLike;
}

export interface CallRecorderOptions {
  local: MediaStream | null;
  remote: MediaStream;
  /**
   * A barging supervisor's voice, as the customer hears it (null in whisper, on hold or without
   * barge): a recording holds what the customer heard from the agent's side.
   */
  voice?: MediaStream | null;
  media: RecorderMedia;
  /** The first sequence number (0, or where an earlier session of this recording stopped). */
  firstSeq: number;
  onChunk(chunk: RecorderChunk): void;
  onError?(error: unknown): void;
}

export class CallRecorder {
  private readonly recorder: MediaRecorderLike;
  private readonly mixer: Mixer;
  private remote: MediaStream;
  private local: MediaStream | null;
  private voice: MediaStream | null;
  private nextSeq: number;
  private stopped: Promise<number> | null = null;
  /** When the MediaRecorder started (its media time 0); the server lines recordings up on it. */
  private mediaStartedAt: number | null = null;

  constructor(private readonly options: CallRecorderOptions) {
    this.nextSeq = options.firstSeq;
    this.remote = options.remote;
    this.local = options.local;
    this.voice = options.voice ?? null;
    this.mixer = options.media.mix(this.streams());
    this.recorder = options.media.createRecorder(this.mixer.stream, RECORDER_MIME_TYPE);
    this.recorder.ondataavailable = (event) => {
      // A pause right after a chunk boundary can yield an empty chunk: nothing to store.
      if (!event.data || event.data.size === 0) return;
      const seq = this.nextSeq;
      this.nextSeq += 1;
      options.onChunk({ seq, data: event.data, ...(seq === 0 && this.mediaStartedAt !== null ? { mediaStartedAt: this.mediaStartedAt } : {}) });
    };
    this.recorder.onerror = (event) => options.onError?.(event);
  }

  private streams(): MediaStream[] {
    return [this.remote, ...(this.local ? [this.local] : []), ...(this.voice ? [this.voice] : [])];
  }

  /**
   * The call's media was re-established (new peer), or a supervisor's voice joined or left what the
   * customer hears (barge, hold): the same recording goes on with the new streams, so the file stays
   * one MediaRecorder session.
   */
  replaceStreams(remote: MediaStream, local: MediaStream | null, voice: MediaStream | null = null): void {
    if (remote === this.remote && (local ?? this.local) === this.local && voice === this.voice) return;
    this.remote = remote;
    this.local = local ?? this.local;
    this.voice = voice;
    // Paused, the new inputs stay behind the closed gate.
    this.mixer.setStreams?.(this.streams());
  }

  get state(): MediaRecorderLike['state'] {
    return this.recorder.state;
  }

  /** The last sequence number handed out so far (-1 before the first chunk of the recording). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Starts recording; `paused` starts it paused (nothing is captured until resume). */
  start(paused = false): void {
    if (paused) {
      this.mixer.gate.close();
      return;
    }
    this.begin();
  }

  private begin(): void {
    this.mediaStartedAt ??= Date.now();
    this.recorder.start(RECORDER_TIMESLICE_MS);
  }

  /**
   * Cuts the chunk in progress now (the page is about to unload: a reload or restart of the app),
   * so what was captured since the last chunk can still be kept; recording goes on.
   */
  flush(): void {
    if (this.recorder.state === 'recording') this.recorder.requestData();
  }

  /**
   * Secure pause, synchronous: the mix goes silent at its source first (the gate closes at the
   * current audio time, so what the recorder still takes in while its own pause takes effect, slower
   * on a busy machine, carries no call audio), then the chunk is cut at this moment and the recorder pauses.
   */
  pause(): void {
    this.mixer.gate.close();
    if (this.recorder.state !== 'recording') return;
    this.recorder.requestData();
    this.recorder.pause();
  }

  /**
   * The recorder runs again first, then the gate opens after its guard: what is let into the mix
   * from then on was captured after the resume, never audio of the paused part still on its way.
   */
  resume(): void {
    if (this.stopped) return;
    if (this.recorder.state === 'paused') this.recorder.resume();
    else if (this.recorder.state === 'inactive') this.begin();
    this.mixer.gate.open();
  }

  /** Stops for good; resolves with the last sequence number once the final chunk was handed on. */
  stop(): Promise<number> {
    if (this.stopped) return this.stopped;
    this.stopped = new Promise<number>((resolve) => {
      const finish = () => {
        this.mixer.close();
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

/** The browser's WebAudio mixer and MediaRecorder. */
export function browserRecorderMedia(): RecorderMedia {
  return {
    mix: browserMix,
    createRecorder(stream, mimeType) {
      const type = MediaRecorder.isTypeSupported(mimeType) ? mimeType : 'audio/webm';
      return new MediaRecorder(stream, { mimeType: type }) as unknown as MediaRecorderLike;
    },
  };
}
