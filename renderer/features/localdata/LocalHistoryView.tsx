import { memo, useEffect, useRef, useState } from 'react';
import { useAppStore } from '../../app/store-context';
import { type LocalHistoryItem, type LocalInteraction, readHistory, readInteraction } from '../../data/read';
import { selectIsLive } from '../connection/connection-slice';
import { DetailFacts, Durations, HistoryColumns, HistoryRowCells, Timeline, Transcript, WrapupSummary } from '../history/detail-parts';
import { selectHistoryDetail } from '../history/history-slice';
import { OfferHistory } from '../history/OfferHistory';
import { HistorySensitiveSection } from '../history/SensitiveMarkControl';
import { RecordingsSection } from '../recording/RecordingPlayer';
import { ConsentSection } from '../training/ConsentSection';
import { EvaluationSection } from '../evaluations/EvaluationSection';
import { NotesSection } from './NotesSection';
import { useLocal } from './use-local';

const PAGE = 200;

/** Memoized: with useLocal's structural sharing, a row re-renders only when its item changed. */
const Row = memo(function Row({ item, selected, onOpen }: { item: LocalHistoryItem; selected: boolean; onOpen(id: string): unknown }) {
  return (
    <li>
      <button
        type="button"
        className={`history-row${selected ? ' selected' : ''}`}
        data-testid="history-row"
        data-interaction-id={item.id}
        data-pending={item.pending ? 'true' : 'false'}
        aria-current={selected ? 'true' : undefined}
        onClick={() => onOpen(item.id)}
      >
        <HistoryRowCells item={item} extra={item.pending && <span className="muted small" data-testid="history-pending"> · waiting to sync</span>} />
      </button>
    </li>
  );
});

/** Timeline, durations and recordings come from the server only (not cached): shown when online. */
function ServerExtras({ id }: { id: string }) {
  const detail = useAppStore(selectHistoryDetail);
  const data = detail?.id === id && detail.status === 'ready' ? detail.data : null;
  if (!data) return null;
  return (
    <>
      <HistorySensitiveSection id={id} />
      <ConsentSection interactionId={data.id} kind={data.kind} status={data.status} />
      <EvaluationSection interactionId={data.id} status={data.status} />
      <Durations detail={data} />
      <RecordingsSection interactionId={data.id} onlyWhenRecorded={data.kind !== 'call'} />
      <Timeline detail={data} />
    </>
  );
}

function Detail({ item }: { item: LocalInteraction }) {
  return (
    <>
      <DetailFacts item={item} />
      <ServerExtras id={item.id} />
      <h4>Wrap-up</h4>
      <WrapupSummary wrapup={item.wrapup} disposition={item.disposition} />
      <NotesSection interactionId={item.id} notes={item.notes} />
      <Transcript lines={item.messages.map((m) => ({ ...m, key: m.id }))} />
    </>
  );
}

function DetailPanel({ id }: { id: string }) {
  const close = useAppStore((s) => s.closeHistoryDetail);
  const session = useAppStore((s) => s.localData.session);
  const online = useAppStore(selectIsLive);
  const item = useLocal(({ db, cipher }) => readInteraction(db, cipher, id), [id]);
  const [fetchError, setFetchError] = useState<string | null>(null);
  const fetched = useRef(new Set<string>());

  // An old transcript the backfill has not reached yet: fetch this one interaction now.
  const needsTranscript = item !== undefined && (item === null || (item.kind !== 'call' && item.messages.length === 0));
  useEffect(() => {
    if (!needsTranscript || !online || !session || fetched.current.has(id)) return;
    fetched.current.add(id);
    session.fetchInteraction(id).then(
      () => setFetchError(null),
      (err: unknown) => setFetchError(err instanceof Error ? err.message : String(err)),
    );
  }, [needsTranscript, online, session, id]);

  return (
    <section className="card history-detail" data-testid="history-detail" aria-label="Interaction details">
      <div className="card-header">
        <h3>Details</h3>
        <button type="button" className="button-secondary" data-testid="history-detail-close" onClick={close}>
          Back to list
        </button>
      </div>
      {item === undefined && <p className="muted">Loading…</p>}
      {item === null && <p className="muted">{online ? 'Loading from the server…' : 'Not on this computer yet; it loads when you are back online.'}</p>}
      {item && <Detail item={item} />}
      {fetchError && <p className="inline-error small">{fetchError}</p>}
    </section>
  );
}

/** History from the local database: instant at start-up, and offline. */
export function LocalHistoryView() {
  const [limit, setLimit] = useState(PAGE);
  const open = useAppStore((s) => s.openHistoryDetail);
  const detail = useAppStore(selectHistoryDetail);
  const online = useAppStore(selectIsLive);
  const canSeeAll = useAppStore((s) => s.auth.user?.role !== 'agent');
  const items = useLocal(({ db, cipher }) => readHistory(db, cipher, limit), [limit]);
  const total = useLocal(({ db }) => db.interactions.count(), []);

  return (
    <div className={`history-layout${detail ? ' has-detail' : ''}`}>
      <div className="history-main">
        <section className="card history-list" aria-labelledby="history-title">
          <div className="card-header">
            <h2 id="history-title">History</h2>
            <p className="muted small">
              {canSeeAll ? 'All interactions' : 'Your interactions'}, newest first{total !== undefined ? ` · ${total.toLocaleString('en-US')} on this computer` : ''}
            </p>
          </div>
          <HistoryColumns />
          <ul className="history-rows" data-testid="history-list" aria-busy={items === undefined}>
            {items?.map((item) => (
              <Row key={item.id} item={item} selected={detail?.id === item.id} onOpen={open} />
            ))}
          </ul>
          {items === undefined && <p className="muted empty">Loading…</p>}
          {items?.length === 0 && <p className="muted empty">{online ? 'No interactions yet.' : 'Nothing on this computer yet.'}</p>}
          {items && total !== undefined && items.length < total && (
            <button type="button" className="button-secondary load-more" data-testid="history-more" onClick={() => setLimit((n) => n + PAGE)}>
              Show older
            </button>
          )}
        </section>
        <OfferHistory />
      </div>
      {detail && <DetailPanel id={detail.id} />}
    </div>
  );
}
