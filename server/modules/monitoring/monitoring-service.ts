import type { MonitorEndReason, MonitorMode, MonitoringPolicy, MonitorPublishFrame, MonitorStateFrame } from '../../../shared/api/ws-monitoring';
import type { ClientLink } from '../../kernel/client-link';
import { DomainError } from '../../kernel/errors';
import type { Principal } from '../../kernel/principal';
import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';
import type { InteractionService } from '../interactions/interaction-service';
import type { CallLifecycleEvent, SensitiveMarkChange } from '../interactions/lifecycle-events';
import type { PauseChange, SecurePauseService } from '../secure-pause/secure-pause-service';
import type { MonitorMedia } from './media-port';
import { publishFrame, stateFrame } from './frames';
import { MonitorVoice } from './monitor-voice';
import type { Listener, Session } from './session';
import type { MonitoringPolicyStore } from './policy';

const SENSITIVE_REFUSAL = 'This call is marked sensitive: only supervisors with the sensitive permission and admins may listen in.';

export interface MonitoringServiceDeps {
  core: InteractionService;
  audit: AuditLog;
  policy: MonitoringPolicyStore;
  media: MonitorMedia;
  /** Secure pause (server/modules/secure-pause) owns whether a call is paused; monitoring asks it. */
  pause: Pick<SecurePauseService, 'isPaused'>;
  now?: () => Date;
  log?: { error(obj: object, msg: string): void };
}

/**
 * Live call monitoring on the server. A supervisor (or admin, as the policy allows) starts
 * listening to a connected call; the service opens a media room for it, asks the agent's app to
 * publish the call's mix there, and lets only current listeners consume. The agent is told who
 * listens (unless the policy hides it). While the call is paused (secure pause says so) and the
 * policy says a pause stops monitoring, the room's producer is held: the audio is held, not stored here.
 * The call ending or moving, a listener stopping, signing out or losing their last connection, a
 * policy change, or the SFU closing the room ends it; every start and stop is audited.
 * Changes run in the interactions queue, so they never interleave with a hang-up or transfer.
 */
export class MonitoringService {
  private readonly sessions = new Map<string, Session>();
  /** Refused media requests already audited: key → when. */
  private readonly refusals = new Map<string, number>();
  private readonly voice: MonitorVoice;

  constructor(private readonly deps: MonitoringServiceDeps) {
    this.voice = new MonitorVoice({
      media: deps.media,
      audit: deps.audit,
      isCurrent: (session) => this.sessions.get(session.interactionId) === session,
      ...(deps.log ? { log: deps.log } : {}),
    });
    deps.core.callObservers.push((event) => this.onCall(event));
    deps.core.sensitiveObservers.push((event) => this.markChanged(event));
    deps.policy.onChange((policy, before) => this.policyChanged(policy, before));
  }

  private get hub() {
    return this.deps.core.hub;
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** For the SFU's authorization callbacks and tests: who may consume this call's audio now. */
  listenersOf(interactionId: string): string[] {
    return [...(this.sessions.get(interactionId)?.listeners.keys() ?? [])];
  }

  /** Whether the call's audio is held now: it is paused and the policy says a pause stops monitoring. */
  private holds(policy: MonitoringPolicy, interactionId: string): boolean {
    return policy.securePauseStopsMonitoring && this.deps.pause.isPaused(interactionId);
  }

  /** Whether a secure pause on this call would hold monitoring audio now (someone listens and the policy says pause stops it). */
  async pauseHolds(interactionId: string): Promise<boolean> {
    if (!this.sessions.has(interactionId)) return false;
    return (await this.deps.policy.get()).securePauseStopsMonitoring;
  }

  // ---------------------------------------------------------------- start / stop

  start(principal: Principal, interactionId: string, ref?: string): Promise<void> {
    const core = this.deps.core;
    return core.run(async () => {
      const user = principal.user;
      if (!user || (user.role !== 'supervisor' && user.role !== 'admin')) throw new DomainError('forbidden', 'Only supervisors and admins may monitor calls.');
      const policy = await this.deps.policy.get();
      if (!policy.rolesAllowed.includes(user.role)) {
        await this.deps.audit.append({ actor: { id: user.id, username: user.username }, action: AuditAction.monitoringRefused, target: interactionId, details: { interactionId, reason: 'policy' } });
        throw new DomainError('forbidden', `The org's monitoring policy does not let ${user.role}s monitor calls. An admin can change it.`);
      }
      const live = core.live.get(interactionId);
      if (!live) {
        const row = await core.repo.get(interactionId);
        if (!row) throw new DomainError('not_found', `No interaction ${interactionId}.`);
        throw new DomainError('conflict', `Interaction ${interactionId} is not in progress (${row.status}); only connected calls can be monitored.`);
      }
      if (live.kind !== 'call') throw new DomainError('conflict', `Interaction ${interactionId} is a chat; only calls can be monitored.`);
      if (live.status !== 'active' || !live.agentId) throw new DomainError('conflict', `Call ${interactionId} is not connected to an agent; monitor it once an agent has answered.`);
      // A call marked sensitive: only supervisors with the permission and admins hear it, and each start is a read to audit.
      const stored = await core.repo.get(interactionId);
      const marked = { id: interactionId, sensitive_category: stored ? stored.sensitive_category : live.sensitive };
      if (!(await core.sensitive.maySee(user, marked))) {
        await this.deps.audit.append({ actor: { id: user.id, username: user.username }, action: AuditAction.monitoringRefused, target: interactionId, details: { interactionId, reason: 'sensitive' } });
        throw new DomainError('forbidden', SENSITIVE_REFUSAL);
      }

      let session = this.sessions.get(interactionId);
      if (session?.listeners.has(user.id)) {
        // Asked again (a second window, a retry): say where it stands.
        this.hub.sendTo(user.id, this.stateFor(session, policy, user.id, ref));
        return;
      }
      if (!session) {
        const why = this.deps.media.unavailable();
        if (why) throw new DomainError('conflict', why);
        session = await this.openSession(interactionId, live.agentId, policy);
      }
      const listener: Listener = { userId: user.id, username: user.username, displayName: user.displayName, role: user.role, since: this.now() };
      session.listeners.set(user.id, listener);
      await core.sensitive.auditRead(user, marked, 'live_audio');
      await this.deps.audit.append({
        actor: { id: user.id, username: user.username },
        action: AuditAction.monitoringStarted,
        target: interactionId,
        details: { interactionId, agentId: session.agentId, agent: session.agentName, roomId: session.room.id, paused: this.holds(policy, interactionId), noticeShown: policy.showNoticeToAgent },
      });
      this.hub.sendTo(session.agentId, this.publishFrame(session, policy));
      this.hub.sendTo(user.id, this.stateFor(session, policy, user.id, ref));
    });
  }

  /** A listener switches to listen, whisper or barge (monitor-voice.ts checks the policy and audits it). */
  switchMode(principal: Principal, interactionId: string, mode: MonitorMode, ref?: string): Promise<void> {
    return this.deps.core.run(async () => {
      const session = this.sessions.get(interactionId);
      const listener = session?.listeners.get(principal.id);
      if (!session || !listener) throw new DomainError('conflict', `You are not monitoring call ${interactionId}; start listening first.`);
      const policy = await this.deps.policy.get();
      await this.voice.switchMode(session, listener, mode, policy);
      if (this.sessions.get(interactionId) !== session) return;
      this.hub.sendTo(session.agentId, this.publishFrame(session, policy));
      this.hub.sendTo(principal.id, this.stateFor(session, policy, principal.id, ref));
    });
  }

  private async openSession(interactionId: string, agentId: string, policy: MonitoringPolicy): Promise<Session> {
    const agent = await this.deps.core.actor(agentId);
    const holder: { session?: Session } = {};
    const room = await this.deps.media.openRoom({
      interactionId,
      agentId,
      mayProduce: (userId) => userId === agentId && this.sessions.get(interactionId) === holder.session,
      mayConsume: (userId) => holder.session?.listeners.has(userId) === true && this.sessions.get(interactionId) === holder.session,
      onClosed: () => {
        void this.deps.core.background('monitoring room closed', () => {
          if (holder.session && this.sessions.get(interactionId) === holder.session) return this.endSession(holder.session, 'media_closed');
        });
      },
    });
    const session: Session = {
      interactionId,
      agentId,
      agentName: agent.username,
      room,
      listeners: new Map(),
      producing: false,
      speaker: null,
    };
    holder.session = session;
    this.sessions.set(interactionId, session);
    // A call already paused when monitoring starts: the room starts paused.
    if (this.holds(policy, interactionId)) await room.setPaused(true);
    return session;
  }

  stop(principal: Principal, interactionId: string, ref?: string): Promise<void> {
    return this.deps.core.run(async () => {
      const session = this.sessions.get(interactionId);
      if (!session?.listeners.has(principal.id)) throw new DomainError('conflict', `You are not monitoring call ${interactionId}.`);
      await this.removeListener(session, principal.id, 'stopped', ref);
    });
  }

  /** The agent's app says its producer is in the room (live) or that it could not publish. */
  publishState(principal: Principal, interactionId: string, state: 'producing' | 'failed', message?: string): Promise<void> {
    return this.deps.core.run(async () => {
      const session = this.sessions.get(interactionId);
      if (!session) throw new DomainError('conflict', `Nobody is monitoring call ${interactionId}; stop publishing its audio.`);
      if (session.agentId !== principal.id) throw new DomainError('forbidden', `You are not the agent of call ${interactionId}.`);
      if (state === 'failed') return this.endSession(session, 'media_failed', message ? `The agent's app could not send the call audio: ${message}` : undefined);
      session.producing = true;
      const policy = await this.deps.policy.get();
      for (const id of session.listeners.keys()) this.hub.sendTo(id, this.stateFor(session, policy, id));
    });
  }

  // ---------------------------------------------------------------- endings

  private async removeListener(session: Session, userId: string, reason: MonitorEndReason, ref?: string, message?: string): Promise<void> {
    const listener = session.listeners.get(userId);
    if (!listener) return;
    session.listeners.delete(userId);
    await this.voice.release(session, userId);
    await session.room.dropConsumer(userId).catch((err: unknown) => this.deps.log?.error({ err }, 'monitoring: closing a consumer failed'));
    await this.deps.audit.append({
      actor: reason === 'stopped' || reason === 'signed_out' ? { id: userId, username: listener.username } : null,
      action: AuditAction.monitoringStopped,
      target: session.interactionId,
      details: { interactionId: session.interactionId, agentId: session.agentId, listener: listener.username, reason, durationMs: this.now().getTime() - listener.since.getTime() },
    });
    const policy = await this.deps.policy.get();
    this.hub.sendTo(userId, { ...this.stateFor(session, policy, userId, ref), status: 'ended', reason, ...(message ? { message } : {}) });
    if (session.listeners.size === 0) return this.closeSession(session);
    this.hub.sendTo(session.agentId, this.publishFrame(session, policy));
  }

  private async endSession(session: Session, reason: MonitorEndReason, message?: string): Promise<void> {
    for (const userId of [...session.listeners.keys()]) {
      if (this.sessions.get(session.interactionId) !== session) return;
      await this.removeListener(session, userId, reason, undefined, message);
    }
  }

  /** Nobody listens any more: the room closes and the agent's app stops publishing. */
  private async closeSession(session: Session): Promise<void> {
    if (this.sessions.get(session.interactionId) !== session) return;
    this.sessions.delete(session.interactionId);
    await this.voice.release(session);
    await session.room.close().catch((err: unknown) => this.deps.log?.error({ err }, 'monitoring: closing the room failed'));
    this.hub.sendTo(session.agentId, { type: 'monitor.publish', interactionId: session.interactionId, roomId: null, pauseOnSecurePause: false });
  }

  /** Runs inside the interactions queue, as part of the change that ended or moved the call. */
  private async onCall(event: CallLifecycleEvent): Promise<void> {
    if (event.type === 'connected') return;
    const session = this.sessions.get(event.interactionId);
    if (session) await this.endSession(session, event.type === 'ended' ? 'call_ended' : 'transferred');
  }

  /**
   * A call being listened to was marked sensitive (or its category changed), inside the change that
   * did it: a listener who may not open it stops at once; one who may goes on, audited as a read.
   */
  private async markChanged(event: SensitiveMarkChange): Promise<void> {
    const session = this.sessions.get(event.interactionId);
    if (!session || event.category === null) return;
    const marked = { id: event.interactionId, sensitive_category: event.category };
    const sensitive = this.deps.core.sensitive;
    for (const listener of [...session.listeners.values()]) {
      if (this.sessions.get(event.interactionId) !== session) return;
      const user = { id: listener.userId, username: listener.username, role: listener.role };
      if (await sensitive.maySee(user, marked)) await sensitive.auditRead(user, marked, 'live_audio');
      else await this.removeListener(session, listener.userId, 'sensitive', undefined, SENSITIVE_REFUSAL);
    }
  }

  /** Secure pause changed (its subscriber), inside the interactions queue. */
  async pauseChanged(change: PauseChange): Promise<void> {
    // Ended with the call: monitoring ends with it next (call observer), the audio never let through again.
    if (change.reason === 'call_ended') return;
    const session = this.sessions.get(change.interactionId);
    if (!session) return;
    const policy = await this.deps.policy.get();
    // Under a policy where a pause does not stop monitoring, the audio was never held.
    if (policy.securePauseStopsMonitoring) await this.applyHold(session, policy);
  }

  /** Holds or lets through the room's audio as pause and policy say now; listeners see the change. */
  private async applyHold(session: Session, policy: MonitoringPolicy): Promise<void> {
    await session.room.setPaused(this.holds(policy, session.interactionId));
    for (const id of session.listeners.keys()) this.hub.sendTo(id, this.stateFor(session, policy, id));
  }

  /** A listener who lost their right by a policy change stops at once; the agent's notice follows the policy. */
  private async policyChanged(policy: MonitoringPolicy, before: MonitoringPolicy): Promise<void> {
    await this.deps.core.run(async () => {
      for (const session of [...this.sessions.values()]) {
        const lost = [...session.listeners.values()].filter((l) => !policy.rolesAllowed.includes(l.role));
        for (const l of lost) await this.removeListener(session, l.userId, 'policy', undefined, "The org's monitoring policy no longer lets your role monitor calls.");
        if (this.sessions.get(session.interactionId) !== session) continue;
        // A speaker whose role may no longer whisper or barge goes back to listening.
        for (const l of [...session.listeners.values()]) await this.voice.enforce(session, l, policy);
        // The listeners' switch buttons follow the policy.
        for (const id of session.listeners.keys()) this.hub.sendTo(id, this.stateFor(session, policy, id));
        // A paused call's audio is held or let through when the policy's word on pauses changed.
        if (this.deps.pause.isPaused(session.interactionId) && policy.securePauseStopsMonitoring !== before.securePauseStopsMonitoring) await this.applyHold(session, policy);
        this.hub.sendTo(session.agentId, this.publishFrame(session, policy));
      }
    });
  }

  // ---------------------------------------------------------------- connections

  /** After hello: the agent's window learns what to publish (after a reload); a listener's window where it stands. */
  async connected(principal: Principal, connection: ClientLink): Promise<void> {
    if (!principal.user) return;
    const policy = await this.deps.policy.get();
    for (const session of this.sessions.values()) {
      if (session.agentId === principal.id) connection.send(this.publishFrame(session, policy));
      if (session.listeners.has(principal.id)) connection.send(this.stateFor(session, policy, principal.id));
    }
  }

  /**
   * A connection closed. A listener with no connection left stops listening (the audio went to
   * that window). An agent with none left has no producer: listeners wait for the app to publish again.
   */
  disconnected(principal: Principal, opts: { immediate: boolean }): void {
    if (!principal.user || this.hub.isConnected(principal.id)) return;
    void this.deps.core.background('monitoring disconnect', async () => {
      if (this.hub.isConnected(principal.id)) return;
      const policy = await this.deps.policy.get();
      for (const session of [...this.sessions.values()]) {
        if (session.listeners.has(principal.id)) await this.removeListener(session, principal.id, opts.immediate ? 'signed_out' : 'disconnected');
        if (session.agentId === principal.id && session.producing && this.sessions.get(session.interactionId) === session) {
          session.producing = false;
          for (const id of session.listeners.keys()) this.hub.sendTo(id, this.stateFor(session, policy, id));
        }
      }
    });
  }

  /** Signing out ends every monitoring of that user at once, also from windows still closing. */
  signedOut(userId: string): Promise<void> {
    return this.deps.core.background('monitoring sign-out', async () => {
      for (const session of [...this.sessions.values()]) {
        if (session.listeners.has(userId)) await this.removeListener(session, userId, 'signed_out');
      }
    });
  }

  /**
   * A media request in a monitoring room from someone the room does not allow (not the agent, not a
   * listener): audited, at most once per user, room and message type a minute so a loop cannot flood the log.
   */
  async mediaRefused(roomId: string, user: { id: string; username: string }, messageType: string): Promise<void> {
    const key = `${user.id}|${roomId}|${messageType}`;
    const now = this.now().getTime();
    if ((this.refusals.get(key) ?? 0) > now - 60_000) return;
    this.refusals.set(key, now);
    if (this.refusals.size > 1000) for (const [k, at] of this.refusals) if (at <= now - 60_000) this.refusals.delete(k);
    const interactionId = roomId.split(':')[1] ?? roomId;
    await this.deps.audit.append({ actor: user, action: AuditAction.monitoringRefused, target: interactionId, details: { interactionId, roomId, message: messageType, reason: 'not_allowed' } });
  }

  /** Server shutdown: rooms close with the SFU. */
  dispose(): void {
    this.sessions.clear();
  }

  // ---------------------------------------------------------------- frames

  private publishFrame(session: Session, policy: MonitoringPolicy): MonitorPublishFrame {
    return publishFrame(session, policy);
  }

  private stateFor(session: Session, policy: MonitoringPolicy, userId: string, ref?: string): MonitorStateFrame {
    return stateFrame(session, policy, userId, this.holds(policy, session.interactionId), ref);
  }
}
