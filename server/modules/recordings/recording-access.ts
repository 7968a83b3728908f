import type { Recording, RecordingPolicy } from '../../../shared/api/recordings';
import type { Role } from '../../../shared/domain/roles';
import { DomainError } from '../../kernel/errors';
import { notTheirs } from '../interactions/not-theirs';
import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';
import type { InteractionService } from '../interactions/interaction-service';
import type { SecurePauseService } from '../secure-pause/secure-pause-service';
import type { PauseRow } from '../secure-pause/pause-intervals';
import type { ByteRange } from './byte-range';
import { toRecording } from './metadata';
import type { RecordingAssembly } from './recording-assembly';
import type { RecordingRow, RecordingsRepo } from './recordings-repo';
import type { RecordingStorage } from './storage/recording-storage';
import type { ScreenRecordingService } from './screen/screen-recording-service';

export interface StaffUser {
  id: string;
  username: string;
  role: Role;
}

export interface RecordingAccessDeps {
  repo: RecordingsRepo;
  storage: RecordingStorage;
  audit: AuditLog;
  core: Pick<InteractionService, 'repo' | 'sensitive'>;
  securePause: Pick<SecurePauseService, 'intervals' | 'agentIntervals'>;
  assembly: RecordingAssembly;
  policy: () => Promise<RecordingPolicy>;
  /** Screen recording says which of its rows a role may not view; null until it is attached. */
  screen: () => Pick<ScreenRecordingService, 'hides'> | null;
  log?: { error(obj: object, msg: string): void };
}

/**
 * Reading recordings: their metadata with the pauses, and their audio or video for playback and
 * download, each after deciding who may see what. Writing (calls, chunks, close) is
 * RecordingService's; this shares its repo, store and assembly queue.
 */
export class RecordingAccess {
  constructor(private readonly deps: RecordingAccessDeps) {}

  async describe(recordingId: string): Promise<Recording> {
    const row = await this.deps.repo.get(recordingId);
    if (!row) throw notFound(recordingId);
    const [chunks, lastSeqs, pauses] = await Promise.all([this.deps.repo.chunks(recordingId), this.deps.repo.lastSeqs(recordingId), this.pausesOf(row)]);
    return toRecording(row, chunks, lastSeqs, pauses);
  }

  /**
   * A call recording's pauses are its call's. A screen recording was held while any of its agent's
   * interactions was paused, so its pauses are the agent's within its span too: without them the
   * player would line the screen up late after another interaction's pause.
   */
  private async pausesOf(row: RecordingRow): Promise<PauseRow[]> {
    if ((row.kind ?? 'audio') !== 'screen') return this.deps.securePause.intervals(row.interaction_id);
    const [own, agents] = await Promise.all([this.deps.securePause.intervals(row.interaction_id), this.deps.securePause.agentIntervals(row.agent_id, row.started_at, row.ended_at)]);
    return [...own, ...agents.filter((p) => !own.some((o) => o.id === p.id))];
  }

  /**
   * Supervisors and admins see every recording; an agent only their own. A call marked sensitive:
   * only its agents, supervisors with the `sensitive` permission and admins (403 otherwise), and
   * each read of its metadata is audited.
   */
  async get(user: StaffUser, recordingId: string): Promise<Recording> {
    const row = recordingId.length <= 64 ? await this.deps.repo.get(recordingId) : undefined;
    if (!row) throw notFound(recordingId);
    if (user.role === 'agent' && row.agent_id !== user.id) throw await this.notTheirs(row);
    if (await this.hidden(user, row)) throw notFound(recordingId);
    const call = await this.sensitiveCall(user, row.interaction_id);
    const recording = await this.describe(recordingId);
    if (call) await this.deps.core.sensitive.auditRead(user, call, 'recording_metadata', { recordingId });
    return recording;
  }

  async list(user: StaffUser, interactionId: string): Promise<Recording[]> {
    const call = await this.sensitiveCall(user, interactionId);
    const rows = await this.deps.repo.forInteraction(interactionId);
    const own = user.role === 'agent' ? rows.filter((r) => r.agent_id === user.id) : rows;
    const visible: RecordingRow[] = [];
    for (const r of own) if (!(await this.hidden(user, r))) visible.push(r);
    const recordings = await Promise.all(visible.map((r) => this.describe(r.id)));
    if (call && recordings.length > 0) await this.deps.core.sensitive.auditRead(user, call, 'recording_metadata');
    return recordings;
  }

  /** Another agent's recording answers like an unknown one (404), unless its call is marked sensitive (403). */
  async notTheirs(row: RecordingRow): Promise<DomainError> {
    const call = await this.deps.core.repo.get(row.interaction_id);
    if (call?.sensitive_category) return notTheirs(call);
    return notFound(row.id);
  }

  /** A screen recording the user's role may not view answers like an unknown recording (404). */
  private async hidden(user: StaffUser, row: RecordingRow): Promise<boolean> {
    return (await this.deps.screen()?.hides(user, row)) === true;
  }

  /** The call's row when it is marked sensitive (after checking the user may see it); undefined when not marked. */
  private async sensitiveCall(user: StaffUser, interactionId: string) {
    const call = interactionId.length <= 64 ? await this.deps.core.repo.get(interactionId) : undefined;
    if (!call || call.sensitive_category === null) return undefined;
    await this.deps.core.sensitive.assertMaySee(user, call);
    return call;
  }

  /**
   * The assembled audio for playback or download: supervisors and admins, or the agent who
   * recorded it when the policy lets agents play their own. Audited as played or downloaded.
   */
  async openAudio(user: StaffUser, recordingId: string, download: boolean, range?: (size: number) => ByteRange | null) {
    const row = recordingId.length <= 64 ? await this.deps.repo.get(recordingId) : undefined;
    if (!row) throw notFound(recordingId);
    if (user.role === 'agent') {
      if (row.agent_id !== user.id) throw await this.notTheirs(row);
      if (row.kind !== 'screen' && !(await this.deps.policy()).agentsMayPlayOwn) throw new DomainError('forbidden', "The org's recording policy does not let agents play recordings; ask a supervisor.");
    }
    if (await this.hidden(user, row)) throw notFound(recordingId);
    const call = await this.sensitiveCall(user, row.interaction_id);
    const assembly = this.deps.assembly;
    await assembly.flush(recordingId);
    await assembly.queue(recordingId).idle();
    if (row.status === 'closed' && row.assembled_bytes === null) await assembly.assemble(recordingId);
    const audio = await this.deps.storage.openAudio(recordingId);
    if (!audio) throw new DomainError('not_found', `Recording ${recordingId} has no audio yet.`);
    const wanted = range?.(audio.size) ?? null;
    const start = wanted?.start ?? 0;
    const end = wanted?.end ?? audio.size - 1;
    // Every block sent is checked before the answer starts: a damaged file is a clear error, never garbage.
    await audio.verify(start, end).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'damaged') this.deps.log?.error({ recordingId }, 'recordings: a stored file failed its integrity check');
      throw err;
    });
    await this.deps.audit.append({
      actor: { id: user.id, username: user.username },
      action: download ? AuditAction.recordingDownloaded : AuditAction.recordingPlayed,
      target: recordingId,
      details: { recordingId, interactionId: row.interaction_id },
    });
    if (call) await this.deps.core.sensitive.auditRead(user, call, 'recording_audio', { recordingId });
    return { stream: audio.stream(start, end), size: audio.size, range: wanted, mimeType: row.mime_type };
  }
}

function notFound(recordingId: string): DomainError {
  return new DomainError('not_found', `No recording ${recordingId.slice(0, 64)}.`);
}
