import { type CaptureSource, type ServerMessageOf, type ShareSourceKind } from '../../../shared';
import { type CropSettings } from '../../media/share/frame-processor';
import { type Rect, type Size, clampRegion, wholeSource } from '../../media/share/geometry';
import { type SharePipeline } from '../../media/share/pipeline';
import { type ShareTransport, createP2PShareTransport } from '../../media/share/transport';
import { createSfuShareTransport } from '../../media/sfu/sfu-share';
import { type ShareContext } from './share-context';
import { captureErrorMessage } from './share-media';
import { EMPTY_RECT, type SharerActions, type SharerState, initialSharer } from './share-types';

/** Server-side region/mask updates are batched; the picture itself changes on the next frame. */
const UPDATE_DELAY_MS = 250;

/** The sharer's side, with what the slice routes to it beside its actions. */
export interface Sharer {
  actions: SharerActions;
  /** A signal for our own share; false when it is not ours. */
  signal(frame: ServerMessageOf<'share.signal'>): boolean;
  /** An error frame answering the start: the start is rolled back (true). */
  refused(ref: string): boolean;
  /** Stops everything of the own share, locally. */
  reset(): void;
}

export function createSharer(ctx: ShareContext): Sharer {
  const { deps, set, get, media, send, nextId } = ctx;

  // Media resources live here, never in the store.
  let capture: MediaStream | null = null;
  let pipeline: SharePipeline | null = null;
  let transport: ShareTransport | null = null;
  let startRequest: string | null = null;
  let pendingUpdate: { region?: Rect; masks?: Rect[]; blanked?: boolean } = {};
  let updateTimer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped on every teardown, so an async step that finishes late knows it is stale. */
  let generation = 0;
  /** Desktop: the source picked in the list, to name it in the share. */
  let pickedSourceId: string | null = null;

  const patch = (next: Partial<SharerState>) => set((s) => ({ share: { ...s.share, ...next } }));
  const settings = (s: SharerState = get().share): CropSettings => ({ region: s.region, masks: s.masks, blanked: s.blanked });

  function flushUpdate(): void {
    if (updateTimer) clearTimeout(updateTimer);
    updateTimer = null;
    const own = get().share.own;
    if (!own || Object.keys(pendingUpdate).length === 0) return;
    send({ type: 'share.update', shareId: own.shareId, ...pendingUpdate, id: nextId('update') });
    pendingUpdate = {};
  }

  /**
   * Sends a share message after any batched region/mask update, so the server sees (and audits) the
   * sharer's actions in the order they happened: the masks the user set before revoking a viewer,
   * changing viewers or stopping are logged before that.
   */
  function sendAfterPendingUpdate(message: Parameters<ShareContext['send']>[0]): boolean {
    flushUpdate();
    return send(message);
  }

  function queueUpdate(next: { region?: Rect; masks?: Rect[]; blanked?: boolean }, now = false): void {
    pipeline?.update(settings());
    if (get().share.stage !== 'live') return;
    pendingUpdate = { ...pendingUpdate, ...next };
    if (now) return flushUpdate();
    if (!updateTimer) updateTimer = setTimeout(flushUpdate, UPDATE_DELAY_MS);
  }

  function stopSending(): void {
    transport?.stop();
    transport = null;
    pipeline?.stop();
    pipeline = null;
  }

  /** Stops the capture, the pipeline and every peer; the store goes back to idle (keeping candidates). */
  function teardownSharing(error: string | null = null): void {
    generation += 1;
    if (updateTimer) clearTimeout(updateTimer);
    updateTimer = null;
    pendingUpdate = {};
    startRequest = null;
    stopSending();
    for (const track of capture?.getTracks() ?? []) track.stop();
    capture = null;
    set((s) => ({ share: { ...initialSharer, candidates: s.share.candidates, protection: s.share.protection, error } }));
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

  const actions: SharerActions = {
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
      if (s.stage === 'live' && s.own) sendAfterPendingUpdate({ type: 'share.viewers', shareId: s.own.shareId, viewers: s.chosen, id: nextId('viewers') });
    },

    async startShare() {
      const s = get().share;
      if (s.stage !== 'editing' || !capture || !s.sourceSize) return;
      const track = capture.getVideoTracks()[0];
      if (!track) return;
      const gen = generation;
      patch({ stage: 'starting', error: null });
      try {
        const [mode, iceServers] = await Promise.all([ctx.transportMode(), get().getIceServers()]);
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
          : createSfuShareTransport({ signaling: get().mediaSignaling(), loadSessions: ctx.loadSfuSessions, iceServers, onProblem: ctx.mediaProblem });
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
        stopSending();
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
      sendAfterPendingUpdate({ type: 'share.revoke', shareId: s.own.shareId, userId, id: nextId('revoke') });
    },

    stopShare() {
      const own = get().share.own;
      if (own) sendAfterPendingUpdate({ type: 'share.stop', shareId: own.shareId, id: nextId('stop') });
      teardownSharing();
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

    applyShareCandidates(frame) {
      patch({ candidates: frame.users });
    },
  };

  return {
    actions,
    signal(frame) {
      const own = get().share.own;
      if (!own || own.shareId !== frame.shareId) return false;
      transport?.signal(frame.from, frame.signal);
      return true;
    },

    refused(ref) {
      if (!startRequest || ref !== startRequest) return false;
      startRequest = null;
      stopSending();
      // The refusal itself is shown as a notice (workspace); the form stays as it was.
      patch({ stage: 'editing' });
      return true;
    },

    reset() {
      teardownSharing();
    },
  };
}

function clampMask(rect: Rect, source: Size | null): Rect {
  if (!source) return rect;
  const x = Math.min(Math.max(0, Math.round(rect.x)), Math.max(0, source.width - 1));
  const y = Math.min(Math.max(0, Math.round(rect.y)), Math.max(0, source.height - 1));
  const width = Math.min(Math.max(1, Math.round(rect.width)), source.width - x);
  const height = Math.min(Math.max(1, Math.round(rect.height)), source.height - y);
  return { x, y, width, height };
}
