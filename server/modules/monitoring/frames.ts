import { modesAllowed, type MonitoringPolicy, type MonitorPublishFrame, type MonitorStateFrame } from '../../../shared/api/ws-monitoring';
import type { Session } from './session';

/**
 * To the agent's windows: publish the call's audio into the session's room, who listens (when the
 * policy shows the notice) and, while a listener whispers or barges, where to receive their voice.
 * The speaker is named to the agent always, whatever the notice policy: the agent hears them.
 */
export function publishFrame(session: Session, policy: MonitoringPolicy): MonitorPublishFrame {
  const listeners = [...session.listeners.values()].map(({ userId, username, displayName }) => ({ userId, username, displayName }));
  const speaker = session.speaker;
  const speakerListener = speaker ? session.listeners.get(speaker.userId) : undefined;
  return {
    type: 'monitor.publish',
    interactionId: session.interactionId,
    roomId: session.room.id,
    pauseOnSecurePause: policy.securePauseStopsMonitoring,
    ...(policy.showNoticeToAgent ? { listeners } : {}),
    ...(speaker && speakerListener
      ? { voice: { roomId: speaker.room.id, mode: speaker.mode, speaker: { userId: speaker.userId, username: speakerListener.username, displayName: speakerListener.displayName } } }
      : {}),
  };
}

/** To one listener's windows: where their monitoring stands, their mode, the modes the policy lets them use, and (speaking) where to send their voice. */
export function stateFrame(session: Session, policy: MonitoringPolicy, userId: string, held: boolean, ref?: string): MonitorStateFrame {
  const listener = session.listeners.get(userId);
  const speaking = session.speaker?.userId === userId ? session.speaker : null;
  return {
    type: 'monitor.state',
    interactionId: session.interactionId,
    agentId: session.agentId,
    agentName: session.agentName,
    status: held ? 'paused' : session.producing ? 'live' : 'connecting',
    roomId: session.room.id,
    mode: speaking?.mode ?? 'listen',
    modes: listener ? modesAllowed(policy, listener.role) : [],
    ...(speaking ? { voiceRoomId: speaking.room.id } : {}),
    ...(ref ? { ref } : {}),
  };
}
