import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';
import type { InteractionService } from '../interactions/interaction-service';
import type { SecurePauseService } from '../secure-pause/secure-pause-service';
import type { RecordingAssembly } from './recording-assembly';
import type { RecordingsRepo } from './recordings-repo';
import type { WebmJoiner } from './storage/ffmpeg-joiner';

export interface RecoveryDeps {
  repo: RecordingsRepo;
  /** The pause intervals are secure pause's; recovery ends one left open where the recording ends, or keeps it on for a call that goes on. */
  pauses: Pick<SecurePauseService, 'openInterval' | 'closeLeftOpen' | 'restoreOpen'>;
  audit: Pick<AuditLog, 'append'>;
  /** Recovery runs as one change in the interactions queue, after the interactions' own (which says which calls go on). */
  core: Pick<InteractionService, 'run' | 'live'>;
  /** A call that goes on keeps recording into its open recording. */
  resume(interactionId: string, recording: { recordingId: string; agentId: string }): void;
  joiner?: WebmJoiner;
  now?: () => Date;
  log?: { warn?(obj: object, msg: string): void };
}

/**
 * At start-up: recordings the previous process left open (it crashed or was killed mid-call)
 * are closed where their evidence ends (the last chunk, or the open pause's start), marked
 * recovered, audited and assembled; an open pause of theirs is closed there too. Recordings
 * whose segments could not be joined before (no ffmpeg) are assembled again. With several nodes, a
 * call the interactions' recovery resumed (this node took over the routing lease) goes on: its
 * agent's recording stays open and the agent's app keeps uploading to it, and a pause on stays on
 * (what the agent paused must not start recording again because a server died).
 */
export async function recoverRecordings(deps: RecoveryDeps, assembly: RecordingAssembly): Promise<{ recovered: number; reassembled: number }> {
  const repo = deps.repo;
  const recovered = await deps.core.run(async () => {
    const ids: string[] = [];
    const goesOn = new Set([...deps.core.live.values()].filter((l) => l.kind === 'call' && l.status === 'active').map((l) => l.id));
    for (const id of goesOn) {
      const openPause = await deps.pauses.openInterval(id);
      if (openPause) deps.pauses.restoreOpen(openPause);
    }
    for (const row of await repo.open()) {
      if (goesOn.has(row.interaction_id) && deps.core.live.get(row.interaction_id)?.agentId === row.agent_id) {
        deps.resume(row.interaction_id, { recordingId: row.id, agentId: row.agent_id });
        continue;
      }
      const chunks = await repo.chunks(row.id);
      const openPause = goesOn.has(row.interaction_id) ? undefined : await deps.pauses.openInterval(row.interaction_id);
      const evidence = [row.started_at, ...chunks.map((c) => c.received_at), ...(openPause ? [openPause.started_at] : [])].map((t) => Date.parse(t));
      const endedAt = new Date(Math.max(...evidence));
      if (openPause) await deps.pauses.closeLeftOpen(row.interaction_id, endedAt);
      // The grace window for chunks still waiting in the agent's app starts now, not at the evidence's end.
      await repo.update(row.id, { status: 'closed', ended_at: endedAt.toISOString(), recovered: 1, closed_at: (deps.now?.() ?? new Date()).toISOString() });
      await deps.audit.append({
        actor: null,
        action: AuditAction.recordingRecovered,
        target: row.id,
        details: { recordingId: row.id, interactionId: row.interaction_id, reason: 'server_stopped', endedAt: endedAt.toISOString(), chunks: chunks.length, pauseClosed: openPause !== undefined },
      });
      ids.push(row.id);
    }
    return ids;
  });
  const unjoined = (await repo.unjoined()).map((r) => r.id);
  // Said at every start, so a missing ffmpeg shows when the server is deployed, not at the first reload mid-call.
  const joiner = await deps.joiner?.available();
  if (joiner && !joiner.ok) {
    deps.log?.warn?.({ unjoinedRecordings: unjoined.length }, `recordings: segments of a recording (an agent's app reloaded mid-call) cannot be joined into one file: ${joiner.reason}`);
  }
  // In the background, one after another: the server serves meanwhile, and reads of a recording wait for its file.
  const pending = [...recovered, ...unjoined];
  void (async () => {
    for (const id of pending) await assembly.assemble(id);
  })();
  return { recovered: recovered.length, reassembled: unjoined.length };
}
