/**
 * What monitoring needs from the SFU (server/modules/media): a room per monitored call, where only
 * the call's agent may produce (one audio producer: the call's mix) and only the listeners the
 * service allows may consume; and, while a listener whispers or barges, a voice room where only
 * that listener produces and only the agent consumes (monitor-voice.ts). The service talks to this port only, so its rules are tested with a
 * fake and the SFU can change underneath (sfu-adapter.ts binds it to the media module).
 */
export interface MonitorRoomOptions {
  interactionId: string;
  agentId: string;
  /** `voice`: a listener's voice to the agent (whisper, barge) instead of the call's audio to listeners. */
  purpose?: 'call' | 'voice';
  /** Asked by the SFU for every produce request in the room. */
  mayProduce(userId: string): boolean;
  /** Asked by the SFU for every consume request in the room (the authorization callback). */
  mayConsume(userId: string): boolean;
  /** The SFU closed the room by itself (its worker died): monitoring of the call ends. */
  onClosed(reason: string): void;
}

export interface MonitorRoom {
  readonly id: string;
  /** Secure pause: pauses (or resumes) the agent's producer and every consumer in the room. */
  setPaused(paused: boolean): Promise<void>;
  /** Closes one user's consumers at once (stopped listening, signed out, lost the right). */
  dropConsumer(userId: string): Promise<void>;
  close(): Promise<void>;
}

export interface MonitorMedia {
  /** Null when rooms can be opened now; otherwise why not (no worker binary, worker down). */
  unavailable(): string | null;
  openRoom(options: MonitorRoomOptions): Promise<MonitorRoom>;
}

/** For a server without an SFU: monitoring is refused with a reason the supervisor can act on. */
export const NO_MONITOR_MEDIA: MonitorMedia = {
  unavailable: () => 'Live monitoring needs the SFU (a mediasoup worker), which is not running on this server. Ask your administrator.',
  openRoom: () => Promise.reject(new Error('no SFU')),
};
