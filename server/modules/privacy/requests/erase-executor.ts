import fsp from 'node:fs/promises';
import type { StoreResult } from '../../../../shared/api/privacy';
import { DomainError } from '../../../kernel/errors';
import type { AuditActor } from '../../audit/audit-log';
import { PURGE_CLASSES } from '../purge/purge-plan';
import type { Purger } from '../purge/purger';
import { subjectDigests } from '../subjects/identifiers';
import { exportArchivePath, type SubjectSearch } from '../subjects/subject-search';
import { PartialFailure, type RequestExecutor } from './executor';

/** Interactions per purge: each batch holds the interactions queue for a moment only. */
const BATCH = 100;

/**
 * Erase: every class of every interaction found (through the purger: rows, recordings' files,
 * tombstones to every local cache), then the archives of earlier export requests about the same
 * person (found by digest). Each batch runs in the interactions queue and checks again that none
 * of its interactions is live. Audit entries stay (ids only; see the receipt's note).
 */
export function eraseExecutor(deps: {
  purger: Purger;
  search: SubjectSearch;
  /** The interactions queue and live set. */
  core: { run<T>(task: () => Promise<T>): Promise<T>; live: ReadonlyMap<string, unknown> };
  dataDir: string;
  actor: (requestId: string) => AuditActor | null;
}): RequestExecutor {
  return async (ctx) => {
    const totals = new Map<string, StoreResult>(deps.purger.stores(PURGE_CLASSES).map((s) => [s, { store: s, found: 0, done: 0 }]));
    const ids = [...ctx.interactionIds];
    const steps = ids.length + 1;
    await ctx.progress(0, steps);
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      const report = await deps.core
        .run(async () => {
          const live = batch.find((id) => deps.core.live.has(id));
          if (live) throw new DomainError('conflict', `Interaction ${live} is still in progress; erase it once it ends.`);
          return deps.purger.purge(batch, PURGE_CLASSES, { actor: deps.actor(ctx.requestId), reason: ctx.requestId, dropFromCaches: true });
        })
        .catch((err: unknown) => {
          throw new PartialFailure(err, [...totals.values()]);
        });
      for (const s of report.stores) {
        const t = totals.get(s.store) ?? { store: s.store, found: 0, done: 0 };
        t.found += s.found;
        t.done += s.done;
        totals.set(s.store, t);
      }
      await ctx.progress(Math.min(i + BATCH, ids.length), steps);
    }
    const earlier = await deps.search.earlierRequests(subjectDigests(ctx.subject), ctx.requestId);
    let found = 0;
    for (const r of earlier.filter((e) => e.type === 'export')) {
      const file = exportArchivePath(deps.dataDir, r.id);
      try {
        await fsp.rm(file);
        found += 1;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    await ctx.progress(steps, steps);
    return [
      ...totals.values(),
      { store: 'privacy-exports', found, done: found },
      { store: 'audit_log', found: 0, done: 0, note: 'kept: audit entries hold ids and counts, never what a customer said or typed' },
    ];
  };
}
