import { useEffect } from 'react';
import { type InteractionDetail, type InteractionSummary } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { KIND_LABELS, customerLabel } from '../offers/offer-logic';
import { LocalHistoryView } from '../localdata/LocalHistoryView';
import { RecordingsSection } from '../recording/RecordingPlayer';
import { formatDateTime } from '../../app/format';
import { durationRows, timelineRows } from './history-logic';
import { selectHistory, selectHistoryDetail } from './history-slice';

const STATUS_LABELS: Record<InteractionSummary['status'], string> = {
  queued: 'Waiting',
  offered: 'Offered',
  active: 'In progress',
  wrapup: 'Wrap-up',
  closed: 'Closed',
  abandoned: 'Abandoned',
};

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
        </span>
      </button>
    </li>
  );
}

function DetailBody({ detail }: { detail: InteractionDetail }) {
  const timeline = timelineRows(detail.createdAt, detail.timeline);
  return (
    <>
      <dl className="detail-facts">
        <div>
          <dt>Kind</dt>
          <dd>{KIND_LABELS[detail.kind]}</dd>
        </div>
        <div>
          <dt>Customer</dt>
          <dd>
            {customerLabel(detail.customer)}
            {detail.customer.email && detail.customer.name ? ` · ${detail.customer.email}` : ''}
          </dd>
        </div>
        <div>
          <dt>Queue</dt>
          <dd>{detail.queueName}</dd>
        </div>
        <div>
          <dt>Agent</dt>
          <dd>{detail.agentName ?? '—'}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDateTime(detail.createdAt)}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{STATUS_LABELS[detail.status]}</dd>
        </div>
      </dl>

      <h4>Durations</h4>
      <dl className="detail-durations" data-testid="history-durations">
        {durationRows(detail).map((row) => (
          <div key={row.label}>
            <dt>{row.label}</dt>
            <dd>{row.value}</dd>
          </div>
        ))}
      </dl>

      {detail.kind === 'call' && <RecordingsSection interactionId={detail.id} />}

      <h4>Wrap-up</h4>
      {detail.wrapup ? (
        <div className="detail-wrapup" data-testid="history-wrapup">
          <p>
            <strong data-testid="history-detail-disposition">{detail.wrapup.disposition}</strong>
            <span className="muted small">
              {' '}
              by {detail.wrapup.by}, {formatDateTime(detail.wrapup.submittedAt)}
              {detail.wrapup.timedOut ? ' (time ran out)' : ''}
            </span>
          </p>
          {detail.wrapup.notes ? <p className="detail-notes">{detail.wrapup.notes}</p> : <p className="muted small">No notes.</p>}
        </div>
      ) : (
        <p className="muted small">{detail.disposition ?? 'No wrap-up.'}</p>
      )}

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

      {detail.messages.length > 0 && (
        <>
          <h4>Transcript</h4>
          <ol className="chat-log readonly" data-testid="history-transcript">
            {detail.messages.map((m) => (
              <li key={m.seq} className={`chat-message from-${m.from}`} data-testid="history-message">
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
      <section className="card history-list" aria-labelledby="history-title">
        <div className="card-header">
          <h2 id="history-title">History</h2>
          <p className="muted small">{canSeeAll ? 'All interactions' : 'Your interactions'}, newest first</p>
          <button type="button" className="button-secondary" data-testid="history-refresh" onClick={() => void load()} disabled={history.status === 'loading'}>
            Refresh
          </button>
        </div>
        <div className="history-head" aria-hidden="true">
          <span>Kind</span>
          <span>Customer</span>
          <span>Queue</span>
          <span>Agent</span>
          <span>Date</span>
          <span>Disposition</span>
        </div>
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
      <HistoryDetailPanel />
    </div>
  );
}
