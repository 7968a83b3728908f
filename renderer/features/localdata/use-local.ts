import { useLiveQuery } from 'dexie-react-hooks';
import { useAppStore } from '../../app/store-context';
import { type LocalDataSession } from '../../data/local-data';
import { type BackfillProgress } from '../../data/records';
import { selectLocalSession } from './localdata-slice';

/**
 * Live reads of the local database: re-run when the tables they read change, in this tab or any
 * other (Dexie liveQuery). `undefined` while the first answer is on its way.
 */
export function useLocal<T>(query: (session: LocalDataSession) => Promise<T>, deps: unknown[]): T | undefined {
  const session = useAppStore(selectLocalSession);
  return useLiveQuery(() => (session ? query(session) : undefined), [session, ...deps]);
}

export interface SyncFacts {
  waiting: number;
  backfill: BackfillProgress | null;
  lastError: { message: string; retryInMs: number } | null;
  problems: number;
}

export function useSyncFacts(): SyncFacts | undefined {
  return useLocal(async ({ db }) => {
    const [waiting, problems, backfill, lastError] = await Promise.all([
      db.outbox.count(),
      db.problems.count(),
      db.meta.get('backfill'),
      db.meta.get('lastError'),
    ]);
    return {
      waiting,
      problems,
      backfill: (backfill?.value as BackfillProgress | undefined) ?? null,
      lastError: (lastError?.value as SyncFacts['lastError'] | undefined) ?? null,
    };
  }, []);
}
