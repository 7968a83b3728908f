import path from 'node:path';
import type { ServerConfig } from '../../config';
import type { Db } from '../../db/database';
import type { Hub } from '../../kernel/hub';
import type { ServerModule } from '../../kernel/module';
import type { AuditLog } from '../audit/audit-log';
import type { ChildProtection } from '../interactions/child-protection';
import type { InteractionService } from '../interactions/interaction-service';
import type { SecurePauseService } from '../secure-pause/secure-pause-service';
import { defaultRecordingPolicy, RecordingService } from './recording-service';
import { RecordingsRepo } from './recordings-repo';
import { registerRecordingRoutes } from './routes';
import { DiskRecordingStorage } from './storage/disk-storage';
import { ffmpegJoiner } from './storage/ffmpeg-joiner';
import { KeyRing } from './storage/key-ring';

export interface RecordingsModule extends ServerModule {
  readonly service: RecordingService;
}

/**
 * Builds the recordings service with disk storage under `<dataDir>/recordings`, segments joined with
 * ffmpeg. Its start() runs after the interactions': recordings a stopped server left open are
 * closed, marked recovered and assembled. The pause messages and the agent's `recording.state`
 * after hello belong to secure pause (server/modules/secure-pause).
 */
export function createRecordings(deps: {
  db: Db;
  audit: AuditLog;
  core: InteractionService;
  /** A child flag mid-call deletes the call's recordings. */
  childProtection?: Pick<ChildProtection, 'observers'>;
  securePause: SecurePauseService;
  hub: () => Hub;
  config: Pick<ServerConfig, 'dataDir' | 'seedDemo' | 'ffmpegPath' | 'recordingMaxBytes' | 'recordingGraceMs' | 'recordingAssemblyDelayMs' | 'recordingsKey' | 'recordingsOldKeys'>;
  now?: () => Date;
  log?: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}): RecordingsModule {
  const joiner = ffmpegJoiner(deps.config.ffmpegPath);
  const service = new RecordingService({
    repo: new RecordingsRepo(deps.db),
    storage: new DiskRecordingStorage(path.join(deps.config.dataDir, 'recordings'), joiner, KeyRing.fromBase64(deps.config.recordingsKey, deps.config.recordingsOldKeys)),
    joiner,
    limits: { graceMs: deps.config.recordingGraceMs, maxBytes: deps.config.recordingMaxBytes, assemblyDelayMs: deps.config.recordingAssemblyDelayMs },
    ...(deps.now ? { now: deps.now } : {}),
    audit: deps.audit,
    core: deps.core,
    securePause: deps.securePause,
    hub: deps.hub,
    defaults: defaultRecordingPolicy(deps.config.seedDemo),
    ...(deps.log ? { log: deps.log } : {}),
  });
  deps.childProtection?.observers.push((event) => (event.type === 'flagged' ? service.deleteForChild(event.interactionId) : undefined));
  return {
    name: 'recordings',
    service,
    routes: (ctx) => registerRecordingRoutes(ctx, { recordings: service }),
    start: async () => {
      await service.recover();
    },
    // Before the database closes: assemblies waiting for late chunks to stop coming run now.
    stop: () => service.stop(),
  };
}
