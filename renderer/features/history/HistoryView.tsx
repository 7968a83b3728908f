import { useEffect } from 'react';
import { type InteractionDetail, type InteractionSummary } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { LocalHistoryView } from '../localdata/LocalHistoryView';
import { RecordingsSection } from '../recording/RecordingPlayer';
import { ConsentSection } from '../training/ConsentSection';
import { EvaluationSection } from '../evaluations/EvaluationSection';
import { DetailFacts, Durations, HistoryColumns, HistoryRowCells, Timeline, Transcript, WrapupSummary } from './detail-parts';
import { selectHistory, selectHistoryDetail } from './history-slice';
import { OfferHistory } from './OfferHistory';
import { HistorySensitiveSection } from './SensitiveMarkControl';
import './history.css';

function HistoryRow({ item, selected, onOpen }: { item: InteractionSummary; selected: boolean; onOpen(): void }) {
  return (
    <li>
      <button
        type="button"
        className={`history-row${selected ? ' selected' : ''}`}
        data-testid="history-row"
        data-interaction-id={item.id}
        aria-current={selected ? 'true' : undefined}
        onClick={onOpen}
      >
        <HistoryRowCells item={item} />
      </button>
    </li>
  );
}

function DetailBody({ detail }: { detail: InteractionDetail }) {
  return (
    <>
      <DetailFacts item={detail} />
      <HistorySensitiveSection id={detail.id} />
      <ConsentSection interactionId={detail.id} kind={detail.kind} status={detail.status} />
      <EvaluationSection interactionId={detail.id} status={detail.status} />
      <Durations detail={detail} />
      {/* A chat's recordings are its screen recordings (the transcript is above): shown only when there are some. */}
      <RecordingsSection interactionId={detail.id} onlyWhenRecorded={detail.kind === 'chat'} />
      <h4>Wrap-up</h4>
      <WrapupSummary wrapup={detail.wrapup} disposition={detail.disposition} />
      <Timeline detail={detail} />
      <Transcript lines={detail.messages.map((m) => ({ ...m, key: m.seq }))} />
    </>
  );
}

function HistoryDetailPanel() {
  const detail = useAppStore(selectHistoryDetail);
  const close = useAppStore((s) => s.closeHistoryDetail);
  const open = useAppStore((s) => s.openHistoryDetail);
  if (!detail) return null;
  return (
    <section className="card history-detail" data-testid="history-detail" aria-label="Interaction details" aria-busy={detail.status === 'loading'}>
      <div className="card-header">
        <h3>Details</h3>
        <button type="button" className="button-secondary" data-testid="history-detail-close" onClick={close}>
          Back to list
        </button>
      </div>
      {detail.status === 'loading' && <p className="muted">Loading…</p>}
      {detail.status === 'error' && (
        <p className="inline-error" role="alert">
          {detail.error}{' '}
          <button type="button" className="link-button" onClick={() => void open(detail.id)}>
            Try again
          </button>
        </p>
      )}
      {detail.data && <DetailBody detail={detail.data} />}
    </section>
  );
}

/** Past interactions: from the local database when it is open (instant, offline), else from the server. */
export function HistoryView() {
  // While the local data opens, its view waits ("Loading…") rather than asking the server as well.
  const local = useAppStore((s) => s.localData.status === 'ready' || s.localData.status === 'opening');
  return local ? <LocalHistoryView /> : <ServerHistoryView />;
}

/** Past interactions, newest first; agents see their own, supervisors everyone's (the server decides). */
function ServerHistoryView() {
  const history = useAppStore(selectHistory);
  const load = useAppStore((s) => s.loadHistory);
  const loadMore = useAppStore((s) => s.loadMoreHistory);
  const open = useAppStore((s) => s.openHistoryDetail);
  const canSeeAll = useAppStore((s) => s.auth.user?.role !== 'agent');

  // Fresh list every time the view opens: new interactions may have closed meanwhile.
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className={`history-layout${history.detail ? ' has-detail' : ''}`}>
      <div className="history-main">
        <section className="card history-list" aria-labelledby="history-title">
          <div className="card-header">
            <h2 id="history-title">History</h2>
            <p className="muted small">{canSeeAll ? 'All interactions' : 'Your interactions'}, newest first</p>
            <button type="button" className="button-secondary" data-testid="history-refresh" onClick={() => void load()} disabled={history.status === 'loading'}>
              Refresh
            </button>
          </div>
          <HistoryColumns />
          <ul className="history-rows" data-testid="history-list" aria-busy={history.status === 'loading'}>
            {history.items.map((item) => (
              <HistoryRow key={item.id} item={item} selected={history.detail?.id === item.id} onOpen={() => void open(item.id)} />
            ))}
          </ul>
          {history.status === 'loading' && <p className="muted empty">Loading…</p>}
          {history.status === 'ready' && history.items.length === 0 && <p className="muted empty">No interactions yet.</p>}
          {history.error && (
            <p className="inline-error" role="alert" data-testid="history-error">
              {history.error}
            </p>
          )}
          {history.nextBefore && history.status === 'ready' && (
            <button type="button" className="button-secondary load-more" data-testid="history-more" onClick={() => void loadMore()} disabled={history.loadingMore}>
              {history.loadingMore ? 'Loading…' : 'Load more'}
            </button>
          )}
        </section>
        <OfferHistory />
      </div>
      <HistoryDetailPanel />
    </div>
  );
}
