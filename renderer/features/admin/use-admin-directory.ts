import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { AdminUser, Queue } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { ApiError } from '../../net/api-client';
import { fetchAdminQueues } from './queues-api';
import { fetchUsers } from './users-api';

export type DirectoryLoad = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; users: AdminUser[]; queues: Queue[] };

// A change on either screen reloads both (a user's queues are a queue's members).
let version = 0;
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const bump = () => {
  version++;
  for (const listener of listeners) listener();
};

/** Users and queues together (each screen names the other's entries), loaded with the session's token. */
export function useAdminDirectory(): { load: DirectoryLoad; reload(): void; serverUrl: string; token: string | null } {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [load, setLoad] = useState<DirectoryLoad>({ status: 'loading' });
  const attempt = useSyncExternalStore(subscribe, () => version, () => version);

  useEffect(() => {
    if (!token) return;
    let live = true;
    Promise.all([fetchUsers(serverUrl, token), fetchAdminQueues(serverUrl, token)])
      .then(([users, queues]) => live && setLoad({ status: 'ready', users, queues }))
      .catch((err: unknown) => live && setLoad({ status: 'error', message: problemText(err) }));
    return () => {
      live = false;
    };
  }, [serverUrl, token, attempt]);

  const reload = useCallback(() => bump(), []);
  return { load, reload, serverUrl, token };
}

/** What the server said, or a next step when it could not be reached. */
export function problemText(err: unknown): string {
  if (err instanceof ApiError) {
    const detail = err.issues?.map((i) => `${i.path}: ${i.message}`).join('; ');
    return detail ? `${err.message} (${detail})` : err.message;
  }
  return 'Could not reach the server. Check the connection and try again.';
}
