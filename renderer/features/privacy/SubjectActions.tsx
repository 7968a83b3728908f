import { type StoreApi } from 'zustand/vanilla';
import { type RectifyField } from '../../../shared/api/privacy';
import { formatFullDateTime } from '../../app/format';
import { countsText, eraseSummary, storeLabel, sumCounts } from './erase-summary';
import { type PrivacyActions, type PrivacyState, rectifyProblem } from './privacy-store';
import { useStore } from 'zustand';

type Store = StoreApi<PrivacyState & PrivacyActions>;

const FIELD_LABELS: Record<RectifyField, string> = {
  name: 'Name',
  email: 'E-mail',
  phone: 'Phone number',
  text: 'A word or phrase in transcripts and notes',
};

function RectifyForm({ store }: { store: Store }) {
  const rectify = useStore(store, (s) => s.rectify);
  const sending = useStore(store, (s) => s.sending);
  const { setRectify, submitRectify, openRectify } = store.getState();
  const problem = rectifyProblem(rectify);
  return (
    <form
      className="privacy-rectify"
      data-testid="privacy-rectify-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submitRectify();
      }}
    >
      <label>
        <span className="small">What to correct</span>
        <select value={rectify.field} onChange={(e) => setRectify({ field: e.target.value as RectifyField })} data-testid="privacy-rectify-field">
          {(Object.keys(FIELD_LABELS) as RectifyField[]).map((f) => (
            <option key={f} value={f}>
              {FIELD_LABELS[f]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="small">Stored now</span>
        <input type="text" value={rectify.from} onChange={(e) => setRectify({ from: e.target.value })} data-testid="privacy-rectify-from" />
      </label>
      <label>
        <span className="small">Correct value</span>
        <input type="text" value={rectify.to} onChange={(e) => setRectify({ to: e.target.value })} data-testid="privacy-rectify-to" />
      </label>
      <div className="policy-actions">
        <button type="submit" className="button-primary" data-testid="privacy-rectify-submit" disabled={sending !== null || problem !== null}>
          {sending === 'rectify' ? 'Sending…' : 'Correct everywhere'}
        </button>
        <button type="button" className="button-secondary" onClick={() => openRectify(false)}>
          Cancel
        </button>
      </div>
      {problem && rectify.from !== '' && <span className="muted small">{problem}</span>}
      <p className="muted small">The old value is replaced in every store and every agent’s local copy, and kept nowhere.</p>
    </form>
  );
}

function EraseConfirm({ store }: { store: Store }) {
  const found = useStore(store, (s) => s.found);
  const selected = useStore(store, (s) => s.selected);
  const sending = useStore(store, (s) => s.sending);
  const { confirmErase, cancelErase } = store.getState();
  if (found.status !== 'ready') return null;
  const summary = eraseSummary(found.result.matches, selected, formatFullDateTime);
  const everything = selected.size === found.result.matches.length;
  return (
    <div className="privacy-confirm" role="alertdialog" aria-labelledby="privacy-erase-title" data-testid="privacy-erase-dialog">
      <p id="privacy-erase-title">
        <strong data-testid="privacy-erase-summary">{summary.headline}</strong>
      </p>
      <ul className="privacy-erase-list" data-testid="privacy-erase-interactions">
        {summary.interactions.map((i) => (
          <li key={i.id}>{i.label}</li>
        ))}
      </ul>
      {summary.totals.length > 0 && (
        <table className="privacy-counts" data-testid="privacy-erase-counts">
          <tbody>
            {summary.totals.map((c) => (
              <tr key={c.store}>
                <th scope="row">{storeLabel(c.store)}</th>
                <td>{c.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {everything && found.result.elsewhere.some((c) => c.count > 0) && (
        <p className="small">Also erased where the person is mentioned outside these interactions: {countsText(sumCounts([found.result.elsewhere]))}.</p>
      )}
      {!everything && <p className="small">Only the ticked interactions are erased; mentions elsewhere (e.g. audit details) stay.</p>}
      {summary.live > 0 && (
        <p className="inline-error small" data-testid="privacy-erase-live">
          {summary.live} of them {summary.live === 1 ? 'is' : 'are'} still in progress, and the server refuses to erase a live interaction. Untick it, or erase once it ends.
        </p>
      )}
      <div className="policy-actions">
        <button type="button" className="button-danger" data-testid="privacy-erase-confirm" disabled={sending !== null || summary.live > 0} onClick={() => void confirmErase()}>
          {sending === 'erase' ? 'Erasing…' : 'Erase for good'}
        </button>
        <button type="button" className="button-secondary" data-testid="privacy-erase-cancel" onClick={cancelErase}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** What the last action did, or why not; shown also once an erase has cleared the matches. */
export function ActionNotice({ store }: { store: Store }) {
  const notice = useStore(store, (s) => s.notice);
  if (!notice) return null;
  return (
    <p className={notice.tone === 'ok' ? 'muted small' : 'inline-error'} role={notice.tone === 'ok' ? 'status' : 'alert'} data-testid="privacy-action-status">
      {notice.text}
    </p>
  );
}

/** What the officer can do with the ticked matches: export them, correct a value, or erase them. */
export function SubjectActions({ store }: { store: Store }) {
  const found = useStore(store, (s) => s.found);
  const selected = useStore(store, (s) => s.selected);
  const sending = useStore(store, (s) => s.sending);
  const confirming = useStore(store, (s) => s.confirmingErase);
  const rectifyOpen = useStore(store, (s) => s.rectify.open);
  const { exportData, openRectify, openErase } = store.getState();
  if (found.status !== 'ready' || found.result.matches.length === 0) return null;
  const none = selected.size === 0;
  const live = found.result.matches.some((m) => m.live && selected.has(m.interactionId));
  return (
    <div className="privacy-actions" data-testid="privacy-actions">
      <div className="policy-actions">
        <button type="button" className="button-secondary" data-testid="privacy-export" disabled={none || sending !== null} onClick={() => void exportData()}>
          {sending === 'export' ? 'Requesting…' : 'Export'}
        </button>
        <button type="button" className="button-secondary" data-testid="privacy-rectify" disabled={none || live || sending !== null} onClick={() => openRectify(!rectifyOpen)}>
          Correct…
        </button>
        <button type="button" className="button-danger" data-testid="privacy-erase" disabled={none || sending !== null} onClick={openErase}>
          Erase…
        </button>
      </div>
      {none && <p className="muted small">Tick at least one interaction to act on.</p>}
      {live && !none && <p className="muted small">An interaction in progress can be exported; correct or erase it once it ends.</p>}
      {rectifyOpen && <RectifyForm store={store} />}
      {confirming && <EraseConfirm store={store} />}
    </div>
  );
}
