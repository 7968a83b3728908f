import { type StoreApi, createStore } from 'zustand/vanilla';
import { type PrivacyRequestType, Replacement, type RectifyField, type SubjectSearchResponse } from '../../../shared/api/privacy';
import { ApiError } from '../../net/api-client';
import { type IdentifierKind, type KindChoice, parseIdentifier, subjectFor } from './identifier';
import { type PrivacyHttp } from './privacy-api';

/** The search box, the matches it found, the ticked ones, and the state of the actions on them. */
export interface PrivacyState {
  text: string;
  choice: KindChoice;
  found:
    | { status: 'idle' }
    | { status: 'searching' }
    | { status: 'error'; message: string }
    | { status: 'ready'; searched: { kind: IdentifierKind; value: string }; result: SubjectSearchResponse };
  /** Interaction ids the actions apply to; every match is ticked after a search. */
  selected: ReadonlySet<string>;
  /** The erase confirmation is open. */
  confirmingErase: boolean;
  rectify: { open: boolean; field: RectifyField; from: string; to: string };
  /** A request being sent. */
  sending: PrivacyRequestType | null;
  /** What the last action did, or why not and what to do. */
  notice: { tone: 'ok' | 'error'; text: string } | null;
}

export interface PrivacyActions {
  setText(text: string): void;
  setChoice(choice: KindChoice): void;
  search(): Promise<void>;
  toggle(interactionId: string): void;
  openErase(): void;
  cancelErase(): void;
  /** Sends the erase with `confirm: true`; only from the open confirmation. */
  confirmErase(): Promise<void>;
  exportData(): Promise<void>;
  openRectify(open: boolean): void;
  setRectify(next: Partial<Pick<PrivacyState['rectify'], 'field' | 'from' | 'to'>>): void;
  submitRectify(): Promise<void>;
}

export interface PrivacyDeps {
  http: Pick<PrivacyHttp, 'search' | 'create'>;
  /** A request was accepted: refresh the request list (it polls while the request works). */
  onRequestCreated(): void;
  onUnauthenticated?: () => void;
}

const SENT: Record<PrivacyRequestType, string> = {
  export: 'Export requested. The archive can be downloaded from the request list when it completes.',
  rectify: 'Correction requested. Its progress shows in the request list.',
  erase: 'Erase requested. Its progress shows in the request list; open apps drop the data within seconds. Search again to check nothing is left.',
};

/** The first problem with the correction as typed, as the server would say it; null when it can go. */
export function rectifyProblem(r: PrivacyState['rectify']): string | null {
  if (r.from.trim() === '') return 'Type the value to replace (as it is stored now).';
  if (r.from === r.to) return 'The new value is the same as the old one.';
  const checked = Replacement.safeParse({ field: r.field, from: r.from, to: r.to });
  return checked.success ? null : 'Values are at most 500 characters.';
}

const why = (err: unknown) => (err instanceof Error ? err.message : 'the server could not be reached.');

export function createPrivacyStore(deps: PrivacyDeps): StoreApi<PrivacyState & PrivacyActions> {
  return createStore<PrivacyState & PrivacyActions>()((set, get) => {
    const failed = (err: unknown, prefix: string) => {
      if (err instanceof ApiError && err.code === 'unauthenticated') deps.onUnauthenticated?.();
      set({ notice: { tone: 'error', text: `${prefix}: ${why(err)} Check it and try again.` } });
    };

    async function send(type: PrivacyRequestType, extra: { replacements?: Replacement[]; confirm?: true } = {}): Promise<boolean> {
      const s = get();
      if (s.found.status !== 'ready' || s.sending) return false;
      const ids = s.found.result.matches.map((m) => m.interactionId);
      set({ sending: type, notice: null });
      try {
        await deps.http.create({ type, subject: subjectFor(s.found.searched, ids, s.selected), ...extra });
        set({ sending: null, notice: { tone: 'ok', text: SENT[type] } });
        deps.onRequestCreated();
        return true;
      } catch (err) {
        set({ sending: null });
        failed(err, `The ${type} was not started`);
        return false;
      }
    }

    return {
      text: '',
      choice: 'auto',
      found: { status: 'idle' },
      selected: new Set(),
      confirmingErase: false,
      rectify: { open: false, field: 'name', from: '', to: '' },
      sending: null,
      notice: null,

      setText: (text) => set({ text }),
      setChoice: (choice) => set({ choice }),

      async search() {
        const parsed = parseIdentifier(get().text, get().choice);
        if (!parsed.ok) {
          set({ found: { status: 'error', message: parsed.message } });
          return;
        }
        set({ found: { status: 'searching' }, selected: new Set(), confirmingErase: false, notice: null });
        try {
          const result = await deps.http.search(parsed.query);
          set({
            found: { status: 'ready', searched: { kind: parsed.kind, value: parsed.value }, result },
            selected: new Set(result.matches.map((m) => m.interactionId)),
            // A rectification starts from what was searched: a name search offers to correct that name.
            rectify: { ...get().rectify, field: parsed.kind === 'interactionId' ? 'name' : parsed.kind, from: parsed.kind === 'interactionId' ? '' : parsed.value },
          });
        } catch (err) {
          if (err instanceof ApiError && err.code === 'unauthenticated') deps.onUnauthenticated?.();
          set({ found: { status: 'error', message: `The search failed: ${why(err)} Check the identifier and the connection, then search again.` } });
        }
      },

      toggle(id) {
        const next = new Set(get().selected);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        set({ selected: next, confirmingErase: false });
      },

      openErase: () => set({ confirmingErase: true, notice: null }),
      cancelErase: () => set({ confirmingErase: false }),

      async confirmErase() {
        if (!get().confirmingErase) return;
        // The matches are being erased: clear them so nothing stale is acted on again.
        if (await send('erase', { confirm: true })) set({ confirmingErase: false, found: { status: 'idle' }, selected: new Set() });
      },

      exportData: async () => void (await send('export')),

      openRectify: (open) => set({ rectify: { ...get().rectify, open } }),
      setRectify: (next) => set({ rectify: { ...get().rectify, ...next } }),

      async submitRectify() {
        const r = get().rectify;
        const problem = rectifyProblem(r);
        if (problem) {
          set({ notice: { tone: 'error', text: problem } });
          return;
        }
        if (await send('rectify', { replacements: [{ field: r.field, from: r.from, to: r.to }] })) set({ rectify: { ...r, open: false } });
      },
    };
  });
}
