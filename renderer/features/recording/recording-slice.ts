import { type RecordingStateFrame, type ScreenRecordingState, recorderKeyScope } from '../../../shared';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { CallRecorder, type RecorderMedia, browserRecorderMedia } from '../../media/recorder/call-recorder';
import { createFieldCipher } from '../../data/crypto/field-cipher';
import { type LocalKeyProvider } from '../../data/crypto/local-key';
import { type ChunkQueue, indexedDbChunkQueue, memoryChunkQueue } from '../../media/recorder/chunk-queue';
import { sealedChunkQueue } from '../../media/recorder/sealed-chunk-queue';
import { ChunkUploader } from '../../media/recorder/uploader';
import { isTerminal } from '../calls/call-machine';
import { noteRecorderRun } from './recorder-test-hook';
import { roleHasWorkspace } from '../auth/role-scope';

/** Recording of one call as the agent's app sees it (its secure pause: secure-pause-slice.ts). */
export interface CallRecordingState {
  interactionId: string;
  /** The org records this call (the server made a recording for it). */
  recording: boolean;
  recordingId: string | null;
  /** The agent's screen is recorded too (screen-recording slice); null when not. */
  screen: ScreenRecordingState | null;
}

/** What the screen recorder shares with the call recorder: the one sealed upload queue and its uploader. */
export interface RecorderIO {
  beginSegment(recordingId: string): Promise<number>;
  enqueue(chunk: { recordingId: string; segment: number; seq: number; data: ArrayBuffer; serverUrl: string; userId: string; mediaStartedAt?: number }): Promise<void>;
  enqueueClose(recordingId: string, segments: { segment: number; lastSeq: number }[], serverUrl: string, userId: string): Promise<void>;
  lastSeqs(recordingId: string): Promise<{ segment: number; lastSeq: number }[]>;
}

export interface RecordingsState {
  byInteraction: Readonly<Record<string, CallRecordingState>>;
}

export interface RecordingSlice {
  recordings: RecordingsState;
  /** A recording.state frame: its pause goes to the secure-pause slice first, then the recording facts are kept. */
  applyRecordingState(frame: RecordingStateFrame): void;
  /** The agent's microphone of the call being set up (mixed into the recording). */
  noteCallMicrophone(stream: MediaStream): void;
  /** Uploads waiting chunks now (the connection came back). */
  flushRecordingUploads(): void;
  /** The user's explicit local-data wipe: their recorded audio still waiting for upload goes too. Returns how many chunks. */
  clearRecordingQueueFor(userId: string, serverUrl: string): Promise<number>;
  /** The upload queue for other captures of the call (the screen recorder); null without a recorder. */
  recorderIO(): RecorderIO | null;
}

/** What recording needs from the browser; AppDeps.recorder overrides it in tests. */
export interface RecorderDeps {
  media: RecorderMedia;
  queue: ChunkQueue;
  fetch?: typeof fetch;
}

/**
 * The browser's recorder. Chunks waiting for upload are kept in IndexedDB encrypted under the
 * recorder key of its server when a key provider is given (always in the app), in memory where there
 * is no IndexedDB.
 */
export function browserRecorderDeps(o: { keys?: LocalKeyProvider; onUnreadable?(count: number): void } = {}): RecorderDeps | null {
  if (typeof MediaRecorder === 'undefined' || typeof AudioContext === 'undefined') return null;
  if (typeof indexedDB === 'undefined') return { media: browserRecorderMedia(), queue: memoryChunkQueue() };
  const keys = o.keys;
  const queue = keys
    ? sealedChunkQueue(indexedDbChunkQueue(), { cipher: async (serverUrl) => createFieldCipher((await keys.get(recorderKeyScope(serverUrl))).key), onUnreadable: o.onUnreadable })
    : indexedDbChunkQueue();
  return { media: browserRecorderMedia(), queue };
}

/** The recorder queue's key scope: one per server on this machine (shared/bridge, main hands it to any signed-in window of that server). */
export { recorderKeyScope };

export const createRecordingSlice: SliceCreator<RecordingSlice> = (deps) => (set, get, api) => {
  let recorderDeps: RecorderDeps | null | undefined = deps.recorder;
  const recorderMedia = (): RecorderDeps | null => {
    if (recorderDeps === undefined) {
      recorderDeps = browserRecorderDeps({
        keys: deps.localData?.keys,
        onUnreadable: (count) => get().pushNotice(`${count} recorded audio chunk${count === 1 ? '' : 's'} waiting for upload could not be decrypted (the key was removed) and ${count === 1 ? 'was' : 'were'} discarded.`, 'error'),
      });
    }
    return recorderDeps;
  };
  let uploader: ChunkUploader | null = null;
  const getUploader = (): ChunkUploader | null => {
    const media = recorderMedia();
    if (!media) return null;
    uploader ??= new ChunkUploader({
      queue: media.queue,
      ...(media.fetch ? { fetch: media.fetch } : {}),
      // Only the user who recorded a chunk uploads it; anyone else signed in leaves it waiting.
      tokenFor: (serverUrl, userId) => {
        const { auth } = get();
        if (auth.serverUrl !== serverUrl || !auth.user || !auth.token) return null;
        return userId === undefined || auth.user.id === userId ? auth.token : null;
      },
      onError: (message) => get().pushNotice(message, 'error'),
    });
    return uploader;
  };

  interface Active {
    recordingId: string;
    /** This window's MediaRecorder run of the recording (a reload starts the next one). */
    segment: number;
    recorder: CallRecorder | null;
    serverUrl: string;
    /** Who records it: its chunks upload only with this user's session. */
    userId: string;
    stopped: boolean;
    /** Chunks handed on but not yet in the queue: the close waits for them. */
    keeping: Set<Promise<void>>;
  }
  const active = new Map<string, Active>();
  /** Recordings this window finished: never started again for the same call. */
  const finished = new Set<string>();
  let mic: MediaStream | null = null;

  const isPaused = (s: AppState, id: string) => s.securePause.byInteraction[id]?.paused === true;
  const liveMic = (): MediaStream | null => (mic && mic.getAudioTracks().some((t) => t.readyState === 'live') ? mic : null);

  const start = async (id: string, recordingId: string, remote: MediaStream) => {
    const media = recorderMedia();
    const up = getUploader();
    if (!media || !up) return;
    const { serverUrl, user } = get().auth;
    if (!user) return;
    const userId = user.id;
    const slot: Active = { recordingId, segment: 0, recorder: null, serverUrl, userId, stopped: false, keeping: new Set() };
    active.set(id, slot);
    // Each MediaRecorder run is a segment of its own (own WebM header, seqs from 0): after a
    // reload mid-call the server joins this one to what the earlier page recorded.
    try {
      slot.segment = await media.queue.beginSegment(recordingId);
    } catch {
      get().pushNotice('This call cannot be recorded in this window (its recording store is not available).', 'error');
      active.delete(id);
      return;
    }
    if (slot.stopped) return;
    const segment = slot.segment;
    let recorder: CallRecorder;
    try {
      recorder = new CallRecorder({
        local: liveMic(),
        remote,
        // Read now, not when start was called: barge may have begun while the segment was opened.
        voice: get().calls.byId[id]?.sentVoice ?? null,
        media: media.media,
        firstSeq: 0,
        onChunk: (chunk) => {
          const keep = (async () => {
            const data = await chunk.data.arrayBuffer();
            // Stored with its segment's seq count in one write (see ChunkQueue.putChunk).
            await up.enqueue({ recordingId, segment, seq: chunk.seq, data, serverUrl, userId, ...(chunk.mediaStartedAt !== undefined ? { mediaStartedAt: chunk.mediaStartedAt } : {}) });
          })().catch(() => get().pushNotice('A recording chunk could not be kept for upload.', 'error'));
          slot.keeping.add(keep);
          void keep.finally(() => slot.keeping.delete(keep));
        },
        onError: () => get().pushNotice('The call recorder stopped with an error.', 'error'),
      });
    } catch {
      get().pushNotice('This call cannot be recorded in this window (no audio recorder).', 'error');
      return;
    }
    slot.recorder = recorder;
    // Paused meanwhile (or the call came paused from a transfer): nothing is captured until resume.
    const startPaused = isPaused(get(), id);
    recorder.start(startPaused);
    if (!startPaused) noteRecorderRun(recordingId, segment);
  };

  const stop = (id: string) => {
    const slot = active.get(id);
    if (!slot) return;
    active.delete(id);
    slot.stopped = true;
    finished.add(slot.recordingId);
    const recorder = slot.recorder;
    if (!recorder) return;
    void recorder.stop().then(async (lastSeq) => {
      // The last chunk reaches the queue before the close is queued behind it.
      await Promise.all([...slot.keeping]);
      const media = recorderMedia();
      const known = (await media?.queue.lastSeqs(slot.recordingId).catch(() => [])) ?? [];
      // Every segment this browser recorded (earlier pages of this call too), this one as the recorder says.
      const segments = [...known.filter((s) => s.segment !== slot.segment), { segment: slot.segment, lastSeq }].sort((a, b) => a.segment - b.segment);
      await getUploader()?.enqueueClose(slot.recordingId, segments, slot.serverUrl, slot.userId);
    });
  };

  /** Starts and stops recorders as calls and recording states change. */
  const reconcile = (s: AppState) => {
    for (const entry of Object.values(s.recordings.byInteraction)) {
      const call = s.calls.byId[entry.interactionId];
      const slot = active.get(entry.interactionId);
      const over = !call || isTerminal(call.phase);
      if (slot && (over || !entry.recording || slot.recordingId !== entry.recordingId)) stop(entry.interactionId);
      // The call's media came back with a new peer, or a barging supervisor's voice joined or left
      // what the customer hears: keep recording, from the new streams (whisper never enters).
      else if (slot?.recorder && call?.remoteStream) slot.recorder.replaceStreams(call.remoteStream, liveMic(), call.sentVoice ?? null);
      if (active.has(entry.interactionId) || over || !entry.recording || !entry.recordingId || finished.has(entry.recordingId)) continue;
      if (call.phase === 'connected' && call.remoteStream && !isPaused(s, entry.interactionId)) void start(entry.interactionId, entry.recordingId, call.remoteStream);
    }
    for (const id of [...active.keys()]) if (!s.recordings.byInteraction[id]) stop(id);
  };
  // Secure pause at the source: the recorder stops capturing before the store hears of the pause.
  deps.captureGates?.add((id, paused) => {
    const recorder = active.get(id)?.recorder;
    if (paused) recorder?.pause();
    else recorder?.resume();
  });

  api.subscribe((state, prev) => {
    // A resume may start the recorder of a call that came paused (from a transfer, or a reload).
    if (state.calls !== prev.calls || state.recordings !== prev.recordings || state.securePause !== prev.securePause) reconcile(state);
    // Chunks left by an earlier call go up with a working session; the privacy role records nothing.
    const works = !state.auth.user || roleHasWorkspace(state.auth.user.role);
    if (state.auth.token && state.auth.token !== prev.auth.token && works) get().flushRecordingUploads();
  });

  // A reload or restart of the app ends this recorder run: cut the chunk in progress while the
  // page still runs, so less of the call is lost than the up to one second not yet handed on.
  if (typeof window !== 'undefined') {
    const flushAll = () => {
      for (const slot of active.values()) slot.recorder?.flush();
    };
    window.addEventListener('beforeunload', flushAll);
    window.addEventListener('pagehide', flushAll);
  }

  return {
    recordings: { byInteraction: {} },

    applyRecordingState(frame) {
      // The pause first: a frame that says "recorded and paused" must not start the recorder between the two.
      get().applySecurePauseState(frame);
      const id = frame.interactionId;
      const prev = get().recordings.byInteraction[id];
      set((s) => ({
        recordings: {
          byInteraction: {
            ...s.recordings.byInteraction,
            [id]: {
              interactionId: id,
              recording: frame.recording,
              recordingId: frame.recording ? (frame.recordingId ?? prev?.recordingId ?? null) : null,
              screen: frame.screen ?? null,
            },
          },
        },
      }));
    },

    noteCallMicrophone(stream) {
      mic = stream;
    },

    flushRecordingUploads() {
      void getUploader()?.flush();
    },

    recorderIO() {
      const media = recorderMedia();
      const up = getUploader();
      if (!media || !up) return null;
      return {
        beginSegment: (recordingId) => media.queue.beginSegment(recordingId),
        enqueue: (chunk) => up.enqueue(chunk),
        enqueueClose: (recordingId, segments, serverUrl, userId) => up.enqueueClose(recordingId, segments, serverUrl, userId),
        lastSeqs: (recordingId) => media.queue.lastSeqs(recordingId),
      };
    },

    async clearRecordingQueueFor(userId, serverUrl) {
      const media = recorderMedia();
      return media ? media.queue.deleteUser(userId, serverUrl) : 0;
    },
  };
};

// ---- selectors ----

export const selectCallRecording =
  (interactionId: string) =>
  (s: AppState): CallRecordingState | undefined =>
    s.recordings.byInteraction[interactionId];
