import { type StoreApi, createStore } from 'zustand/vanilla';
import { type PrivacyRequest, type PrivacyRequestStatus } from '../../../shared/api/privacy';
import { ApiError } from '../../net/api-client';
import { type PrivacyHttp } from './privacy-api';

/** A request still moving (received → searching → working): the list is polled while one is. */
export const isOpenStatus = (status: PrivacyRequestStatus): boolean => status === 'received' || status === 'searching' || status === 'working';

/** About once a second while a request works: progress shows, and a finished erase shows at once. */
export const POLL_MS = 1000;

export interface RequestListState {
  status: 'loading' | 'ready' | 'error';
  requests: PrivacyRequest[];
  /** Why the last refresh failed, with what to do; the list shown is the last one read. */
  error: string | null;
  /** A refresh is scheduled because a request is still open. */
  polling: boolean;
}

export interface RequestList {
  store: StoreApi<RequestListState>;
  /** Reads the list now; keeps polling while any request is open, stops when none is. */
  refresh(): Promise<void>;
  /** The view is shown: read the list (again after a stop). */
  start(): Promise<void>;
  /** The view is gone: no more timers, answers in flight are dropped. */
  stop(): void;
}

export interface RequestListDeps {
  http: Pick<PrivacyHttp, 'list'>;
  /** The server said the session is over: sign out with that message. */
  onUnauthenticated?: () => void;
  pollMs?: number;
}

function failureText(err: unknown, open: boolean): string {
  const why = err instanceof Error ? err.message : 'the server could not be reached.';
  const next = open ? 'It is tried again every second while a request is open; check the connection.' : 'Check the connection, then press Refresh.';
  return `The request list could not be refreshed: ${why} ${next}`;
}

export function createRequestList(deps: RequestListDeps): RequestList {
  const store = createStore<RequestListState>()(() => ({ status: 'loading', requests: [], error: null, polling: false }));
  const pollMs = deps.pollMs ?? POLL_MS;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;
  // A refresh started later wins over one still in flight (an answer can arrive out of order).
  let generation = 0;

  const stopTimer = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };

  const schedule = (requests: readonly PrivacyRequest[]) => {
    stopTimer();
    const open = requests.some((r) => isOpenStatus(r.status));
    if (open && !disposed) timer = setTimeout(() => void refresh(), pollMs);
    store.setState({ polling: open && !disposed });
  };

  async function refresh(): Promise<void> {
    if (disposed) return;
    const mine = ++generation;
    stopTimer();
    try {
      // Newest first, whatever order the server keeps.
      const requests = [...(await deps.http.list())].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      if (disposed || mine !== generation) return;
      store.setState({ status: 'ready', requests, error: null });
      schedule(requests);
    } catch (err) {
      if (disposed || mine !== generation) return;
      if (err instanceof ApiError && err.code === 'unauthenticated') {
        store.setState({ polling: false });
        deps.onUnauthenticated?.();
        return;
      }
      const { requests } = store.getState();
      const open = requests.some((r) => isOpenStatus(r.status));
      store.setState({ status: requests.length > 0 ? 'ready' : 'error', error: failureText(err, open) });
      // Still something open as last seen: keep asking, it may be a passing network hiccup.
      schedule(requests);
    }
  }

  return {
    store,
    refresh,
    start() {
      disposed = false;
      return refresh();
    },
    stop() {
      disposed = true;
      generation += 1;
      stopTimer();
      store.setState({ polling: false });
    },
  };
}
