import {
  type AvailableShare,
  type CaptureProtection,
  type CaptureSource,
  type ClientMessage,
  type OwnShare,
  type ServerMessageOf,
  type ShareEndReason,
  type SharePerson,
  type ShareSourceKind,
} from '../../../shared';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { type CropSettings } from '../../media/share/frame-processor';
import { type Rect, type Size, clampRegion, wholeSource } from '../../media/share/geometry';
import { type SharePipeline } from '../../media/share/pipeline';
import {
  type PeerState,
  type ShareReceiver,
  type ShareTransport,
  type Signal,
  createP2PShareReceiver,
  createP2PShareTransport,
} from '../../media/share/transport';
import { createSfuShareReceiver, createSfuShareTransport } from '../../media/sfu/sfu-share';
import { type MediaFrame, type MediaSignaling, createMediaSignaling } from '../../media/sfu/signaling';
import { type ShareMedia, browserShareMedia, captureErrorMessage, loadMediasoupSessions } from './share-media';

/** Where the sharer is: nothing, picking a source, capture starting, editing region/masks/viewers, starting, live. */
export type ShareStage = 'idle' | 'choosing' | 'capturing' | 'editing' | 'starting' | 'live';

export interface SharerState {
  stage: ShareStage;
  /** Desktop: screens and windows with thumbnails; null in a browser (its own picker) or before loading. */
  sources: CaptureSource[] | null;
  sourceSize: Size | null;
  source: { kind: ShareSourceKind; label: string } | null;
  /** Source pixels, aligned for I420. Default: the whole source. */
  region: Rect;
  /** Source pixels; viewers see them black. */
  masks: Rect[];
  blanked: boolean;
  /** The org's other users, from whom viewers are chosen. */
  candidates: SharePerson[];
  /** Checked viewer ids (sent with share.start, or with share.viewers on confirm while live). */
  chosen: string[];
  /** The server's view of the live share. */
  own: OwnShare | null;
  protection: CaptureProtection | null;
  error: string | null;
  /** The raw capture for the local preview (never sent as such). */
  previewStream: MediaStream | null;
  /** Connection state per viewer (P2P). */
  peers: Record<string, PeerState>;
  /** Which pipeline path crops the picture: 'worker', 'main' or 'canvas' (no insertable streams). */
  pipelineMode: string | null;
  /** How the picture travels: once to the SFU, or one peer connection per viewer (server's choice). */
  transport: ShareTransportMode | null;
}

export type ShareTransportMode = 'sfu' | 'p2p';

export type WatchStatus = 'joining' | 'connecting' | 'live' | 'ended';

export interface WatchingState {
  share: AvailableShare;
  status: WatchStatus;
  endedReason: ShareEndReason | null;
  stream: MediaStream | null;
  transport: ShareTransportMode | null;
}

export interface ShareSlice {
  share: SharerState;
  /** Shares this user may join (the server decides). */
  availableShares: AvailableShare[];
  watching: WatchingState | null;

  openShare(): Promise<void>;
  chooseSource(id: string): Promise<void>;
  cancelShare(): void;
  setSourceSize(size: Size): void;
  setRegion(rect: Rect): void;
  addMask(rect?: Rect): void;
  setMask(index: number, rect: Rect): void;
  removeMask(index: number): void;
  toggleViewer(userId: string, checked: boolean): void;
  /** Sends the checked viewers (live); before the start they go with share.start. */
  confirmViewers(): void;
  startShare(): Promise<void>;
  setBlanked(blanked: boolean): void;
  revokeViewer(userId: string): void;
  stopShare(): void;

  joinShare(shareId: string): void;
  leaveShare(): void;
  dismissWatching(): void;

  applyShareState(frame: ServerMessageOf<'share.state'>): void;
  applySharesAvailable(frame: ServerMessageOf<'shares.available'>): void;
  applyShareViewerJoined(frame: ServerMessageOf<'share.viewer.joined'>): void;
  applyShareViewerLeft(frame: ServerMessageOf<'share.viewer.left'>): void;
  applyShareWatching(frame: ServerMessageOf<'share.watching'>): void;
  applyShareEnded(frame: ServerMessageOf<'share.ended'>): void;
  applyShareSignal(frame: ServerMessageOf<'share.signal'>): void;
  applyShareCandidates(frame: ServerMessageOf<'share.candidates'>): void;
  /** An error frame: returns true when it answered a share request (the state is rolled back). */
  applyShareError(frame: ServerMessageOf<'error'>): boolean;
  /** Sign-out or a lost session: everything stops, locally. */
  resetShares(): void;
  /** A media.* frame (SFU signaling) from the connection. */
  applyMediaFrame(frame: MediaFrame): void;
  /** The app's SFU signaling over its WebSocket (also for other media rooms, e.g. live monitoring). */
  mediaSignaling(): MediaSignaling;
}

const EMPTY_RECT: Rect = { x: 0, y: 0, width: 2, height: 2 };

const initialSharer: SharerState = {
  stage: 'idle',
  sources: null,
  sourceSize: null,
  source: null,
  region: EMPTY_RECT,
  masks: [],
  blanked: false,
  candidates: [],
  chosen: [],
  own: null,
  protection: null,
  error: null,
  previewStream: null,
  peers: {},
  pipelineMode: null,
  transport: null,
};

/** Server-side region/mask updates are batched; the picture itself changes on the next frame. */
const UPDATE_DELAY_MS = 250;

const END_WORDS: Record<ShareEndReason, string> = {
  stopped: 'The sharer stopped sharing.',
  revoked: 'The sharer removed you from this share.',
  sharer_left: 'The sharer disconnected.',
  signed_out: 'The sharer signed out.',
  left: 'You left the share.',
  replaced: 'You are watching this share in another window.',
};
export const endedMessage = (reason: ShareEndReason | null): string => (reason ? END_WORDS[reason] : 'The share ended.');

type ShareRequest = Extract<ClientMessage, { type: `share.${string}` }>;

export const createShareSlice: SliceCreator<ShareSlice> = (deps) => (set, get, store) => {
  const media: ShareMedia = deps.shareMedia ?? browserShareMedia();
  const signaling = createMediaSignaling((message) => get().sendMessage(message));
  const loadSessions = () => (media.loadSfuSessions ?? loadMediasoupSessions)();
  /** The server's share transport, from /api/config (asked once per sign-in). */
  let transportMode: Promise<ShareTransportMode> | null = null;
  const shareTransportMode = (): Promise<ShareTransportMode> => {
    if (!transportMode) {
      transportMode = deps
        .createApi(get().auth.serverUrl)
        .config()
        .then((config) => config.shareTransport ?? 'p2p')
        .catch(() => {
          transportMode = null;
          return 'p2p' as const;
        });
    }
    return transportMode;
  };
  const mediaProblem = (message: string) => get().pushNotice(message, 'error');

  // Media resources live here, never in the store.
  let capture: MediaStream | null = null;
  let pipeline: SharePipeline | null = null;
  let transport: ShareTransport | null = null;
  let receiver: ShareReceiver | null = null;
  /** Signals for the share being joined that arrived before its receiver existed. */
  let queuedSignals: Signal[] = [];
  let seq = 0;
  let startRequest: string | null = null;
  let joinRequest: { id: string; shareId: string } | null = null;
  let pendingUpdate: { region?: Rect; masks?: Rect[]; blanked?: boolean } = {};
  let updateTimer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped on every teardown, so an async step that finishes late knows it is stale. */
  let generation = 0;
  /** Desktop: the source picked in the list, to name it in the share. */
  let pickedSourceId: string | null = null;

  const patch = (next: Partial<SharerState>) => set((s) => ({ share: { ...s.share, ...next } }));
  const send = (message: ShareRequest): boolean => get().sendMessage(message);
  const nextId = (what: string) => `share-${what}-${++seq}`;
  const settings = (s: SharerState = get().share): CropSettings => ({ region: s.region, masks: s.masks, blanked: s.blanked });

  function flushUpdate(): void {
    if (updateTimer) clearTimeout(updateTimer);
    updateTimer = null;
    const own = get().share.own;
    if (!own || Object.keys(pendingUpdate).length === 0) return;
    send({ type: 'share.update', shareId: own.shareId, ...pendingUpdate, id: nextId('update') });
    pendingUpdate = {};
  }

  function queueUpdate(next: { region?: Rect; masks?: Rect[]; blanked?: boolean }, now = false): void {
    pipeline?.update(settings());
    if (get().share.stage !== 'live') return;
    pendingUpdate = { ...pendingUpdate, ...next };
    if (now) return flushUpdate();
    if (!updateTimer) updateTimer = setTimeout(flushUpdate, UPDATE_DELAY_MS);
  }

  /** Stops the capture, the pipeline and every peer; the store goes back to idle (keeping candidates). */
  function teardownSharing(error: string | null = null): void {
    generation += 1;
    if (updateTimer) clearTimeout(updateTimer);
    updateTimer = null;
    pendingUpdate = {};
    startRequest = null;
    transport?.stop();
    transport = null;
    pipeline?.stop();
    pipeline = null;
    for (const track of capture?.getTracks() ?? []) track.stop();
    capture = null;
    set((s) => ({ share: { ...initialSharer, candidates: s.share.candidates, protection: s.share.protection, error } }));
  }

  function teardownWatching(): void {
    receiver?.close();
    receiver = null;
    queuedSignals = [];
    joinRequest = null;
  }

  async function startCapture(): Promise<void> {
    const gen = generation;
    patch({ stage: 'capturing', error: null });
    let stream: MediaStream;
    try {
      stream = await media.capture();
    } catch (err) {
      if (gen === generation) patch({ stage: get().share.sources ? 'choosing' : 'idle', error: captureErrorMessage(err) });
      return;
    }
    if (gen !== generation) {
      for (const t of stream.getTracks()) t.stop();
      return;
    }
    const track = stream.getVideoTracks()[0];
    if (!track) {
      patch({ stage: 'idle', error: 'The capture has no picture.' });
      return;
    }
    capture = stream;
    // The user can end the capture from the browser's or the system's own "Stop sharing" control.
    track.addEventListener('ended', () => {
      if (capture !== stream) return;
      if (get().share.stage === 'live') get().stopShare();
      else teardownSharing();
    });
    const ts = track.getSettings();
    const size = ts.width && ts.height ? { width: ts.width, height: ts.height } : null;
    const surface = (ts as { displaySurface?: string }).displaySurface;
    const kind: ShareSourceKind = surface === 'monitor' ? 'screen' : surface === 'window' ? 'window' : surface === 'browser' ? 'browser' : 'unknown';
    const picked = get().share.sources?.find((s) => s.id === pickedSourceId);
    patch({
      stage: 'editing',
      previewStream: stream,
      sourceSize: size,
      region: size ? wholeSource(size) : EMPTY_RECT,
      masks: [],
      blanked: false,
      source: { kind: picked?.kind ?? kind, label: (picked?.name ?? track.label ?? '').slice(0, 200) },
    });
  }

  // Sign-out, or a session the server ended: nothing of a share may outlive it.
  store.subscribe((state, prev) => {
    if (prev.auth.status === 'signed-in' && state.auth.status !== 'signed-in') get().resetShares();
  });

  return {
    share: initialSharer,
    availableShares: [],
    watching: null,

    async openShare() {
      if (get().share.stage !== 'idle') return;
      generation += 1;
      pickedSourceId = null;
      patch({ stage: 'choosing', error: null, sources: null, chosen: [] });
      send({ type: 'share.candidates', id: nextId('candidates') });
      const bridge = deps.bridge;
      void bridge.getCaptureProtection?.().then((protection) => patch({ protection }), () => undefined);
      let sources: CaptureSource[] | null;
      try {
        sources = (await bridge.listCaptureSources?.()) ?? null;
      } catch (err) {
        patch({ stage: 'idle', error: err instanceof Error ? err.message : 'Could not list screens and windows.' });
        return;
      }
      if (get().share.stage !== 'choosing') return;
      if (sources === null) {
        // A browser: its own picker opens as capture starts.
        await startCapture();
        return;
      }
      patch({ sources });
    },

    async chooseSource(id) {
      if (get().share.stage !== 'choosing') return;
      pickedSourceId = id;
      try {
        await deps.bridge.selectCaptureSource?.(id);
      } catch (err) {
        patch({ error: err instanceof Error ? err.message : 'That source cannot be shared.' });
        return;
      }
      await startCapture();
    },

    cancelShare() {
      if (get().share.stage === 'live' || get().share.stage === 'starting') return get().stopShare();
      teardownSharing();
    },

    setSourceSize(size) {
      const s = get().share;
      if (size.width <= 0 || size.height <= 0) return;
      if (s.sourceSize && s.sourceSize.width === size.width && s.sourceSize.height === size.height) return;
      // Only before the start: a live share keeps the size it declared (the pipeline fits frames to it).
      if (s.stage !== 'editing') return;
      const first = !s.sourceSize;
      patch({ sourceSize: size, region: first ? wholeSource(size) : clampRegion(s.region, size) });
    },

    setRegion(rect) {
      const s = get().share;
      if (!s.sourceSize) return;
      const region = clampRegion(rect, s.sourceSize);
      patch({ region });
      queueUpdate({ region });
    },

    addMask(rect) {
      const s = get().share;
      const r = s.region;
      const mask = rect ?? { x: r.x + Math.round(r.width / 4), y: r.y + Math.round(r.height / 4), width: Math.round(r.width / 4), height: Math.round(r.height / 4) };
      const masks = [...s.masks, clampMask(mask, s.sourceSize)];
      patch({ masks });
      queueUpdate({ masks });
    },

    setMask(index, rect) {
      const s = get().share;
      if (index < 0 || index >= s.masks.length) return;
      const masks = s.masks.map((m, i) => (i === index ? clampMask(rect, s.sourceSize) : m));
      patch({ masks });
      queueUpdate({ masks });
    },

    removeMask(index) {
      const masks = get().share.masks.filter((_, i) => i !== index);
      patch({ masks });
      queueUpdate({ masks });
    },

    toggleViewer(userId, checked) {
      const chosen = get().share.chosen.filter((id) => id !== userId);
      patch({ chosen: checked ? [...chosen, userId] : chosen });
    },

    confirmViewers() {
      const s = get().share;
      if (s.stage === 'live' && s.own) send({ type: 'share.viewers', shareId: s.own.shareId, viewers: s.chosen, id: nextId('viewers') });
    },

    async startShare() {
      const s = get().share;
      if (s.stage !== 'editing' || !capture || !s.sourceSize) return;
      const track = capture.getVideoTracks()[0];
      if (!track) return;
      const gen = generation;
      patch({ stage: 'starting', error: null });
      try {
        const [mode, iceServers] = await Promise.all([shareTransportMode(), get().getIceServers()]);
        const createPeer = mode === 'p2p' ? await media.loadPeerFactory() : null;
        if (gen !== generation) return;
        pipeline = media.createPipeline(track, settings());
        const t = createPeer
          ? createP2PShareTransport({
              createPeer,
              iceServers,
              wrapTrack: media.streamOf,
              sendSignal: (viewerId, signal) => {
                const own = get().share.own;
                if (own) send({ type: 'share.signal', shareId: own.shareId, to: viewerId, signal });
              },
            })
          : createSfuShareTransport({ signaling, loadSessions, iceServers, onProblem: mediaProblem });
        patch({ transport: mode });
        t.onViewerState((viewerId, state) => set((st) => ({ share: { ...st.share, peers: { ...st.share.peers, [viewerId]: state } } })));
        t.start(pipeline.track);
        transport = t;
        patch({ pipelineMode: pipeline.mode });
      } catch (err) {
        if (gen === generation) teardownSharing(err instanceof Error ? err.message : 'The share could not start.');
        return;
      }
      const now = get().share;
      startRequest = nextId('start');
      const sent = send({
        type: 'share.start',
        source: { kind: now.source?.kind ?? 'unknown', label: now.source?.label ?? '', width: now.sourceSize!.width, height: now.sourceSize!.height },
        region: now.region,
        masks: now.masks,
        viewers: now.chosen,
        id: startRequest,
      });
      if (!sent) {
        transport?.stop();
        transport = null;
        pipeline?.stop();
        pipeline = null;
        patch({ stage: 'editing', error: 'Not connected to the server. Try again when the connection is back.' });
      }
    },

    setBlanked(blanked) {
      if (get().share.blanked === blanked) return;
      patch({ blanked });
      queueUpdate({ blanked }, true);
    },

    revokeViewer(userId) {
      const s = get().share;
      if (!s.own) return;
      // Close our side at once; the server ends theirs and takes them off the list.
      transport?.removeViewer(userId);
      patch({ chosen: s.chosen.filter((id) => id !== userId) });
      send({ type: 'share.revoke', shareId: s.own.shareId, userId, id: nextId('revoke') });
    },

    stopShare() {
      const own = get().share.own;
      if (own) send({ type: 'share.stop', shareId: own.shareId, id: nextId('stop') });
      teardownSharing();
    },

    joinShare(shareId) {
      const share = get().availableShares.find((s) => s.shareId === shareId);
      if (!share) return;
      if (get().watching && get().watching?.status !== 'ended') get().leaveShare();
      teardownWatching();
      const id = nextId('join');
      joinRequest = { id, shareId };
      set({ watching: { share, status: 'joining', endedReason: null, stream: null, transport: null } });
      if (!send({ type: 'share.join', shareId, id })) {
        joinRequest = null;
        set({ watching: null });
        get().pushNotice('Not connected to the server. Try again when the connection is back.', 'error');
      }
    },

    leaveShare() {
      const w = get().watching;
      if (!w) return;
      if (w.status !== 'ended') send({ type: 'share.leave', shareId: w.share.shareId, id: nextId('leave') });
      teardownWatching();
      set({ watching: null });
    },

    dismissWatching() {
      if (get().watching?.status === 'ended') set({ watching: null });
    },

    applyShareState(frame) {
      const s = get().share;
      if (frame.share === null) {
        // Ended on the server (stopped elsewhere, grace period over, signed out): stop here too.
        if (s.own || (startRequest && frame.ref === startRequest)) teardownSharing(s.own ? null : 'The share could not start.');
        return;
      }
      if (startRequest && frame.ref === startRequest) {
        startRequest = null;
        patch({ stage: 'live', own: frame.share });
        transport?.attach?.(frame.share.shareId);
        return;
      }
      if (s.own && s.own.shareId === frame.share.shareId) {
        // After a reconnect the server reports our share without a ref: this window holds its
        // capture, so it takes the share back.
        if (!frame.ref && s.stage === 'live') {
          send({ type: 'share.resume', shareId: frame.share.shareId, id: nextId('resume') });
          transport?.attach?.(frame.share.shareId);
        }
        patch({ own: frame.share });
      }
    },

    applySharesAvailable(frame) {
      set((st) => {
        const w = st.watching;
        const current = w ? frame.shares.find((x) => x.shareId === w.share.shareId) : undefined;
        return { availableShares: frame.shares, ...(w && current ? { watching: { ...w, share: current } } : {}) };
      });
    },

    applyShareViewerJoined(frame) {
      const own = get().share.own;
      if (!own || own.shareId !== frame.shareId || !transport) return;
      transport.addViewer(frame.viewer.userId);
      get().pushNotice(`${frame.viewer.displayName} is watching your screen.`);
    },

    applyShareViewerLeft(frame) {
      const own = get().share.own;
      if (!own || own.shareId !== frame.shareId) return;
      transport?.removeViewer(frame.userId);
    },

    applyShareWatching(frame) {
      const w = get().watching;
      if (!w || w.share.shareId !== frame.share.shareId || w.status !== 'joining') return;
      joinRequest = null;
      set({ watching: { ...w, share: frame.share, status: 'connecting' } });
      const shareId = frame.share.shareId;
      void Promise.all([shareTransportMode(), get().getIceServers()])
        .then(async ([mode, iceServers]) => [mode, iceServers, mode === 'p2p' ? await media.loadPeerFactory() : null] as const)
        .then(([mode, iceServers, createPeer]) => {
          const still = get().watching;
          if (!still || still.share.shareId !== shareId || still.status !== 'connecting' || receiver) return;
          set({ watching: { ...still, transport: mode } });
          const r = createPeer
            ? createP2PShareReceiver({ createPeer, iceServers, sendSignal: (signal) => void send({ type: 'share.signal', shareId, signal }) })
            : createSfuShareReceiver({ signaling, loadSessions, iceServers, shareId, onProblem: mediaProblem });
          receiver = r;
          r.onStream((stream) => {
            const cur = get().watching;
            if (receiver === r && cur && cur.share.shareId === shareId) set({ watching: { ...cur, status: 'live', stream } });
          });
          r.onState((state) => {
            const cur = get().watching;
            if (receiver !== r || !cur || cur.share.shareId !== shareId) return;
            if (state === 'failed' || state === 'closed') {
              receiver = null;
              set({ watching: { ...cur, status: 'ended', endedReason: null, stream: null } });
            }
          });
          for (const signal of queuedSignals) r.signal(signal);
          queuedSignals = [];
        })
        .catch(() => {
          const cur = get().watching;
          if (cur && cur.share.shareId === shareId) set({ watching: { ...cur, status: 'ended', endedReason: null, stream: null } });
        });
    },

    applyShareEnded(frame) {
      const w = get().watching;
      if (!w || w.share.shareId !== frame.shareId) return;
      teardownWatching();
      // A leave we asked for needs no message; anything else is shown until dismissed.
      set({ watching: frame.reason === 'left' ? null : { ...w, status: 'ended', endedReason: frame.reason, stream: null } });
    },

    applyShareSignal(frame) {
      const own = get().share.own;
      if (own && own.shareId === frame.shareId) {
        transport?.signal(frame.from, frame.signal);
        return;
      }
      const w = get().watching;
      if (!w || w.share.shareId !== frame.shareId || w.share.sharerId !== frame.from) return;
      if (receiver) receiver.signal(frame.signal);
      else queuedSignals.push(frame.signal);
    },

    applyShareCandidates(frame) {
      patch({ candidates: frame.users });
    },

    applyShareError(frame) {
      if (signaling.handleError(frame)) return true;
      const ref = frame.ref ?? '';
      if (startRequest && ref === startRequest) {
        startRequest = null;
        transport?.stop();
        transport = null;
        pipeline?.stop();
        pipeline = null;
        // The refusal itself is shown as a notice (workspace); the form stays as it was.
        patch({ stage: 'editing' });
        return true;
      }
      if (joinRequest && ref === joinRequest.id) {
        joinRequest = null;
        teardownWatching();
        set({ watching: null });
        return true;
      }
      return ref.startsWith('share-') || ref.startsWith('share.');
    },

    resetShares() {
      teardownSharing();
      teardownWatching();
      transportMode = null;
      set({ availableShares: [], watching: null, share: initialSharer });
    },

    applyMediaFrame(frame) {
      signaling.handleFrame(frame);
    },

    mediaSignaling: () => signaling,
  };
};

function clampMask(rect: Rect, source: Size | null): Rect {
  if (!source) return rect;
  const x = Math.min(Math.max(0, Math.round(rect.x)), Math.max(0, source.width - 1));
  const y = Math.min(Math.max(0, Math.round(rect.y)), Math.max(0, source.height - 1));
  const width = Math.min(Math.max(1, Math.round(rect.width)), source.width - x);
  const height = Math.min(Math.max(1, Math.round(rect.height)), source.height - y);
  return { x, y, width, height };
}

// ---- selectors ----

export const selectSharer = (s: AppState) => s.share;
export const selectAvailableShares = (s: AppState) => s.availableShares;
export const selectWatching = (s: AppState) => s.watching;
