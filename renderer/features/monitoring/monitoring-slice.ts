import { type MonitorMode, type MonitorPublishFrame, type MonitorStateFrame, type ServerMessageOf } from '../../../shared';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { type MixFactory, type Mixer, browserMix } from '../../media/audio-mix';
import { isTerminal } from '../calls/call-machine';
import { type MonitorSfu, type MonitorSfuEnv, type Publication, type Subscription } from './monitor-sfu';
import { ENDED_WORDS } from './monitoring-logic';
import { agentVoice, speakerVoice } from './monitor-voice';
import type { ListenEntry, MonitorNotice } from './monitoring-types';

export type { ListenEntry, MonitorNotice } from './monitoring-types';

export interface MonitoringState {
  listening: Readonly<Record<string, ListenEntry>>;
  notices: Readonly<Record<string, MonitorNotice>>;
}

export interface MonitoringSlice {
  monitoring: MonitoringState;
  startMonitoring(interactionId: string, agentName: string): void;
  stopMonitoring(interactionId: string): void;
  /** Switches to listen, whisper or barge (monitor.mode); the server's monitor.state confirms it. */
  setMonitorMode(interactionId: string, mode: MonitorMode): void;
  applyMonitorState(frame: MonitorStateFrame): void;
  applyMonitorPublish(frame: MonitorPublishFrame): void;
  /** An error frame answering monitor.start: the start was refused. */
  applyMonitorError(frame: ServerMessageOf<'error'>): void;
  /** The agent's microphone of the call being set up (mixed into what listeners hear). */
  noteMonitorMicrophone(stream: MediaStream): void;
  /** After a reconnect: the old connection's media is gone; publish and listen again as the server re-sends. */
  resetMonitoringMedia(): void;
  clearMonitoring(): void;
}

/** What monitoring needs from the browser; AppDeps.monitoring overrides it in tests. */
export interface MonitoringDeps {
  sfu(env: MonitorSfuEnv): Promise<MonitorSfu>;
  mix: MixFactory;
}

export function browserMonitoringDeps(): MonitoringDeps | null {
  if (typeof AudioContext === 'undefined' || typeof RTCPeerConnection === 'undefined') return null;
  // The SFU client (mediasoup-client) loads only when the first monitoring starts.
  return { sfu: async (env) => (await import('./sfu-session')).sessionMonitorSfu(env), mix: browserMix };
}

export const createMonitoringSlice: SliceCreator<MonitoringSlice> = (deps) => (set, get, api) => {
  let media: MonitoringDeps | null | undefined = deps.monitoring;
  const monitoringDeps = (): MonitoringDeps | null => {
    if (media === undefined) media = browserMonitoringDeps();
    return media;
  };

  let nextId = 1;
  /** The SFU on the store's one media signaling (shared with screen shares). */
  const sfuOf = (md: MonitoringDeps) => md.sfu({ signaling: get().mediaSignaling(), iceServers: () => get().getIceServers() });

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

  // ---- whisper and barge: the speaker's microphone, the agent's receiving of it (monitor-voice.ts)
  const voiceEnv = {
    sfu: () => (monitoringDeps() ? sfuOf(monitoringDeps()!) : null),
    getMicrophone: () => (deps.media ? deps.media.getMicrophone() : Promise.reject(new Error('no microphone in this window'))),
    notice: (message: string) => get().pushNotice(message, 'error'),
  };
  const speaking = speakerVoice(voiceEnv);
  const patchNotice = (id: string, next: Partial<MonitorNotice>) =>
    set((s) => {
      const notice = s.monitoring.notices[id];
      return notice ? { monitoring: { ...s.monitoring, notices: { ...s.monitoring.notices, [id]: { ...notice, ...next } } } } : {};
    });
  /** In barge the call sends the supervisor's voice on to the customer; otherwise the microphone alone. */
  const applyBarge = (id: string) => {
    const notice = get().monitoring.notices[id];
    get().setCallVoice(id, notice?.voice?.mode === 'barge' ? notice.voiceStream : null);
  };
  const hearing = agentVoice(voiceEnv, (id, stream) => {
    patchNotice(id, { voiceStream: stream });
    applyBarge(id);
  });

  const dropListen = (id: string) => {
    speaking.stop(id);
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
      const sfu = await sfuOf(md);
      const sub = await sfu.listen(roomId, {
        onStream: (stream) => {
          if (!slot.closed) patchListen(id, { stream });
        },
        onClosed: (message) => {
          if (slot.closed) return;
          patchListen(id, { stream: null });
          // Asked again when the server says the call is live (a new room or a restarted SFU).
          if (subscriptions.get(id) === slot) subscriptions.delete(id);
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
  const isPaused = (s: AppState, id: string) => s.securePause.byInteraction[id]?.paused === true;

  /**
   * Secure pause at the source: the mix's gate closes (silence from the next audio quantum) and the
   * producer stops sending, in the same tick the agent's click (or hotkey) set the pause; at resume
   * the producer sends again first, then the gate opens after its guard (see MixGate), so nothing
   * captured while paused reaches a listener. `securePaused` is the call's pause as the secure-pause
   * slice decided it (its capture gate passes it before the store changes); otherwise it is read
   * from the store.
   */
  const applyPublishState = (s: AppState, id: string, slot: PublishSlot, securePaused = isPaused(s, id)) => {
    const paused = slot.pauseOnSecurePause && securePaused;
    if (paused && !slot.paused) slot.mixer.gate.close();
    const inputs = callInputs(s, id);
    if (inputs.length !== slot.inputs.length || inputs.some((x, i) => x !== slot.inputs[i])) {
      slot.inputs = inputs;
      slot.mixer.setStreams?.(inputs);
    }
    if (paused !== slot.paused) {
      slot.paused = paused;
      if (paused) slot.publication?.pause();
      else {
        slot.publication?.resume();
        slot.mixer.gate.open();
      }
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
      const sfu = await sfuOf(md);
      const publication = await sfu.publish(frame.roomId, track);
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

  const removeNotice = (id: string) => {
    hearing.stop(id);
    set((s) => {
      if (!s.monitoring.notices[id]) return {};
      const notices = { ...s.monitoring.notices };
      delete notices[id];
      return { monitoring: { ...s.monitoring, notices } };
    });
  };

  // The secure-pause slice's capture gate: called before the store hears of the pause.
  deps.captureGates?.add((id, paused) => {
    const slot = publishers.get(id);
    if (slot) applyPublishState(get(), id, slot, paused);
  });

  api.subscribe((state, prev) => {
    if (prev.auth.token && !state.auth.token) get().clearMonitoring();
    if (state.calls === prev.calls && state.securePause === prev.securePause) return;
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
          listening: { ...s.monitoring.listening, [interactionId]: { interactionId, agentName, status: 'starting', roomId: null, stream: null, mode: 'listen', modes: [] } },
        },
      }));
      starts.set(id, interactionId);
      if (!get().sendMessage({ type: 'monitor.start', interactionId, id })) {
        starts.delete(id);
        dropListen(interactionId);
        get().pushNotice('Not connected to the server: monitoring did not start.', 'error');
      }
    },

    setMonitorMode(interactionId, mode) {
      if (!get().monitoring.listening[interactionId]) return;
      if (!get().sendMessage({ type: 'monitor.mode', interactionId, mode, id: `mon-mode-${nextId++}` })) get().pushNotice('Not connected to the server: the mode did not change.', 'error');
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
            [id]: {
              interactionId: id,
              agentName: frame.agentName,
              status: frame.status,
              roomId: frame.roomId ?? null,
              stream: s.monitoring.listening[id]?.stream ?? null,
              mode: frame.mode ?? 'listen',
              modes: frame.modes ?? [],
            },
          },
        },
      }));
      if (frame.roomId) void listen(id, frame.roomId);
      speaking.follow(id, frame.voiceRoomId);
    },

    applyMonitorPublish(frame) {
      const id = frame.interactionId;
      if (frame.roomId === null) {
        stopPublishing(id);
        removeNotice(id);
        return;
      }
      const voice = frame.voice ? { mode: frame.voice.mode, speaker: frame.voice.speaker } : null;
      set((s) => {
        const voiceStream = voice ? (s.monitoring.notices[id]?.voiceStream ?? null) : null;
        const notice: MonitorNotice = { interactionId: id, listeners: frame.listeners ?? null, pauseStops: frame.pauseOnSecurePause, voice, voiceStream };
        return { monitoring: { ...s.monitoring, notices: { ...s.monitoring.notices, [id]: notice } } };
      });
      hearing.follow(id, frame.voice);
      applyBarge(id);
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

    applyMonitorError(frame) {
      const ref = frame.ref ?? '';
      const interactionId = starts.get(ref);
      if (!interactionId) return;
      // Refused (policy, call not connected, no SFU): the row goes back to Listen; the message shows as a notice.
      starts.delete(ref);
      dropListen(interactionId);
    },

    noteMonitorMicrophone(stream) {
      mic = stream;
    },

    resetMonitoringMedia() {
      hearing.stopAll();
      speaking.stopAll();
      for (const id of [...subscriptions.keys()]) dropListen(id);
      for (const id of [...publishers.keys()]) stopPublishing(id);
    },

    clearMonitoring() {
      hearing.stopAll();
      speaking.stopAll();
      for (const id of [...subscriptions.keys()]) dropListen(id);
      for (const id of [...publishers.keys()]) stopPublishing(id);
      starts.clear();
      set({ monitoring: { listening: {}, notices: {} } });
    },
  };
};

// ---- selectors ----

export const selectListening = (interactionId: string) => (s: AppState) => s.monitoring.listening[interactionId];
export const selectMonitorNotice = (interactionId: string) => (s: AppState) => s.monitoring.notices[interactionId];
