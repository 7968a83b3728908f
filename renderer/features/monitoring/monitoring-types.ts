import type { MonitorListener, MonitorMode, MonitorStateFrame } from '../../../shared';
import type { VoiceFrame } from './monitor-voice';

/** A call this supervisor listens to. */
export interface ListenEntry {
  interactionId: string;
  agentName: string;
  status: 'starting' | MonitorStateFrame['status'];
  roomId: string | null;
  /** The call's mixed audio, played by the board's monitor-audio element. */
  stream: MediaStream | null;
  /** Listen, whisper or barge, as the server last said. */
  mode: MonitorMode;
  /** The modes the org's policy lets this listener switch to. */
  modes: MonitorMode[];
}

/** What the agent is told about a call of theirs being monitored. */
export interface MonitorNotice {
  interactionId: string;
  /** Null when the org's policy hides who listens. */
  listeners: MonitorListener[] | null;
  /** Secure pause holds this monitoring (the org's policy): the call can be paused even when it is not recorded. */
  pauseStops: boolean;
  /** A listener whispers or barges: who and how (shown whatever the notice policy says). */
  voice: Pick<VoiceFrame, 'mode' | 'speaker'> | null;
  /** Their voice, played to the agent by the notice's monitor-voice-audio element. */
  voiceStream: MediaStream | null;
}
