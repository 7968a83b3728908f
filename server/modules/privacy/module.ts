import type { Db } from '../../db/database';
import type { ServerModule } from '../../kernel/module';
import type { AuditLog } from '../audit/audit-log';
import type { InteractionService } from '../interactions/interaction-service';
import type { RecordingService } from '../recordings/recording-service';
import type { ChangeLog } from '../sync/change-log';
import { ExportArchives } from './export/export-archives';
import { PrivacyExporter } from './export/privacy-exporter';
import { PrivacyRectifier } from './rectify/privacy-rectifier';
import type { Purger } from './purge/purger';
import { eraseExecutor } from './requests/erase-executor';
import type { RequestExecutors } from './requests/executor';
import { PrivacyRequests } from './requests/privacy-requests';
import { PrivacyRequestsRepo } from './requests/requests-repo';
import { loadOrCreateReceiptKeys, type ReceiptKeys } from './receipts/receipt-keys';
import { registerPrivacyRoutes } from './routes';
import { SubjectSearch } from './subjects/subject-search';

export interface PrivacyModule extends ServerModule {
  readonly search: SubjectSearch;
  readonly requests: PrivacyRequests;
  /** The purger requests use (retention uses the same one). */
  readonly purger: Purger;
}

/**
 * Privacy requests (issue 14, docs/privacy-model.md): subject search, request records run in the
 * background through executors, signed receipts. All three executors are built: erase (through the
 * purger), export (a streamed zip, export/) and rectify (rectify/, in the interactions queue so no
 * chat write interleaves).
 */
export function createPrivacy(deps: {
  db: Db;
  audit: AuditLog;
  core: InteractionService;
  purger: Purger;
  config: { dataDir: string; organisation?: string };
  /** Recordings' audio for exports (and their assembly when a closed one never was). */
  recordings: Pick<RecordingService, 'storedAudio' | 'assembleQueued'>;
  changeLog: ChangeLog;
  log?: { error(obj: object, msg: string): void };
}): PrivacyModule {
  const search = new SubjectSearch({ db: deps.db, isLive: (id) => deps.core.live.has(id), dataDir: deps.config.dataDir });
  const archives = new ExportArchives(deps.config.dataDir);
  const exporter = new PrivacyExporter({ db: deps.db, archives, audio: { openAudio: (id) => deps.recordings.storedAudio(id) }, assemble: (id) => deps.recordings.assembleQueued(id) });
  const rectifier = new PrivacyRectifier({ db: deps.db, changeLog: deps.changeLog, isLive: (id) => deps.core.live.has(id), scrubDisk: async () => void (await deps.db.scrub()) });
  const executors: RequestExecutors = {
    erase: eraseExecutor({ purger: deps.purger, search, core: deps.core, dataDir: deps.config.dataDir, actor: () => null }),
    export: (ctx) => exporter.run(ctx),
    rectify: (ctx) => deps.core.run(() => rectifier.run(ctx)),
  };
  const requests = new PrivacyRequests({ db: deps.db, repo: new PrivacyRequestsRepo(deps.db), search, audit: deps.audit, executors, dataDir: deps.config.dataDir, ...(deps.log ? { log: deps.log } : {}) });
  let keys: ReceiptKeys | undefined;
  return {
    name: 'privacy',
    search,
    requests,
    purger: deps.purger,
    routes: (ctx) =>
      registerPrivacyRoutes(ctx, { search, requests, audit: deps.audit, keys: () => (keys ??= loadOrCreateReceiptKeys(deps.config.dataDir)), dataDir: deps.config.dataDir, organisation: deps.config.organisation ?? 'Veildesk' }),
    start: () => requests.recover(),
    stop: () => requests.stop(),
  };
}
