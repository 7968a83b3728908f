import { useLiveQuery } from 'dexie-react-hooks';
import { useRef } from 'react';
import { useAppStore } from '../../app/store-context';
import { type LocalDataSession } from '../../data/local-data';
import { type BackfillProgress } from '../../data/records';
import { selectLocalSession } from './localdata-slice';
import { shareEqual } from './structural-sharing';

/**
 * Live reads of the local database: re-run when the tables they read change, in this tab or any
 * other (Dexie liveQuery). `undefined` while the first answer is on its way. An answer equal to the
 * last one comes back as the same objects (parts that did not change too), so components that
 * compare by identity (React.memo) do not re-render.
 */
export function useLocal<T>(query: (session: LocalDataSession) => Promise<T>, deps: unknown[]): T | undefined {
  const session = useAppStore(selectLocalSession);
  const value = useLiveQuery(() => (session ? query(session) : undefined), [session, ...deps]);
  const kept = useRef(value);
  kept.current = shareEqual(kept.current, value);
  return kept.current;
}

export interface SyncFacts {
  waiting: number;
  backfill: BackfillProgress | null;
  lastError: { message: string; retryInMs: number } | null;
  problems: number;
}

export function useSyncFacts(): SyncFacts | undefined {
  return useLocal(async ({ db }) => {
    const [waiting, chatWaiting, problems, backfill, lastError] = await Promise.all([
      db.outbox.count(),
      db.chatOutbox.count(),
      db.problems.count(),
      db.meta.get('backfill'),
      db.meta.get('lastError'),
    ]);
    return {
      // Synced writes (wrap-ups, notes) and chat messages not acknowledged yet.
      waiting: waiting + chatWaiting,
      problems,
      backfill: (backfill?.value as BackfillProgress | undefined) ?? null,
      lastError: (lastError?.value as SyncFacts['lastError'] | undefined) ?? null,
    };
  }, []);
}
