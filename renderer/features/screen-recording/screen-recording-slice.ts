import { type AppState, type SliceCreator } from '../../app/store-types';
import { ScreenRecorder } from '../../media/screen-recorder/screen-recorder';
import { type Rect, type Size } from '../../media/share/geometry';
import { isTerminal } from '../calls/call-machine';
import { type ScreenRecorderDeps, browserScreenRecorderDeps } from './screen-media';
import { loadStandingMasks, saveStandingMasks } from './standing-masks';

/**
 * Whether the interaction's screen recording may run: a connected call, or an open chat (the server
 * records a chat's screen under `calls_and_chats` and `sampled`). `starting`: a call must be connected.
 */
export function screenRecordable(s: AppState, interactionId: string, starting: boolean): boolean {
  const call = s.calls.byId[interactionId];
  if (call) return starting ? call.phase === 'connected' : !isTerminal(call.phase);
  const chat = s.chats.byId[interactionId];
  return chat !== undefined && !chat.ended;
}

/**
 * Screen recording in the agent's app. When the server's `recording.state` names a screen recording
 * for a connected call or an open chat, the screen the agent granted for this session is recorded into it
 * (ScreenRecorder: the share pipeline with the standing masks, VP8 WebM, 1 s chunks) and uploaded
 * through the call recorder's sealed queue. Secure pause reaches it through the capture gates, in
 * the same step as the click. The web agent grants the capture with a click (the browser asks which
 * screen); it is kept until sign-out or until the agent stops it from the browser.
 */
export interface ScreenRecordingState {
  capture: 'none' | 'asking' | 'granted';
  error: string | null;
  /** Standing masks, source pixels. */
  masks: Rect[];
  /** The call whose screen is being recorded now (null when none). */
  recordingInteractionId: string | null;
}

export interface ScreenRecordingSlice {
  screenRecording: ScreenRecordingState;
  /** The agent's click: asks for the screen for this session. */
  grantScreenCapture(): Promise<void>;
  setStandingMasks(masks: Rect[]): void;
}

const initial: ScreenRecordingState = { capture: 'none', error: null, masks: [], recordingInteractionId: null };

export const createScreenRecordingSlice: SliceCreator<ScreenRecordingSlice> = (deps) => (set, get, api) => {
  let media: ScreenRecorderDeps | null | undefined = deps.screenRecorder;
  const mediaOf = () => (media === undefined ? (media = browserScreenRecorderDeps()) : media);
  let capture: MediaStream | null = null;
  let track: MediaStreamTrack | null = null;

  interface Slot {
    interactionId: string;
    recordingId: string;
    segment: number;
    recorder: ScreenRecorder | null;
    serverUrl: string;
    userId: string;
    stopped: boolean;
    keeping: Set<Promise<void>>;
  }
  let slot: Slot | null = null;
  const finished = new Set<string>();

  const patch = (next: Partial<ScreenRecordingState>) => set((s) => ({ screenRecording: { ...s.screenRecording, ...next } }));
  /**
   * Interactions under secure pause, as the capture gates said (before the store hears of it). The
   * screen is one: with chats side by side, a pause of any of them holds the screen recording of
   * whichever is recorded, since the screen may show the paused one.
   */
  const pausedIds = new Set<string>();
  const anyPaused = (s: AppState) => pausedIds.size > 0 || Object.values(s.securePause.byInteraction).some((e) => e.paused);
  const sizeOf = (t: MediaStreamTrack): Size | null => {
    const st = t.getSettings();
    return st.width && st.height ? { width: st.width, height: st.height } : null;
  };

  const start = async (interactionId: string, recordingId: string) => {
    const m = mediaOf();
    const io = get().recorderIO();
    const { serverUrl, user } = get().auth;
    const source = track;
    if (!m || !io || !user || !source) return;
    const size = sizeOf(source);
    if (!size) return patch({ error: 'The screen capture has no size yet; the screen is not recorded.' });
    const s: Slot = { interactionId, recordingId, segment: 0, recorder: null, serverUrl, userId: user.id, stopped: false, keeping: new Set() };
    slot = s;
    patch({ recordingInteractionId: interactionId });
    try {
      s.segment = await io.beginSegment(recordingId);
    } catch {
      slot = null;
      return patch({ recordingInteractionId: null, error: 'The screen cannot be recorded in this window (its recording store is not available).' });
    }
    if (s.stopped) return;
    try {
      s.recorder = new ScreenRecorder({
        source,
        size,
        masks: get().screenRecording.masks,
        media: m.media,
        onChunk: (chunk) => {
          const keep = (async () => {
            const data = await chunk.data.arrayBuffer();
            await io.enqueue({ recordingId, segment: s.segment, seq: chunk.seq, data, serverUrl: s.serverUrl, userId: s.userId, ...(chunk.mediaStartedAt !== undefined ? { mediaStartedAt: chunk.mediaStartedAt } : {}) });
          })().catch(() => get().pushNotice('A screen recording chunk could not be kept for upload.', 'error'));
          s.keeping.add(keep);
          void keep.finally(() => s.keeping.delete(keep));
        },
        onError: () => get().pushNotice('The screen recorder stopped with an error.', 'error'),
      });
    } catch {
      slot = null;
      return patch({ recordingInteractionId: null, error: 'The screen cannot be recorded in this window (no video recorder).' });
    }
    // Paused meanwhile, or the call came paused (or another chat is): nothing is captured until resume.
    s.recorder.start(anyPaused(get()));
  };

  const stop = (done: boolean) => {
    const s = slot;
    if (!s) return;
    slot = null;
    s.stopped = true;
    if (done) finished.add(s.recordingId);
    patch({ recordingInteractionId: null });
    const recorder = s.recorder;
    if (!recorder) return;
    void recorder.stop().then(async (lastSeq) => {
      await Promise.all([...s.keeping]);
      const io = get().recorderIO();
      if (!io) return;
      // Once the call is over: every segment this browser recorded, so a missing tail shows.
      if (!done) return;
      const known = await io.lastSeqs(s.recordingId).catch(() => []);
      const segments = [...known.filter((k) => k.segment !== s.segment), { segment: s.segment, lastSeq }].sort((a, b) => a.segment - b.segment);
      await io.enqueueClose(s.recordingId, segments, s.serverUrl, s.userId);
    });
  };

  const reconcile = (s: AppState) => {
    if (slot) {
      const entry = s.recordings.byInteraction[slot.interactionId];
      const over = !screenRecordable(s, slot.interactionId, false) || !entry || entry.screen?.recordingId !== slot.recordingId;
      if (over) stop(true);
      else if (!track) stop(false);
    }
    if (slot || !track) return;
    for (const entry of Object.values(s.recordings.byInteraction)) {
      if (!entry.screen || !screenRecordable(s, entry.interactionId, true) || finished.has(entry.screen.recordingId)) continue;
      void start(entry.interactionId, entry.screen.recordingId);
      return;
    }
  };

  deps.captureGates?.add((id, paused) => {
    if (paused) pausedIds.add(id);
    else pausedIds.delete(id);
    if (paused) slot?.recorder?.pause();
    // Resumes only once nothing else is paused (the store still shows this one paused: the gates run first).
    else if (pausedIds.size === 0 && !Object.values(get().securePause.byInteraction).some((e) => e.paused && e.interactionId !== id)) slot?.recorder?.resume();
  });

  const releaseCapture = () => {
    for (const t of capture?.getTracks() ?? []) t.stop();
    capture = null;
    track = null;
  };

  api.subscribe((state, prev) => {
    if (state.auth.user?.id !== prev.auth.user?.id) {
      // Another user (or none): the session's capture and its recorder end; their own masks load.
      stop(false);
      releaseCapture();
      const user = state.auth.user;
      patch({ capture: 'none', error: null, masks: user ? loadStandingMasks(state.auth.serverUrl, user.id) : [] });
      return;
    }
    if (state.calls !== prev.calls || state.chats !== prev.chats || state.recordings !== prev.recordings || state.screenRecording.capture !== prev.screenRecording.capture) reconcile(state);
  });

  if (typeof window !== 'undefined') {
    const flush = () => slot?.recorder?.flush();
    window.addEventListener('beforeunload', flush);
    window.addEventListener('pagehide', flush);
  }

  return {
    screenRecording: initial,

    async grantScreenCapture() {
      const m = mediaOf();
      if (!m) return patch({ error: 'This browser cannot record the screen.' });
      if (get().screenRecording.capture !== 'none') return;
      const fps = Object.values(get().recordings.byInteraction).find((e) => e.screen)?.screen?.fps ?? 2;
      patch({ capture: 'asking', error: null });
      let stream: MediaStream;
      try {
        stream = await m.capture(fps);
      } catch (err) {
        return patch({ capture: 'none', error: err instanceof Error && err.name === 'NotAllowedError' ? 'Screen recording was not allowed.' : 'The screen could not be captured.' });
      }
      const t = stream.getVideoTracks()[0];
      if (!t) return patch({ capture: 'none', error: 'The capture has no picture.' });
      capture = stream;
      track = t;
      // The agent can stop the capture from the browser's own control: the recording stops (a new grant continues it).
      t.addEventListener('ended', () => {
        if (track !== t) return;
        releaseCapture();
        patch({ capture: 'none' });
      });
      patch({ capture: 'granted' });
    },

    setStandingMasks(masks) {
      const { auth } = get();
      if (auth.user) saveStandingMasks(auth.serverUrl, auth.user.id, masks);
      patch({ masks: masks.map((r) => ({ ...r })) });
      slot?.recorder?.setMasks(masks);
    },
  };
};
