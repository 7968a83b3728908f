import { randomInt, randomUUID } from 'node:crypto';
import {
  DEFAULT_SCREEN_RECORDING_POLICY,
  SCREEN_RECORDING_MIME_TYPE,
  type ScreenRecordingPolicy,
  type ScreenRecordingState,
} from '../../../../shared/api/screen-recordings';
import type { Role } from '../../../../shared/domain/roles';
import type { Hub } from '../../../kernel/hub';
import { AuditAction } from '../../audit/actions';
import type { AuditActor, AuditLog } from '../../audit/audit-log';
import type { InteractionService } from '../../interactions/interaction-service';
import type { CallLifecycleEvent, ChatLifecycleEvent } from '../../interactions/lifecycle-events';
import type { SecurePauseService } from '../../secure-pause/secure-pause-service';
import type { RecordingRow, RecordingsRepo } from '../recordings-repo';
import type { ScreenPolicyRepo } from './screen-policy-repo';

export interface ScreenRecordingDeps {
  policyRepo: ScreenPolicyRepo;
  repo: RecordingsRepo;
  audit: AuditLog;
  core: InteractionService;
  securePause: Pick<SecurePauseService, 'stateFrame' | 'addTarget'>;
  hub: () => Hub;
  /** Closes a recording and assembles its file (the recordings service's own close). */
  close(recordingId: string, at: Date, reason: string): Promise<void>;
  now?: () => Date;
  /** 0..99, for `sampled` (tests pass their own). */
  draw?: () => number;
}

/**
 * Screen recording on the server. The agent's app captures and encodes; this keeps the org's
 * policy, decides per connected call or accepted chat whether the agent's screen is recorded (a
 * recording row of kind `screen`: chunks, files, erase, retention and export are the recordings
 * module's, unchanged) and tells the agent's windows through `recording.state` (`screen`). Secure
 * pause protects it: it is one of the pause's targets, so a pause with only the screen recorded is
 * accepted (a chat's too), and the agent's app stops it at the source with the audio. Runs in the
 * interactions queue, after the recordings service saw the same call event.
 */
export class ScreenRecordingService {
  private readonly active = new Map<string, { recordingId: string; agentId: string; fps: number }>();

  constructor(private readonly deps: ScreenRecordingDeps) {
    deps.core.callObservers.push((event) => this.onEvent('call', event));
    deps.core.chatObservers.push((event) => this.onEvent('chat', event));
    deps.securePause.addTarget({ protects: (interactionId) => this.active.has(interactionId) });
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async policy(): Promise<ScreenRecordingPolicy> {
    return (await this.deps.policyRepo.get()) ?? DEFAULT_SCREEN_RECORDING_POLICY;
  }

  async setPolicy(policy: ScreenRecordingPolicy, actor: AuditActor): Promise<ScreenRecordingPolicy> {
    const before = await this.policy();
    await this.deps.policyRepo.set(policy, this.now(), actor.username, (trx) =>
      this.deps.audit.appendIn(trx, { actor, action: AuditAction.screenRecordingPolicyChanged, target: 'screen-recording-policy', details: { before, after: policy } }),
    );
    return policy;
  }

  /** Whether this user's role may view screen recordings at all (agents: their own only, checked by the caller). */
  async mayView(role: Role): Promise<boolean> {
    const roles: readonly string[] = (await this.policy()).viewerRoles;
    return roles.includes(role);
  }

  /** Whether `row` (any kind) is hidden from this user: a screen recording their role may not view. */
  async hides(user: { role: Role }, row: Pick<RecordingRow, 'kind'>): Promise<boolean> {
    return row.kind === 'screen' && !(await this.mayView(user.role));
  }

  /** For the state frame: the call's screen recording now, if any (a deleted one, e.g. a child's call, is none). */
  async status(interactionId: string): Promise<ScreenRecordingState | null> {
    const rec = this.active.get(interactionId);
    if (!rec) return null;
    if (!(await this.deps.repo.get(rec.recordingId))) {
      this.active.delete(interactionId);
      return null;
    }
    return { recordingId: rec.recordingId, fps: rec.fps };
  }

  private async onEvent(kind: 'call' | 'chat', event: CallLifecycleEvent | ChatLifecycleEvent): Promise<void> {
    if (event.type === 'connected') return this.connected(kind, event.interactionId, event.agentId, event.at);
    const rec = this.active.get(event.interactionId);
    if (!rec) return;
    this.active.delete(event.interactionId);
    await this.deps.close(rec.recordingId, event.at, event.type === 'ended' ? `${kind}_ended` : 'transferred');
    // A call's agent hears it from the recordings service (its own frame); a chat's from here: the screen recorder stops.
    if (kind === 'chat') this.deps.hub().sendTo(rec.agentId, await this.deps.securePause.stateFrame(event.interactionId));
  }

  private async connected(kind: 'call' | 'chat', interactionId: string, agentId: string, at: Date): Promise<void> {
    const policy = await this.policy();
    if (!(await this.wanted(policy, kind, interactionId))) return;
    const agent = await this.deps.core.actor(agentId);
    const recordingId = randomUUID();
    await this.deps.repo.insert({
      id: recordingId,
      kind: 'screen',
      interaction_id: interactionId,
      agent_id: agentId,
      agent_name: agent.username,
      started_at: at.toISOString(),
      ended_at: null,
      mime_type: SCREEN_RECORDING_MIME_TYPE,
      status: 'recording',
      assembled_bytes: null,
      recovered: 0,
      assembly: null,
      assembly_note: null,
      closed_at: null,
      announced_at: null,
    });
    this.active.set(interactionId, { recordingId, agentId, fps: policy.fps });
    await this.deps.audit.append({ actor: null, action: AuditAction.screenRecordingStarted, target: recordingId, details: { recordingId, interactionId, agentId, mode: policy.mode, kind } });
    this.deps.hub().sendTo(agentId, await this.deps.securePause.stateFrame(interactionId));
  }

  /**
   * The policy's answer for this call or chat: `calls` calls only; `calls_and_chats` both;
   * `sampled` the same share of calls and chats, drawn for each as it connects or is accepted. A
   * child's interaction never (privacy-model.md, principle 7).
   */
  private async wanted(policy: ScreenRecordingPolicy, kind: 'call' | 'chat', interactionId: string): Promise<boolean> {
    if (policy.mode === 'off') return false;
    if (kind === 'chat' && policy.mode === 'calls') return false;
    if ((await this.deps.core.repo.get(interactionId))?.child_protected) return false;
    if (policy.mode === 'sampled') return (this.deps.draw?.() ?? randomInt(100)) < policy.samplePercent;
    return true;
  }
}
