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
import { createRecordingStorage } from './storage/create-storage';
import { ffmpegJoiner } from './storage/ffmpeg-joiner';
import { ScreenPolicyRepo } from './screen/screen-policy-repo';
import { ScreenRecordingService } from './screen/screen-recording-service';

export interface RecordingsModule extends ServerModule {
  readonly service: RecordingService;
  readonly screen: ScreenRecordingService;
}

/**
 * Builds the recordings service with its store (disk under `<dataDir>/recordings`, or the S3 bucket
 * of VEILDESK_S3_*), segments joined with ffmpeg. Its start() checks that the store can be reached
 * (a bucket that cannot stops the server with what to fix), then runs after the interactions':
 * recordings a stopped server left open are closed, marked recovered and assembled. The pause messages and the agent's `recording.state`
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
  config: Pick<ServerConfig, 'dataDir' | 'seedDemo' | 'ffmpegPath' | 'recordingMaxBytes' | 'recordingGraceMs' | 'recordingAssemblyDelayMs' | 'recordingsKey' | 'recordingsOldKeys' | 's3'>;
  now?: () => Date;
  log?: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}): RecordingsModule {
  const joiner = ffmpegJoiner(deps.config.ffmpegPath);
  const storage = createRecordingStorage(deps.config, joiner);
  const service = new RecordingService({
    repo: new RecordingsRepo(deps.db),
    storage,
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
  // After the recordings service: it sees each call event first (its frame, then the screen's).
  const screen = new ScreenRecordingService({
    policyRepo: new ScreenPolicyRepo(deps.db),
    repo: new RecordingsRepo(deps.db),
    audit: deps.audit,
    core: deps.core,
    securePause: deps.securePause,
    hub: deps.hub,
    close: (recordingId, at, reason) => service.closeById(recordingId, at, reason),
    ...(deps.now ? { now: deps.now } : {}),
  });
  service.attachScreen(screen);
  deps.childProtection?.observers.push((event) => (event.type === 'flagged' ? service.deleteForChild(event.interactionId) : undefined));
  return {
    name: 'recordings',
    service,
    screen,
    routes: (ctx) => registerRecordingRoutes(ctx, { recordings: service, screen }),
    start: async () => {
      await storage.check?.();
      await service.recover();
    },
    // Before the database closes: assemblies waiting for late chunks to stop coming run now; then the store lets go of its connections.
    stop: async () => {
      await service.stop();
      storage.close?.();
    },
  };
}
