import { type InteractionDetail, type InteractionSummary, type SensitiveMark } from '../../../shared';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { ApiError } from '../../net/api-client';
import { appendPage } from './history-logic';

export const HISTORY_PAGE_SIZE = 25;

export interface HistoryDetailState {
  id: string;
  status: 'loading' | 'ready' | 'error';
  data: InteractionDetail | null;
  error: string | null;
}

export interface HistoryState {
  items: readonly InteractionSummary[];
  /** Cursor for the next (older) page; null once everything is listed. */
  nextBefore: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  loadingMore: boolean;
  error: string | null;
  detail: HistoryDetailState | null;
}

export interface HistorySlice {
  history: HistoryState;
  /** Loads the newest page, replacing the list. */
  loadHistory(): Promise<void>;
  loadMoreHistory(): Promise<void>;
  openHistoryDetail(id: string): Promise<void>;
  closeHistoryDetail(): void;
  /** After marking: the open detail and its list row show the mark (null: none). */
  setHistorySensitiveMark(id: string, mark: SensitiveMark | null): void;
  clearHistory(): void;
}

const initialHistory: HistoryState = { items: [], nextBefore: null, status: 'idle', loadingMore: false, error: null, detail: null };

function messageOf(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Something went wrong. Try again.';
}

export const createHistorySlice: SliceCreator<HistorySlice> = (deps) => (set, get) => {
  // Answers to a request that was superseded (a newer load, sign-out) are dropped.
  let listGeneration = 0;
  let detailGeneration = 0;

  const session = () => {
    const { serverUrl, token } = get().auth;
    return token ? { api: deps.createApi(serverUrl), token } : null;
  };

  const patch = (next: Partial<HistoryState>) => set((s) => ({ history: { ...s.history, ...next } }));

  return {
    history: initialHistory,

    async loadHistory() {
      const s = session();
      if (!s) return;
      const generation = ++listGeneration;
      patch({ status: 'loading', error: null, loadingMore: false });
      try {
        const page = await s.api.interactions(s.token, { limit: HISTORY_PAGE_SIZE });
        if (generation !== listGeneration) return;
        patch({ items: page.interactions, nextBefore: page.nextBefore, status: 'ready' });
      } catch (err) {
        if (generation !== listGeneration) return;
        patch({ status: 'error', error: messageOf(err) });
      }
    },

    async loadMoreHistory() {
      const { nextBefore, loadingMore, status } = get().history;
      const s = session();
      if (!s || !nextBefore || loadingMore || status !== 'ready') return;
      const generation = listGeneration;
      patch({ loadingMore: true, error: null });
      try {
        const page = await s.api.interactions(s.token, { limit: HISTORY_PAGE_SIZE, before: nextBefore });
        if (generation !== listGeneration) return;
        set((st) => ({
          history: { ...st.history, items: appendPage(st.history.items, page.interactions), nextBefore: page.nextBefore, loadingMore: false },
        }));
      } catch (err) {
        if (generation !== listGeneration) return;
        patch({ loadingMore: false, error: messageOf(err) });
      }
    },

    async openHistoryDetail(id) {
      const s = session();
      if (!s) return;
      const generation = ++detailGeneration;
      patch({ detail: { id, status: 'loading', data: null, error: null } });
      try {
        const data = await s.api.interaction(s.token, id);
        if (generation !== detailGeneration) return;
        patch({ detail: { id, status: 'ready', data, error: null } });
      } catch (err) {
        if (generation !== detailGeneration) return;
        patch({ detail: { id, status: 'error', data: null, error: messageOf(err) } });
      }
    },

    closeHistoryDetail() {
      detailGeneration += 1;
      patch({ detail: null });
    },

    setHistorySensitiveMark(id, mark) {
      const withMark = <T extends InteractionSummary>(item: T): T => {
        const { sensitive: _old, ...rest } = item;
        return (mark ? { ...rest, sensitive: mark } : rest) as T;
      };
      set((s) => {
        const detail = s.history.detail;
        return {
          history: {
            ...s.history,
            items: s.history.items.map((item) => (item.id === id ? withMark(item) : item)),
            detail: detail?.id === id && detail.data ? { ...detail, data: withMark(detail.data) } : detail,
          },
        };
      });
    },

    clearHistory() {
      listGeneration += 1;
      detailGeneration += 1;
      set({ history: initialHistory });
    },
  };
};

// ---- selectors ----

export const selectHistory = (s: AppState) => s.history;
export const selectHistoryDetail = (s: AppState) => s.history.detail;
