import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database';
import type { Hub } from '../../ws/hub';
import type { AuditLog } from '../audit/audit-log';
import type { SessionStore } from '../auth/sessions';
import type { InteractionService } from '../interactions/interaction-service';
import { defaultRecordingPolicy, RecordingService } from './recording-service';
import { RecordingsRepo } from './recordings-repo';
import { registerRecordingRoutes } from './routes';
import { DiskRecordingStorage } from './storage/disk-storage';
import { ffmpegJoiner } from './storage/ffmpeg-joiner';

/** Builds the recordings service with disk storage under `<dataDir>/recordings`, segments joined with ffmpeg. */
export function createRecordings(deps: {
  db: Db;
  audit: AuditLog;
  core: InteractionService;
  hub: () => Hub;
  config: { dataDir: string; seedDemo: boolean; ffmpegPath: string };
  log?: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}): { service: RecordingService; registerRoutes(app: FastifyInstance, sessions: SessionStore): void } {
  const joiner = ffmpegJoiner(deps.config.ffmpegPath);
  const service = new RecordingService({
    repo: new RecordingsRepo(deps.db),
    storage: new DiskRecordingStorage(path.join(deps.config.dataDir, 'recordings'), joiner),
    joiner,
    audit: deps.audit,
    core: deps.core,
    hub: deps.hub,
    defaults: defaultRecordingPolicy(deps.config.seedDemo),
    ...(deps.log ? { log: deps.log } : {}),
  });
  return { service, registerRoutes: (app, sessions) => registerRecordingRoutes(app, { sessions, recordings: service }) };
}
