import { type MonitorEndReason, type MonitorListener, type MonitorPublishFrame, type MonitorStateFrame, type ServerMessageOf } from '../../../shared';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { type MixFactory, type Mixer, browserMix } from '../../media/audio-mix';
import { isTerminal } from '../calls/call-machine';
import { type MediaPush, type MediaSignaling, type MonitorSfu, type Publication, type Subscription } from './monitor-sfu';

/** A call this supervisor listens to. */
export interface ListenEntry {
  interactionId: string;
  agentName: string;
  status: 'starting' | MonitorStateFrame['status'];
  roomId: string | null;
  /** The call's mixed audio, played by the board's monitor-audio element. */
  stream: MediaStream | null;
}

/** What the agent is told about a call of theirs being monitored. */
export interface MonitorNotice {
  interactionId: string;
  /** Null when the org's policy hides who listens. */
  listeners: MonitorListener[] | null;
}

export interface MonitoringState {
  listening: Readonly<Record<string, ListenEntry>>;
  notices: Readonly<Record<string, MonitorNotice>>;
}

export interface MonitoringSlice {
  monitoring: MonitoringState;
  startMonitoring(interactionId: string, agentName: string): void;
  stopMonitoring(interactionId: string): void;
  applyMonitorState(frame: MonitorStateFrame): void;
  applyMonitorPublish(frame: MonitorPublishFrame): void;
  /** A media.* frame or an error frame answering one of monitoring's requests. */
  applyMonitorMediaFrame(frame: MediaFrame): void;
  /** The agent's microphone of the call being set up (mixed into what listeners hear). */
  noteMonitorMicrophone(stream: MediaStream): void;
  /** After a reconnect: the old connection's media is gone; publish and listen again as the server re-sends. */
  resetMonitoringMedia(): void;
  clearMonitoring(): void;
}

export type MediaFrame = ServerMessageOf<'media.joined' | 'media.transport.created' | 'media.transport.connected' | 'media.produced' | MediaPush | 'error'>;

/** What monitoring needs from the browser; AppDeps.monitoring overrides it in tests. */
export interface MonitoringDeps {
  sfu(): Promise<MonitorSfu>;
  mix: MixFactory;
}

export function browserMonitoringDeps(): MonitoringDeps | null {
  if (typeof AudioContext === 'undefined' || typeof RTCPeerConnection === 'undefined') return null;
  // mediasoup-client loads only when the first monitoring starts.
  return { sfu: async () => (await import('./mediasoup-sfu')).mediasoupMonitorSfu, mix: browserMix };
}

const REQUEST_TIMEOUT_MS = 15_000;

const ENDED_WORDS: Record<MonitorEndReason, string> = {
  stopped: 'you stopped listening',
  call_ended: 'the call ended',
  transferred: 'the call was transferred',
  signed_out: 'you signed out',
  disconnected: 'this window lost its connection',
  policy: "the org's policy changed",
  media_failed: "the agent's app could not send the audio",
  media_closed: 'the media server closed the session',
};

export const createMonitoringSlice: SliceCreator<MonitoringSlice> = (deps) => (set, get, api) => {
  let media: MonitoringDeps | null | undefined = deps.monitoring;
  const monitoringDeps = (): MonitoringDeps | null => {
    if (media === undefined) media = browserMonitoringDeps();
    return media;
  };

  // ---- signaling: requests answered by frames carrying their id back as `ref`
  let nextId = 1;
  const waiting = new Map<string, { reply: string; resolve(frame: unknown): void; reject(error: Error): void; timer: ReturnType<typeof setTimeout> }>();
  const pushes = new Set<{ type: MediaPush; roomId: string; fn(frame: never): void }>();
  const signaling: MediaSignaling = {
    request(message, reply) {
      const id = `mon-${nextId++}`;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error('The media server did not answer in time.'));
        }, REQUEST_TIMEOUT_MS);
        waiting.set(id, { reply, resolve: resolve as (frame: unknown) => void, reject, timer });
        if (!get().sendMessage({ ...message, id } as typeof message)) {
          clearTimeout(timer);
          waiting.delete(id);
          reject(new Error('Not connected to the server.'));
        }
      });
    },
    send: (message) => get().sendMessage(message),
    onFrame(type, roomId, fn) {
      const entry = { type, roomId, fn: fn as (frame: never) => void };
      pushes.add(entry);
      return () => void pushes.delete(entry);
    },
  };

  // ---- the supervisor's side: one subscription per call listened to
  const subscriptions = new Map<string, { roomId: string; sub: Subscription | null; closed: boolean }>();
  /** monitor.start request ids → interaction, so a refusal ends the "starting" entry. */
  const starts = new Map<string, string>();

  const patchListen = (id: string, next: Partial<ListenEntry>) =>
    set((s) => {
      const entry = s.monitoring.listening[id];
      if (!entry) return {};
      return { monitoring: { ...s.monitoring, listening: { ...s.monitoring.listening, [id]: { ...entry, ...next } } } };
    });

  const dropListen = (id: string) => {
    const slot = subscriptions.get(id);
    subscriptions.delete(id);
    if (slot) {
      slot.closed = true;
      slot.sub?.close();
    }
    set((s) => {
      if (!s.monitoring.listening[id]) return {};
      const listening = { ...s.monitoring.listening };
      delete listening[id];
      return { monitoring: { ...s.monitoring, listening } };
    });
  };

  const listen = async (id: string, roomId: string) => {
    const existing = subscriptions.get(id);
    if (existing?.roomId === roomId) return;
    existing?.sub?.close();
    const slot = { roomId, sub: null as Subscription | null, closed: false };
    subscriptions.set(id, slot);
    const md = monitoringDeps();
    if (!md) {
      get().pushNotice('This window cannot play live call audio (no WebRTC).', 'error');
      return;
    }
    try {
      const sfu = await md.sfu();
      const sub = await sfu.listen(roomId, signaling, {
        onStream: (stream) => {
          if (!slot.closed) patchListen(id, { stream });
        },
        onClosed: (message) => {
          if (slot.closed) return;
          patchListen(id, { stream: null });
          get().pushNotice(`Live monitoring: ${message}`, 'error');
        },
      });
      if (slot.closed) sub.close();
      else slot.sub = sub;
    } catch (err) {
      if (!slot.closed) get().pushNotice(`The call audio could not be received: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  };

  // ---- the agent's side: one publication per monitored call
  interface PublishSlot {
    roomId: string;
    mixer: Mixer;
    inputs: MediaStream[];
    publication: Publication | null;
    pauseOnSecurePause: boolean;
    paused: boolean;
    closed: boolean;
  }
  const publishers = new Map<string, PublishSlot>();
  let mic: MediaStream | null = null;

  const callInputs = (s: AppState, id: string): MediaStream[] => {
    const remote = s.calls.byId[id]?.remoteStream ?? null;
    const liveMic = mic && mic.getAudioTracks().some((t) => t.readyState === 'live') ? mic : null;
    return [remote, liveMic].filter((x): x is MediaStream => x !== null);
  };
  const holdFor = (s: AppState, slot: PublishSlot, id: string) => slot.pauseOnSecurePause && s.recordings.byInteraction[id]?.paused === true;

  /**
   * Secure pause at the source: the mixer loses its inputs (nothing of the call enters it) and the
   * producer stops sending, in the same tick the agent's click (or hotkey) set the pause.
   */
  const applyPublishState = (s: AppState, id: string, slot: PublishSlot) => {
    const paused = holdFor(s, slot, id);
    const inputs = paused ? [] : callInputs(s, id);
    if (inputs.length !== slot.inputs.length || inputs.some((x, i) => x !== slot.inputs[i])) {
      slot.inputs = inputs;
      slot.mixer.setStreams?.(inputs);
    }
    if (paused !== slot.paused) {
      slot.paused = paused;
      if (paused) slot.publication?.pause();
      else slot.publication?.resume();
    }
  };

  const stopPublishing = (id: string) => {
    const slot = publishers.get(id);
    if (!slot) return;
    publishers.delete(id);
    slot.closed = true;
    slot.publication?.close();
    slot.mixer.close();
  };

  const publish = async (id: string, frame: MonitorPublishFrame & { roomId: string }) => {
    const md = monitoringDeps();
    const failed = (message: string) => get().sendMessage({ type: 'monitor.publish.state', interactionId: id, state: 'failed', message: message.slice(0, 300) });
    if (!md) return void failed('This window cannot send audio (no WebRTC or WebAudio).');
    const s = get();
    let mixer: Mixer;
    try {
      mixer = md.mix([]);
    } catch (err) {
      return void failed(err instanceof Error ? err.message : 'No audio mixer.');
    }
    const slot: PublishSlot = { roomId: frame.roomId, mixer, inputs: [], publication: null, pauseOnSecurePause: frame.pauseOnSecurePause, paused: false, closed: false };
    publishers.set(id, slot);
    applyPublishState(s, id, slot);
    const track = mixer.stream.getAudioTracks()[0];
    if (!track) return void failed('The audio mixer gave no track.');
    try {
      const sfu = await md.sfu();
      const publication = await sfu.publish(frame.roomId, track, signaling);
      if (slot.closed) return publication.close();
      slot.publication = publication;
      if (slot.paused) publication.pause();
      get().sendMessage({ type: 'monitor.publish.state', interactionId: id, state: 'producing' });
    } catch (err) {
      if (slot.closed) return;
      stopPublishing(id);
      failed(err instanceof Error ? err.message : String(err));
    }
  };

  const removeNotice = (id: string) =>
    set((s) => {
      if (!s.monitoring.notices[id]) return {};
      const notices = { ...s.monitoring.notices };
      delete notices[id];
      return { monitoring: { ...s.monitoring, notices } };
    });

  api.subscribe((state, prev) => {
    if (prev.auth.token && !state.auth.token) get().clearMonitoring();
    if (state.calls === prev.calls && state.recordings === prev.recordings) return;
    for (const [id, slot] of [...publishers]) {
      const call = state.calls.byId[id];
      if (!call || isTerminal(call.phase)) {
        stopPublishing(id);
        removeNotice(id);
        continue;
      }
      applyPublishState(state, id, slot);
    }
  });

  return {
    monitoring: { listening: {}, notices: {} },

    startMonitoring(interactionId, agentName) {
      const id = `mon-start-${nextId++}`;
      set((s) => ({
        monitoring: {
          ...s.monitoring,
          listening: { ...s.monitoring.listening, [interactionId]: { interactionId, agentName, status: 'starting', roomId: null, stream: null } },
        },
      }));
      starts.set(id, interactionId);
      if (!get().sendMessage({ type: 'monitor.start', interactionId, id })) {
        starts.delete(id);
        dropListen(interactionId);
        get().pushNotice('Not connected to the server: monitoring did not start.', 'error');
      }
    },

    stopMonitoring(interactionId) {
      get().sendMessage({ type: 'monitor.stop', interactionId });
      // The audio stops here at once; the server confirms with monitor.state ended.
      dropListen(interactionId);
    },

    applyMonitorState(frame) {
      const id = frame.interactionId;
      if (frame.status === 'ended') {
        const had = get().monitoring.listening[id] !== undefined;
        dropListen(id);
        if (had && frame.reason !== 'stopped') get().pushNotice(`Listening to ${frame.agentName}'s call ended: ${frame.message ?? ENDED_WORDS[frame.reason ?? 'stopped']}.`);
        return;
      }
      set((s) => ({
        monitoring: {
          ...s.monitoring,
          listening: {
            ...s.monitoring.listening,
            [id]: { interactionId: id, agentName: frame.agentName, status: frame.status, roomId: frame.roomId ?? null, stream: s.monitoring.listening[id]?.stream ?? null },
          },
        },
      }));
      if (frame.roomId) void listen(id, frame.roomId);
    },

    applyMonitorPublish(frame) {
      const id = frame.interactionId;
      if (frame.roomId === null) {
        stopPublishing(id);
        removeNotice(id);
        return;
      }
      set((s) => ({ monitoring: { ...s.monitoring, notices: { ...s.monitoring.notices, [id]: { interactionId: id, listeners: frame.listeners ?? null } } } }));
      const slot = publishers.get(id);
      if (slot && slot.roomId === frame.roomId) {
        slot.pauseOnSecurePause = frame.pauseOnSecurePause;
        applyPublishState(get(), id, slot);
        return;
      }
      if (slot) stopPublishing(id);
      const call = get().calls.byId[id];
      if (!call || isTerminal(call.phase)) return;
      void publish(id, { ...frame, roomId: frame.roomId });
    },

    applyMonitorMediaFrame(frame) {
      if (frame.type === 'error') {
        const ref = frame.ref ?? '';
        const start = starts.get(ref);
        if (start) {
          starts.delete(ref);
          dropListen(start);
          return;
        }
        const waiter = waiting.get(ref);
        if (waiter) {
          clearTimeout(waiter.timer);
          waiting.delete(ref);
          waiter.reject(new Error(frame.message));
        }
        return;
      }
      if (frame.type === 'media.consumer' || frame.type === 'media.consumer.closed' || frame.type === 'media.room.closed') {
        for (const p of [...pushes]) if (p.type === frame.type && p.roomId === frame.roomId) p.fn(frame as never);
        return;
      }
      const waiter = frame.ref ? waiting.get(frame.ref) : undefined;
      if (!waiter || waiter.reply !== frame.type) return;
      clearTimeout(waiter.timer);
      waiting.delete(frame.ref!);
      waiter.resolve(frame);
    },

    noteMonitorMicrophone(stream) {
      mic = stream;
    },

    resetMonitoringMedia() {
      for (const id of [...subscriptions.keys()]) dropListen(id);
      for (const id of [...publishers.keys()]) stopPublishing(id);
      for (const w of waiting.values()) {
        clearTimeout(w.timer);
        w.reject(new Error('The connection to the server was replaced.'));
      }
      waiting.clear();
    },

    clearMonitoring() {
      for (const id of [...subscriptions.keys()]) dropListen(id);
      for (const id of [...publishers.keys()]) stopPublishing(id);
      for (const w of waiting.values()) clearTimeout(w.timer);
      waiting.clear();
      starts.clear();
      set({ monitoring: { listening: {}, notices: {} } });
    },
  };
};

// ---- selectors ----

export const selectListening = (interactionId: string) => (s: AppState) => s.monitoring.listening[interactionId];
export const selectMonitorNotice = (interactionId: string) => (s: AppState) => s.monitoring.notices[interactionId];
