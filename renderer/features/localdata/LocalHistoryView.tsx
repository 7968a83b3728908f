import { memo, useEffect, useRef, useState } from 'react';
import { useAppStore } from '../../app/store-context';
import { type LocalHistoryItem, type LocalInteraction, readHistory, readInteraction } from '../../data/read';
import { selectIsLive } from '../connection/connection-slice';
import { formatDateTime } from '../../app/format';
import { durationRows, timelineRows } from '../history/history-logic';
import { selectHistoryDetail } from '../history/history-slice';
import { KIND_LABELS, customerLabel } from '../offers/offer-logic';
import { RecordingsSection } from '../recording/RecordingPlayer';
import { NotesSection } from './NotesSection';
import { useLocal } from './use-local';

const PAGE = 200;

const STATUS_LABELS: Record<LocalHistoryItem['status'], string> = {
  queued: 'Waiting',
  offered: 'Offered',
  active: 'In progress',
  wrapup: 'Wrap-up',
  closed: 'Closed',
  abandoned: 'Abandoned',
};

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
        <span className={`kind-badge kind-${item.kind}`} data-testid="history-kind">
          {KIND_LABELS[item.kind]}
        </span>
        <span className="history-customer" data-testid="history-customer">
          {customerLabel(item.customer)}
        </span>
        <span className="history-queue muted" data-testid="history-queue">
          {item.queueName}
        </span>
        <span className="history-agent" data-testid="history-agent">
          {item.agentName ?? '—'}
        </span>
        <time className="history-date muted" dateTime={item.createdAt} data-testid="history-date">
          {formatDateTime(item.createdAt)}
        </time>
        <span className="history-disposition" data-testid="history-disposition">
          {item.disposition ?? <span className="muted">{STATUS_LABELS[item.status]}</span>}
          {item.pending && <span className="muted small" data-testid="history-pending"> · waiting to sync</span>}
        </span>
      </button>
    </li>
  );
});

/** Timeline, durations and recordings come from the server only (not cached): shown when online. */
function ServerExtras({ id }: { id: string }) {
  const detail = useAppStore(selectHistoryDetail);
  const data = detail?.id === id && detail.status === 'ready' ? detail.data : null;
  if (!data) return null;
  const timeline = timelineRows(data.createdAt, data.timeline);
  return (
    <>
      <h4>Durations</h4>
      <dl className="detail-durations" data-testid="history-durations">
        {durationRows(data).map((row) => (
          <div key={row.label}>
            <dt>{row.label}</dt>
            <dd>{row.value}</dd>
          </div>
        ))}
      </dl>
      {data.kind === 'call' && <RecordingsSection interactionId={data.id} />}
      {timeline.length > 0 && (
        <>
          <h4>Timeline</h4>
          <ol className="timeline" data-testid="history-timeline">
            {timeline.map((row) => (
              <li key={row.key}>
                <span className="timeline-offset muted small">{row.offset ?? ''}</span>
                <span className="timeline-label">
                  {row.label}
                  {row.actor && <span className="muted"> · {row.actor}</span>}
                  {row.detail && <span className="muted small"> ({row.detail})</span>}
                </span>
                <span className="timeline-lasted muted small">{row.lasted ? `lasted ${row.lasted}` : ''}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}

function Detail({ item }: { item: LocalInteraction }) {
  return (
    <>
      <dl className="detail-facts">
        <div>
          <dt>Kind</dt>
          <dd>{KIND_LABELS[item.kind]}</dd>
        </div>
        <div>
          <dt>Customer</dt>
          <dd>
            {customerLabel(item.customer)}
            {item.customer.email && item.customer.name ? ` · ${item.customer.email}` : ''}
          </dd>
        </div>
        <div>
          <dt>Queue</dt>
          <dd>{item.queueName}</dd>
        </div>
        <div>
          <dt>Agent</dt>
          <dd>{item.agentName ?? '—'}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDateTime(item.createdAt)}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{STATUS_LABELS[item.status]}</dd>
        </div>
      </dl>
      <ServerExtras id={item.id} />
      <h4>Wrap-up</h4>
      {item.wrapup ? (
        <div className="detail-wrapup" data-testid="history-wrapup" data-pending={item.wrapup.pending ? 'true' : 'false'}>
          <p>
            <strong data-testid="history-detail-disposition">{item.wrapup.disposition ?? 'No disposition'}</strong>
            <span className="muted small">
              {' '}
              by {item.wrapup.by}, {formatDateTime(item.wrapup.submittedAt)}
              {item.wrapup.timedOut ? ' (time ran out)' : ''}
              {item.wrapup.late ? ' (arrived after the time ran out)' : ''}
              {item.wrapup.pending ? ' · waiting to sync' : ''}
            </span>
          </p>
          {item.wrapup.notes ? <p className="detail-notes">{item.wrapup.notes}</p> : <p className="muted small">No notes.</p>}
        </div>
      ) : (
        <p className="muted small">{item.disposition ?? 'No wrap-up.'}</p>
      )}
      <NotesSection interactionId={item.id} notes={item.notes} />
      {item.messages.length > 0 && (
        <>
          <h4>Transcript</h4>
          <ol className="chat-log readonly" data-testid="history-transcript">
            {item.messages.map((m) => (
              <li key={m.id} className={`chat-message from-${m.from}`} data-testid="history-message">
                <div className="chat-meta">
                  <span className="chat-author">{m.authorName}</span>
                  <time className="muted small" dateTime={m.at}>
                    {formatDateTime(m.at)}
                  </time>
                </div>
                <p className="chat-text">{m.text}</p>
              </li>
            ))}
          </ol>
        </>
      )}
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
      <section className="card history-list" aria-labelledby="history-title">
        <div className="card-header">
          <h2 id="history-title">History</h2>
          <p className="muted small">
            {canSeeAll ? 'All interactions' : 'Your interactions'}, newest first{total !== undefined ? ` · ${total.toLocaleString('en-US')} on this computer` : ''}
          </p>
        </div>
        <div className="history-head" aria-hidden="true">
          <span>Kind</span>
          <span>Customer</span>
          <span>Queue</span>
          <span>Agent</span>
          <span>Date</span>
          <span>Disposition</span>
        </div>
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
      {detail && <DetailPanel id={detail.id} />}
    </div>
  );
}
