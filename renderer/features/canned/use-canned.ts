import { useCallback, useEffect, useState } from 'react';
import type { CannedResponse } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { ApiError } from '../../net/api-client';
import { listCanned } from './canned-api';

export interface CannedList {
  items: CannedResponse[] | null;
  error: string | null;
  reload(): Promise<void>;
}

/** The signed-in person's replies (the org's and their own), loaded while `active`, fresh each time it turns on. */
export function useCannedResponses(active: boolean): CannedList {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [items, setItems] = useState<CannedResponse[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    if (!token) return;
    try {
      setItems(await listCanned(serverUrl, token));
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not load the replies; check the connection and type / again.');
    }
  }, [serverUrl, token]);
  useEffect(() => {
    if (active) void reload();
  }, [active, reload]);
  return { items, error, reload };
}
