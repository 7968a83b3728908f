import type { ScreenRecordingState } from '../../../shared/api/screen-recordings';
import type { CallRecordingFrame, RecordingStateFrame } from '../../../shared/api/secure-pause';
import type { ClientLink } from '../../kernel/client-link';
import { DomainError } from '../../kernel/errors';
import type { Principal } from '../../kernel/principal';
import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';
import { customerPrincipalId } from '../interactions/customer-tokens';
import type { InteractionService } from '../interactions/interaction-service';
import type { CallLifecycleEvent } from '../interactions/lifecycle-events';
import type { PauseActor, PauseIntervalStore, PauseRow } from './pause-intervals';

/** A call paused now: since when and by whom. */
export interface PauseState {
  since: Date;
  by: PauseActor;
}

/** What subscribers are told, inside the change that made it. */
export interface PauseChange {
  interactionId: string;
  paused: boolean;
  /** `call_ended`: the pause ended with the call (no resume; whatever it protected ends too). */
  reason: 'agent' | 'call_ended';
}

export type PauseSubscriber = (change: PauseChange) => Promise<void> | void;

/** A capture besides the recording that a pause protects (live monitoring, screen recording). */
export interface PauseTarget {
  /** Whether a pause on this call would hold something of this capture now. Asked in the interactions queue. */
  protects(interactionId: string): Promise<boolean> | boolean;
}

/** The call's recording, as the state frame, the audit and the refusal rule need it. */
export interface RecordingStatus {
  /** The recording being made of the call now; null when the call is not recorded. */
  recordingId: string | null;
  /** The paused banner's reminder, from the recording policy. */
  reminderAfterSeconds?: number;
  /** The call's screen recording, when the org records the agent's screen (recordings/screen). */
  screen?: ScreenRecordingState;
}

export interface SecurePauseDeps {
  intervals: PauseIntervalStore;
  audit: Pick<AuditLog, 'append'>;
  /** The interactions core: who is the call's agent, the one-change-at-a-time queue, call events, the hub. */
  core: Pick<InteractionService, 'run' | 'requireParty' | 'actor' | 'hub' | 'callObservers' | 'chatObservers' | 'live'>;
  now?: () => Date;
  log?: { error(obj: object, msg: string): void };
}

const NO_RECORDING: RecordingStatus = { recordingId: null };

/**
 * Secure pause on the server: the one owner of whether a call is paused (since when, by whom).
 * It accepts pause and resume from the call's assigned agent when the pause protects something
 * (the recording, or a target such as live monitoring), stores each interval, audits both
 * (`recording.paused` / `recording.resumed`, names kept from when only recordings paused) and tells
 * its subscribers inside the same change, so what the pause protects stops before the agent hears
 * back. The state lives on the interaction: it outlives a transfer and ends with the call.
 * Everything else asks `isPaused` or subscribes; no other module keeps a copy.
 */
export class SecurePauseService {
  /** Calls paused now. */
  private readonly paused = new Map<string, PauseState>();
  private readonly subscribers: PauseSubscriber[] = [];
  private readonly targets: PauseTarget[] = [];
  private recordingOf: (interactionId: string) => Promise<RecordingStatus> = async () => NO_RECORDING;

  constructor(private readonly deps: SecurePauseDeps) {
    deps.core.callObservers.push((event) => this.onCall(event));
    // A chat is paused only while its screen is recorded (a target); it ends the same way.
    deps.core.chatObservers.push((event) => this.onCall(event));
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  // ---------------------------------------------------------------- who asks

  /** Whether secure pause is on for this call now. */
  isPaused(interactionId: string): boolean {
    return this.paused.has(interactionId);
  }

  /** The call's pause now, if any. */
  stateOf(interactionId: string): PauseState | undefined {
    const state = this.paused.get(interactionId);
    return state ? { since: state.since, by: { ...state.by } } : undefined;
  }

  /** Every stored pause interval of the call, oldest first (a recording shows those within it). */
  intervals(interactionId: string): Promise<PauseRow[]> {
    return this.deps.intervals.of(interactionId);
  }

  /**
   * The pauses an agent made on any of their interactions within a span: what held their screen
   * recording (the agent's app holds it while any of its interactions is paused).
   */
  agentIntervals(agentId: string, from: string, to: string | null): Promise<PauseRow[]> {
    return this.deps.intervals.byActorWithin(agentId, from, to);
  }

  /** At start-up, before any call can be paused again: the interval a stopped process left open on this call, if any. */
  openInterval(interactionId: string): Promise<PauseRow | undefined> {
    return this.deps.intervals.openOf(interactionId);
  }

  /**
   * At start-up on a node that took over the routing lease: a call that goes on stays paused as
   * its open interval says (since when, by whom); the interval stays open.
   */
  restoreOpen(row: PauseRow): void {
    this.paused.set(row.interaction_id, { since: new Date(row.started_at), by: { id: row.actor_id, username: row.actor_name } });
  }

  /** At start-up: ends, at `at`, an interval a stopped process left open (its recording was recovered there). */
  closeLeftOpen(interactionId: string, at: Date): Promise<void> {
    return this.deps.intervals.close(interactionId, at, 'system');
  }

  /**
   * Told of every change, in order, inside the change (the interactions queue): awaited one after
   * another before the agent is answered. A subscriber's failure is logged, never the change's.
   */
  subscribe(subscriber: PauseSubscriber): void {
    this.subscribers.push(subscriber);
  }

  /** Something else on a call a pause protects; a call that none protects, nor a recording, has nothing to pause. */
  addTarget(target: PauseTarget): void {
    this.targets.push(target);
  }

  /** The recordings module says which recording a call has (for the state frame and the audit). */
  attachRecording(recordingOf: (interactionId: string) => Promise<RecordingStatus>): void {
    this.recordingOf = recordingOf;
  }

  // ---------------------------------------------------------------- requests

  pause(principal: Principal, interactionId: string): Promise<void> {
    return this.request(principal, interactionId, true);
  }

  resume(principal: Principal, interactionId: string): Promise<void> {
    return this.request(principal, interactionId, false);
  }

  private request(principal: Principal, interactionId: string, paused: boolean): Promise<void> {
    const core = this.deps.core;
    // The interval is when the agent acted: stamped on arrival, not after waiting in the queue.
    const now = this.now();
    return core.run(async () => {
      const { live } = await core.requireParty(principal, interactionId);
      const what = live.kind === 'call' ? 'Call' : 'Chat';
      if (live.status !== 'active') throw new DomainError('conflict', `${what} ${interactionId} is not connected; there is no recording to pause or resume.`);
      const { recordingId } = await this.recordingOf(interactionId);
      // A pause needs something to protect (the recording, or a target: a chat's screen recording); a resume of a pause on is always allowed.
      const resumingPause = !paused && this.paused.has(interactionId);
      if (!resumingPause && recordingId === null && !(await this.anyTargetProtects(interactionId))) {
        throw new DomainError(
          'conflict',
          live.kind === 'call'
            ? `Call ${interactionId} is not being recorded (the org's policy is off) nor monitored; there is nothing to pause.`
            : `Chat ${interactionId} is not screen recorded; there is nothing to pause.`,
        );
      }
      const isCall = live.kind === 'call';
      const actor = await core.actor(principal.id);
      const current = this.paused.get(interactionId);
      if (paused && !current) {
        this.paused.set(interactionId, { since: now, by: { id: actor.id, username: actor.username } });
        await this.deps.intervals.open(interactionId, now, actor);
        await this.deps.audit.append({ actor, action: AuditAction.recordingPaused, target: interactionId, details: { interactionId, recordingId } });
        await this.tell({ interactionId, paused: true, reason: 'agent' });
        if (isCall) await this.tellCustomer(interactionId);
      } else if (!paused && current) {
        this.paused.delete(interactionId);
        await this.deps.intervals.close(interactionId, now, actor.username);
        await this.deps.audit.append({
          actor,
          action: AuditAction.recordingResumed,
          target: interactionId,
          details: { interactionId, recordingId, pausedMs: now.getTime() - current.since.getTime() },
        });
        await this.tell({ interactionId, paused: false, reason: 'agent' });
        if (isCall) await this.tellCustomer(interactionId);
      }
      // Also the answer to a repeated pause or resume: every window of the agent shows where it stands.
      core.hub.sendTo(principal.id, await this.stateFrame(interactionId));
    });
  }

  private async anyTargetProtects(interactionId: string): Promise<boolean> {
    for (const target of this.targets) if (await target.protects(interactionId)) return true;
    return false;
  }

  private async tell(change: PauseChange): Promise<void> {
    for (const subscriber of this.subscribers) {
      try {
        await subscriber(change);
      } catch (err) {
        this.deps.log?.error({ err, interactionId: change.interactionId }, 'secure pause: a subscriber failed');
      }
    }
  }

  // ---------------------------------------------------------------- calls

  /** Runs inside the interactions queue: hanging up (or ending a chat) while paused ends the pause with it (the recording never resumed). */
  private async onCall(event: CallLifecycleEvent): Promise<void> {
    if (event.type !== 'ended' || !this.paused.has(event.interactionId)) return;
    const { interactionId, at } = event;
    this.paused.delete(interactionId);
    await this.deps.intervals.close(interactionId, at, 'system');
    await this.deps.audit.append({ actor: null, action: AuditAction.recordingResumed, target: interactionId, details: { interactionId, reason: 'call_ended' } });
    await this.tell({ interactionId, paused: false, reason: 'call_ended' });
  }

  // ---------------------------------------------------------------- the agent's windows

  /** `recording.state` for the call: its recording (if any) and its pause. */
  async stateFrame(interactionId: string): Promise<RecordingStateFrame> {
    const { recordingId, reminderAfterSeconds, screen } = await this.recordingOf(interactionId);
    const state = this.paused.get(interactionId);
    return {
      type: 'recording.state',
      interactionId,
      recording: recordingId !== null,
      paused: state !== undefined,
      ...(state ? { pausedSince: state.since.toISOString() } : {}),
      ...(recordingId !== null ? { recordingId } : {}),
      ...(reminderAfterSeconds !== undefined ? { reminderAfterSeconds } : {}),
      ...(screen ? { screen } : {}),
    };
  }

  // ---------------------------------------------------------------- the customer

  /** `call.recording` for the call's customer: recording now, paused, or not recorded; nothing about the agent. */
  async customerFrame(interactionId: string): Promise<CallRecordingFrame> {
    const { recordingId } = await this.recordingOf(interactionId);
    const state = recordingId === null ? 'off' : this.paused.has(interactionId) ? 'paused' : 'recording';
    return { type: 'call.recording', interactionId, state };
  }

  /** Tells the call's customer (every tab of theirs) whether it is recorded now: at connect, pause, resume, a child flag, a transfer. */
  async tellCustomer(interactionId: string): Promise<void> {
    this.deps.core.hub.sendTo(customerPrincipalId(interactionId), await this.customerFrame(interactionId));
  }

  /** After hello: an agent's window learns the state of each of their connected calls, recorded or not, so a pause sent while offline is said again. */
  async connected(principal: Principal, connection: ClientLink): Promise<void> {
    if (principal.role === 'customer') return this.customerConnected(principal, connection);
    if (principal.role !== 'agent') return;
    for (const live of this.deps.core.live.values()) {
      if (live.status !== 'active' || live.agentId !== principal.id) continue;
      if (live.kind === 'call') connection.send(await this.stateFrame(live.id));
      // A chat has a state only while its screen is recorded or it is paused.
      else {
        const frame = await this.stateFrame(live.id);
        if (frame.screen || frame.paused) connection.send(frame);
      }
    }
  }

  /** After a customer's hello (a reload, a reconnect): the recording line of their connected call. */
  private async customerConnected(principal: Principal, connection: ClientLink): Promise<void> {
    const live = principal.interactionId ? this.deps.core.live.get(principal.interactionId) : undefined;
    if (live?.kind === 'call' && live.status === 'active') connection.send(await this.customerFrame(live.id));
  }
}
