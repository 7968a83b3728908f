import type { Db } from '../../db/database';
import type { Hub } from '../../kernel/hub';
import type { ServerModule } from '../../kernel/module';
import type { AuditLog } from '../audit/audit-log';
import type { Redaction } from '../redaction/redaction-service';
import type { InteractionsModule } from '../interactions/module';
import type { Purger } from '../privacy/purge/purger';
import type { ChangeLog } from './change-log';
import { Erasure } from './erasure';
import { Notes } from './notes';
import { SyncNudger } from './nudger';
import { publishOrgEntities, readSyncSettings, settingsEntities } from './org-entities';
import { SyncPush } from './push';
import { registerSyncRoutes } from './routes';
import { SyncReader } from './sync-reader';
import { WrapupPush } from './wrapup-push';

/**
 * Offline sync (docs/sync.md). The change log is created first and handed to the interactions
 * module as its write hooks (syncWriteHooks); this builds the rest on top of that module.
 */
export function createSync(deps: {
  db: Db;
  log: ChangeLog;
  interactions: InteractionsModule;
  audit: AuditLog;
  hub: () => Hub;
  redaction: Redaction;
  /** Erases (the admin's erase of one interaction, child-protected calls) go through the privacy purger. */
  purger: Purger;
  onError?: (err: unknown) => void;
}): ServerModule {
  const notes = new Notes(deps.log);
  const reader = new SyncReader(deps.db, deps.log);
  const wrapups = new WrapupPush({ db: deps.db, core: deps.interactions.core, wrapups: deps.interactions.wrapups, notes, audit: deps.audit });
  const push = new SyncPush({ db: deps.db, notes, wrapups, redaction: deps.redaction });
  const erasure = new Erasure({ core: deps.interactions.core, purger: deps.purger, audit: deps.audit });
  deps.interactions.childProtection.observers.push((event) => (event.type === 'ended' ? erasure.purgeChildProtected(event.interactionId) : undefined));
  // An admin's queue change reaches the apps' local data like the start-up publish does.
  deps.interactions.core.queueObservers.push(() => publishOrgEntities(deps.db, deps.log, { queues: [...deps.interactions.core.queues.values()] }));
  const nudger = new SyncNudger({ db: deps.db, log: deps.log, hub: deps.hub, ...(deps.onError ? { onError: deps.onError } : {}) });
  return {
    name: 'sync',
    /** Publishes the queues as read at start-up, and the settings (defaults the first time). */
    start: async () => {
      await publishOrgEntities(deps.db, deps.log, { queues: [...deps.interactions.core.queues.values()], settings: settingsEntities(await readSyncSettings(deps.db)) });
    },
    routes: (ctx) => registerSyncRoutes(ctx, { reader, push, erasure, db: deps.db, log: deps.log, audit: deps.audit, sensitive: deps.interactions.sensitive }),
    stop: () => nudger.stop(),
  };
}
