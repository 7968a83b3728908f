import type { MonitorListener } from '../../../shared/api/ws-monitoring';
import type { MonitorRoom } from './media-port';
import type { Speaker } from './monitor-voice';

export interface Listener extends MonitorListener {
  role: 'supervisor' | 'admin';
  since: Date;
}

/** One monitored call: its media room, the agent who publishes into it, and who listens. */
export interface Session {
  interactionId: string;
  agentId: string;
  agentName: string;
  room: MonitorRoom;
  listeners: Map<string, Listener>;
  /** The agent's app reported its producer is in the room. */
  producing: boolean;
  /** The listener who whispers or barges now, if any (monitor-voice.ts). */
  speaker: Speaker | null;
}
