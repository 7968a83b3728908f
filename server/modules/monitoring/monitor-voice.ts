import { modesAllowed, type MonitorMode, type MonitoringPolicy, type SpeakingMode } from '../../../shared/api/ws-monitoring';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';
import type { MonitorMedia, MonitorRoom } from './media-port';

/** The one listener who speaks on a monitored call (whisper or barge) and the room their voice goes through. */
export interface Speaker {
  userId: string;
  mode: SpeakingMode;
  room: MonitorRoom;
}

/** What of a monitored call (monitoring-service.ts's session) whisper and barge read and change. */
export interface VoiceSession {
  interactionId: string;
  agentId: string;
  speaker: Speaker | null;
}

export interface VoiceListener {
  userId: string;
  username: string;
  role: 'supervisor' | 'admin';
}

const WORDS: Record<MonitorMode, string> = { listen: 'listen to', whisper: 'whisper on', barge: 'barge into' };

/**
 * Whisper and barge on a monitored call. A listener switches mode (listen, whisper, barge) as the
 * org's policy lets their role; one listener speaks at a time. The speaker's voice goes through a
 * room of its own on the SFU (`monitor:<interactionId>:voice-…`): only the speaker may produce in
 * it and only the call's agent may consume, so no other listener and never the customer receives
 * it from the SFU. The agent's app plays it (whisper) and, in barge, also mixes it into what it
 * sends to the customer. The call's own audio still reaches the speaker only through the call's
 * monitoring room, which secure pause holds, so a pause silences the call for every mode.
 * Every switch is audited with ids only (`monitoring.mode_changed`).
 */
export class MonitorVoice {
  constructor(
    private readonly deps: {
      media: MonitorMedia;
      audit: AuditLog;
      /** Whether the session is still the call's current one (the SFU's callbacks ask it). */
      isCurrent(session: VoiceSession): boolean;
      log?: { error(obj: object, msg: string): void };
    },
  ) {}

  modeOf(session: VoiceSession, userId: string): MonitorMode {
    return session.speaker?.userId === userId ? session.speaker.mode : 'listen';
  }

  /** Checks the switch against the policy and the other listeners, applies it and audits it. */
  async switchMode(session: VoiceSession, listener: VoiceListener, mode: MonitorMode, policy: MonitoringPolicy): Promise<void> {
    const from = this.modeOf(session, listener.userId);
    if (mode === from) return;
    const actor = { id: listener.userId, username: listener.username };
    if (!modesAllowed(policy, listener.role).includes(mode)) {
      await this.deps.audit.append({ actor, action: AuditAction.monitoringRefused, target: session.interactionId, details: { interactionId: session.interactionId, reason: 'policy', mode } });
      throw new DomainError('forbidden', `The org's monitoring policy does not let ${listener.role}s ${WORDS[mode]} calls. An admin can change it.`);
    }
    if (mode !== 'listen' && session.speaker && session.speaker.userId !== listener.userId) {
      throw new DomainError('conflict', `Another listener is already speaking on call ${session.interactionId}; one listener speaks at a time. Try again once they are back to listening.`);
    }
    if (mode === 'listen') await this.release(session);
    else if (session.speaker) session.speaker.mode = mode;
    else session.speaker = await this.open(session, listener.userId, mode);
    await this.deps.audit.append({
      actor,
      action: AuditAction.monitoringModeChanged,
      target: session.interactionId,
      details: { interactionId: session.interactionId, agentId: session.agentId, from, to: mode, ...(session.speaker ? { voiceRoomId: session.speaker.room.id } : {}) },
    });
  }

  /**
   * The speaker lost the right to their mode (a policy change): back to listening, audited with the
   * reason. Returns whether anything changed.
   */
  async enforce(session: VoiceSession, listener: VoiceListener, policy: MonitoringPolicy): Promise<boolean> {
    const speaker = session.speaker;
    if (!speaker || speaker.userId !== listener.userId || modesAllowed(policy, listener.role).includes(speaker.mode)) return false;
    await this.release(session);
    await this.deps.audit.append({
      actor: null,
      action: AuditAction.monitoringModeChanged,
      target: session.interactionId,
      details: { interactionId: session.interactionId, agentId: session.agentId, listenerId: listener.userId, from: speaker.mode, to: 'listen', reason: 'policy' },
    });
    return true;
  }

  /** The speaker goes back to listening, stops or the session ends: their voice room closes. */
  async release(session: VoiceSession, userId?: string): Promise<void> {
    const speaker = session.speaker;
    if (!speaker || (userId !== undefined && speaker.userId !== userId)) return;
    session.speaker = null;
    await speaker.room.close().catch((err: unknown) => this.deps.log?.error({ err }, 'monitoring: closing a voice room failed'));
  }

  private async open(session: VoiceSession, userId: string, mode: SpeakingMode): Promise<Speaker> {
    const why = this.deps.media.unavailable();
    if (why) throw new DomainError('conflict', why);
    const holder: { speaker?: Speaker } = {};
    const current = () => holder.speaker !== undefined && session.speaker === holder.speaker && this.deps.isCurrent(session);
    const room = await this.deps.media.openRoom({
      interactionId: session.interactionId,
      agentId: session.agentId,
      purpose: 'voice',
      mayProduce: (id) => id === userId && current(),
      mayConsume: (id) => id === session.agentId && current(),
      // The SFU closed it (its worker died): the speaker goes on listening without a voice room.
      onClosed: () => {
        if (current()) session.speaker = null;
      },
    });
    holder.speaker = { userId, mode, room };
    return holder.speaker;
  }
}
