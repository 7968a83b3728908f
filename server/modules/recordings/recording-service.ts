import { randomUUID } from 'node:crypto';
import {
  DEFAULT_REMINDER_AFTER_SECONDS,
  RECORDING_MIME_TYPE,
  type Recording,
  type RecordingPolicy,
} from '../../../shared/api/recordings';
import { DomainError } from '../../kernel/errors';
import type { Hub } from '../../kernel/hub';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import type { InteractionService } from '../interactions/interaction-service';
import type { CallLifecycleEvent } from '../interactions/lifecycle-events';
import type { RecordingStatus, SecurePauseService } from '../secure-pause/secure-pause-service';
import { lateChunkRefusal } from './late-chunks';
import { RecordingAccess, type StaffUser } from './recording-access';
import { RecordingAssembly } from './recording-assembly';
import { recoverRecordings } from './recording-recovery';
import type { RecordingRow, RecordingsRepo } from './recordings-repo';
import type { WebmJoiner } from './storage/ffmpeg-joiner';
import type { RecordingStorage, StoredAudio } from './storage/recording-storage';
import type { ScreenRecordingService } from './screen/screen-recording-service';

export interface RecordingServiceDeps {
  repo: RecordingsRepo;
  storage: RecordingStorage;
  audit: AuditLog;
  /** The interactions core: who is the assigned agent of a call, and the one-change-at-a-time queue. */
  core: InteractionService;
  /** Secure pause (server/modules/secure-pause) owns whether a call is paused; recordings ask it and report to it. */
  securePause: Pick<SecurePauseService, 'isPaused' | 'stateFrame' | 'tellCustomer' | 'intervals' | 'agentIntervals' | 'openInterval' | 'closeLeftOpen' | 'restoreOpen' | 'attachRecording'>;
  hub: () => Hub;
  /** The policy before an admin sets one (the demo org records calls). */
  defaults: RecordingPolicy;
  /** What joins segments (ffmpeg), to say at start-up when it cannot. */
  joiner?: WebmJoiner;
  /** Chunks after the close (late-chunks.ts), the byte quota per recording, the debounce of assemblies. */
  limits?: { graceMs: number; maxBytes: number; assemblyDelayMs: number };
  now?: () => Date;
  log?: { error(obj: object, msg: string): void; warn?(obj: object, msg: string): void };
}

/** What the server keeps in memory for a call being recorded: which recording the agent's app uploads to. */
interface ActiveRecording {
  recordingId: string;
  agentId: string;
}

export function defaultRecordingPolicy(seedDemo: boolean): RecordingPolicy {
  return { recordCalls: seedDemo, agentsMayPlayOwn: false, reminderAfterSeconds: DEFAULT_REMINDER_AFTER_SECONDS };
}

/**
 * Recordings on the server. The agent's app does the recording; this keeps the org's policy,
 * creates a recording when a call connects (one per agent: a transfer closes the first agent's and
 * the next agent gets their own), stores numbered chunks once each, assembles them into one file
 * when the recording closes (recording-assembly.ts) and decides who may play what. Whether a call
 * is paused is secure pause's (server/modules/secure-pause): this tells it which recording a call
 * has and reads the pause intervals from it. Call changes run in the interactions queue, so they
 * never interleave with a pause, a hang-up or a transfer of the same call.
 */
export class RecordingService {
  private readonly active = new Map<string, ActiveRecording>();
  private readonly assembly: RecordingAssembly;
  /** Screen recording (screen/): its rows are recordings of kind `screen`; it says who may see them. */
  private screen: Pick<ScreenRecordingService, 'status' | 'hides'> | null = null;
  /** Reading: metadata, playback and download, and who may see what (recording-access.ts). */
  readonly access: RecordingAccess;

  constructor(private readonly deps: RecordingServiceDeps) {
    this.assembly = new RecordingAssembly({ ...deps, ...(deps.limits ? { assemblyDelayMs: deps.limits.assemblyDelayMs } : {}) });
    this.access = new RecordingAccess({ ...deps, assembly: this.assembly, policy: () => this.policy(), screen: () => this.screen });
    deps.core.callObservers.push((event) => this.onCall(event));
    deps.securePause.attachRecording((interactionId) => this.statusOf(interactionId));
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  attachScreen(screen: Pick<ScreenRecordingService, 'status' | 'hides'>): void {
    this.screen = screen;
  }

  /** Closes a recording (a screen recording at hang-up or transfer) and assembles its file. */
  closeById(recordingId: string, at: Date, reason: string): Promise<void> {
    return this.closeRecording(recordingId, at, reason);
  }

  private get limits() {
    return this.deps.limits ?? { graceMs: 3_600_000, maxBytes: 256 * 1024 * 1024, assemblyDelayMs: 2000 };
  }

  // ---------------------------------------------------------------- policy

  async policy(): Promise<RecordingPolicy> {
    return { ...this.deps.defaults, ...(await this.deps.repo.policy()) };
  }

  async setPolicy(policy: RecordingPolicy, actor: AuditActor): Promise<RecordingPolicy> {
    const before = await this.policy();
    await this.deps.repo.setPolicy(policy, this.now(), actor.username, (trx) =>
      this.deps.audit.appendIn(trx, { actor, action: AuditAction.recordingPolicyChanged, target: 'recording-policy', details: { before, after: policy } }),
    );
    return policy;
  }

  // ---------------------------------------------------------------- calls

  /** Runs inside the interactions queue, as part of the change that connected, ended or moved the call. */
  private async onCall(event: CallLifecycleEvent): Promise<void> {
    switch (event.type) {
      case 'connected':
        return this.callConnected(event.interactionId, event.agentId, event.at);
      case 'ended':
        return this.callEnded(event.interactionId, event.agentId, event.at);
      case 'transferred':
        return this.callTransferred(event.interactionId, event.fromAgentId, event.at);
    }
  }

  private async callConnected(interactionId: string, agentId: string, at: Date): Promise<void> {
    const policy = await this.policy();
    // A child's call is never recorded, whatever the policy says (privacy-model.md, principle 7).
    if (!policy.recordCalls || (await this.deps.core.repo.get(interactionId))?.child_protected) {
      // Not recorded; a pause the call brought from a transfer still holds (monitoring obeys it).
      this.deps.hub().sendTo(agentId, await this.deps.securePause.stateFrame(interactionId));
      await this.deps.securePause.tellCustomer(interactionId);
      return;
    }
    const agent = await this.deps.core.actor(agentId);
    const recordingId = randomUUID();
    await this.deps.repo.insert({
      id: recordingId,
      interaction_id: interactionId,
      agent_id: agentId,
      agent_name: agent.username,
      started_at: at.toISOString(),
      ended_at: null,
      mime_type: RECORDING_MIME_TYPE,
      status: 'recording',
      assembled_bytes: null,
      recovered: 0,
      assembly: null,
      assembly_note: null,
      closed_at: null,
      announced_at: null,
    });
    this.active.set(interactionId, { recordingId, agentId });
    await this.deps.audit.append({
      actor: null,
      action: AuditAction.recordingStarted,
      target: recordingId,
      details: { recordingId, interactionId, agentId, paused: this.deps.securePause.isPaused(interactionId) },
    });
    this.deps.hub().sendTo(agentId, await this.deps.securePause.stateFrame(interactionId));
    await this.deps.securePause.tellCustomer(interactionId);
  }

  /** A pause on at hang-up has already ended with the call (secure pause observes calls before recordings do). */
  private async callEnded(interactionId: string, agentId: string | null, at: Date): Promise<void> {
    const rec = this.active.get(interactionId);
    this.active.delete(interactionId);
    if (rec) await this.closeRecording(rec.recordingId, at, 'call_ended');
    if (agentId) this.deps.hub().sendTo(agentId, { type: 'recording.state', interactionId, recording: false, paused: false });
  }

  /** The first agent's recording ends; the pause stays with the call for whoever takes it next. */
  private async callTransferred(interactionId: string, fromAgentId: string, at: Date): Promise<void> {
    const rec = this.active.get(interactionId);
    this.active.delete(interactionId);
    if (rec) await this.closeRecording(rec.recordingId, at, 'transferred');
    this.deps.hub().sendTo(fromAgentId, { type: 'recording.state', interactionId, recording: false, paused: false });
    // Not recorded until the next agent answers (a new recording then, and a new frame).
    await this.deps.securePause.tellCustomer(interactionId);
  }

  private async closeRecording(recordingId: string, at: Date, reason: string): Promise<void> {
    const row = await this.deps.repo.get(recordingId);
    if (!row || row.status === 'closed') return;
    await this.deps.repo.update(recordingId, { status: 'closed', ended_at: row.ended_at ?? at.toISOString(), closed_at: this.now().toISOString() });
    await this.deps.audit.append({ actor: null, action: AuditAction.recordingClosed, target: recordingId, details: { recordingId, interactionId: row.interaction_id, reason } });
    // Assembly happens outside the interactions queue; reads of the audio wait for it.
    void this.assembly.assemble(recordingId);
  }

  /**
   * The call turned out to be with a child: the recording in progress stops and is deleted, rows
   * and files, and the agent's app is told it is not recorded (its recorder stops; chunks still
   * queued are refused with 404 and dropped). Runs in the interactions queue, as part of the flag.
   */
  async deleteForChild(interactionId: string): Promise<void> {
    const rec = this.active.get(interactionId);
    this.active.delete(interactionId);
    const rows = await this.deps.repo.forInteraction(interactionId);
    for (const row of rows) {
      // In the recording's own queue, so a chunk being stored finishes first and none lands after.
      await this.assembly.queue(row.id).run(async () => {
        await this.deps.repo.remove(row.id);
        await this.deps.storage.remove(row.id);
      });
      await this.deps.audit.append({ actor: null, action: AuditAction.recordingDeleted, target: row.id, details: { recordingId: row.id, interactionId, reason: 'child_protected' } });
    }
    const agentId = rec?.agentId ?? rows.at(-1)?.agent_id;
    if (agentId) this.deps.hub().sendTo(agentId, await this.deps.securePause.stateFrame(interactionId));
    // A chat's customer has no recording line (its screen recording is the agent's side only).
    if (this.deps.core.live.get(interactionId)?.kind !== 'chat') await this.deps.securePause.tellCustomer(interactionId);
  }

  /**
   * A purge (erase, retention) deleted the recording's rows: removes its files, and any row a chunk
   * upload that was mid-way wrote since, in the recording's own queue so no chunk lands after. The
   * agent's app gets 404 for chunks still queued and drops them.
   */
  /** A recording's stored audio, for a person's export (read only; null when there is no file). */
  async storedAudio(recordingId: string): Promise<StoredAudio | null> {
    await this.assembly.flush(recordingId);
    return this.deps.storage.openAudio(recordingId);
  }

  /** Assembles a closed recording after the chunk writes queued for it (an export of one never assembled). */
  assembleQueued(recordingId: string): Promise<void> {
    return this.assembly.assemble(recordingId);
  }

  async removeErased(recordingId: string): Promise<void> {
    await this.assembly.queue(recordingId).run(async () => {
      await this.deps.repo.remove(recordingId);
      await this.deps.storage.remove(recordingId);
    });
  }

  /** For secure pause: the recording being made of the call now, and the reminder the policy sets. */
  private async statusOf(interactionId: string): Promise<RecordingStatus> {
    const rec = this.active.get(interactionId);
    const policy = await this.policy();
    const screen = (await this.screen?.status(interactionId)) ?? null;
    return { recordingId: rec?.recordingId ?? null, reminderAfterSeconds: policy.reminderAfterSeconds, ...(screen ? { screen } : {}) };
  }

  // ---------------------------------------------------------------- chunks

  private async ownRecording(user: StaffUser, recordingId: string): Promise<RecordingRow> {
    const row = recordingId.length <= 64 ? await this.deps.repo.get(recordingId) : undefined;
    if (!row) throw new DomainError('not_found', `No recording ${recordingId.slice(0, 64)}.`);
    if (user.role === 'agent' && row.agent_id !== user.id) throw await this.access.notTheirs(row);
    if (user.role !== 'agent') throw new DomainError('forbidden', 'Only the agent who recorded this call may upload to or close its recording.');
    return row;
  }

  /**
   * Stores a chunk once: a re-upload of the same (recording, segment, seq) is acknowledged and not
   * stored again. After the close only what late-chunks.ts allows is taken, each audited
   * (`recording.chunk_after_close`), and its assembly debounced; a refused one is audited
   * (`recording.chunk_refused`, ids and numbers only). No recording grows past the byte quota.
   */
  async putChunk(user: StaffUser, recordingId: string, segment: number, seq: number, data: Buffer, startedAgoMs?: number): Promise<{ stored: boolean; segment: number; seq: number }> {
    await this.ownRecording(user, recordingId);
    // Stamped on arrival, like a pause: the wait in the recording's queue is not the recorder's.
    const arrived = this.now();
    if (data.length === 0) throw new DomainError('bad_request', 'The chunk is empty: send the bytes of one MediaRecorder chunk as the request body.');
    return this.assembly.queue(recordingId).run(async () => {
      const repo = this.deps.repo;
      // Deleted while this chunk waited its turn (a child's call).
      const row = await repo.get(recordingId);
      if (!row) throw new DomainError('not_found', `No recording ${recordingId}.`);
      if (await repo.hasChunk(recordingId, segment, seq)) return { stored: false, segment, seq };
      // Ids and numbers only: the agent by id (no name), no bytes of the audio.
      const facts = { recordingId, interactionId: row.interaction_id, agentId: user.id, segment, seq, bytes: data.length };
      const refuse = async (reason: string, error: DomainError): Promise<never> => {
        await this.deps.audit.append({ actor: null, action: AuditAction.recordingChunkRefused, target: recordingId, details: { ...facts, reason } });
        throw error;
      };
      const closed = row.status === 'closed';
      if (closed) {
        const refusal = lateChunkRefusal(row, await repo.lastSeqs(recordingId), { segment, seq }, this.now(), this.limits);
        if (refusal) await refuse(refusal.reason, new DomainError('conflict', refusal.message));
      }
      const max = this.limits.maxBytes;
      if ((await repo.storedBytes(recordingId)) + data.length > max) {
        await refuse(
          'quota',
          new DomainError('payload_too_large', `This recording has reached its limit of ${max} bytes (VEILDESK_RECORDING_MAX_BYTES); the chunk was not stored. Ask an administrator to raise the limit if calls this long are expected.`),
        );
      }
      await this.deps.storage.putChunk(recordingId, segment, seq, data);
      const stored = await repo.addChunk(recordingId, segment, seq, data.length, this.now());
      if (stored && seq === 0 && startedAgoMs !== undefined) await this.noteMediaStart(row, segment, arrived, startedAgoMs);
      if (stored && closed) {
        await this.deps.audit.append({ actor: null, action: AuditAction.recordingChunkAfterClose, target: recordingId, details: facts });
        // It waited offline or was in flight at hang-up: it joins the file, one assembly for a burst of them.
        this.assembly.schedule(recordingId);
      }
      return { stored, segment, seq };
    });
  }

  /**
   * Where the file's media starts (`media_offset_ms`, ms after the recording's start): the first
   * segment that stored chunks says it with its seq 0, as "started so many ms before this upload",
   * placed on the server's clock (the app's clock only measures the difference). The file begins
   * with the lowest segment, so a later segment's report does not move it.
   */
  private async noteMediaStart(row: RecordingRow, segment: number, arrived: Date, startedAgoMs: number): Promise<void> {
    if ((row.media_offset_ms ?? null) !== null) return;
    if ((await this.deps.repo.chunks(row.id)).some((c) => c.segment < segment)) return;
    const offset = arrived.getTime() - startedAgoMs - Date.parse(row.started_at);
    // A start before the recording's own (clocks, latency) is its start.
    await this.deps.repo.update(row.id, { media_offset_ms: Math.max(0, Math.round(offset)) });
  }

  /**
   * The agent's app stopped recording; the last seq of each segment lets a missing tail show. The
   * first announcement is final: from then on no chunk beyond it is taken (late-chunks.ts). The
   * same announcement again (a retry) is answered as before; a different one is refused and audited.
   */
  async close(user: StaffUser, recordingId: string, lastSeqs: readonly { segment: number; lastSeq: number }[]): Promise<Recording> {
    const row = await this.ownRecording(user, recordingId);
    const actor = { id: user.id, username: user.username };
    await this.deps.core.run(async () => {
      const repo = this.deps.repo;
      const current = (await repo.get(recordingId)) ?? row;
      const at = this.now().toISOString();
      if (current.announced_at !== null) {
        const known = new Map((await repo.lastSeqs(recordingId)).map((l) => [l.segment, l.last_seq]));
        const changed = lastSeqs.filter((l) => known.get(l.segment) !== l.lastSeq);
        if (changed.length > 0) {
          await this.deps.audit.append({
            actor: null,
            action: AuditAction.recordingCloseRefused,
            target: recordingId,
            details: { recordingId, interactionId: current.interaction_id, agentId: user.id, segments: changed.map((c) => ({ segment: c.segment, lastSeq: c.lastSeq, announced: known.get(c.segment) ?? null })) },
          });
          throw new DomainError('conflict', 'This recording\'s last seqs were announced when it was closed and cannot change. The request was not applied and the refusal is audited.');
        }
      } else if (lastSeqs.length > 0) {
        for (const { segment, lastSeq } of lastSeqs) await repo.announceLastSeq(recordingId, segment, lastSeq);
        await repo.update(recordingId, { announced_at: at });
      }
      if (current.status !== 'closed') {
        if (this.active.get(current.interaction_id)?.recordingId === recordingId) this.active.delete(current.interaction_id);
        await repo.update(recordingId, { status: 'closed', ended_at: at, closed_at: at });
        await this.deps.audit.append({ actor, action: AuditAction.recordingClosed, target: recordingId, details: { recordingId, interactionId: current.interaction_id, reason: 'agent_closed' } });
      }
    });
    // Late chunks waiting for their debounced assembly join the file now; else the file the close made stands.
    await this.assembly.queue(recordingId).idle();
    const after = await this.deps.repo.get(recordingId);
    if (this.assembly.isScheduled(recordingId) || after?.assembled_bytes === null) await this.assembly.assemble(recordingId);
    return this.access.describe(recordingId);
  }

  /** At shutdown: debounced assemblies run now. */
  stop(): Promise<void> {
    return this.assembly.flushAll();
  }

  // ---------------------------------------------------------------- recovery

  /** At start-up, after the interactions': see recoverRecordings. */
  recover(): Promise<{ recovered: number; reassembled: number }> {
    return recoverRecordings({ ...this.deps, pauses: this.deps.securePause, resume: (interactionId, recording) => this.active.set(interactionId, recording) }, this.assembly);
  }
}
