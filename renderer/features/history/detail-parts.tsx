import { type ReactNode } from 'react';
import { type InteractionDetail, type InteractionKind, type InteractionStatus } from '../../../shared';
import { formatDateTime } from '../../app/format';
import { KIND_LABELS, customerLabel } from '../offers/offer-logic';
import { durationRows, timelineRows } from './history-logic';
import './history.css';

/**
 * The pieces of a history row and of an interaction's details, shared by the server-backed history
 * (HistoryView) and the local one (LocalHistoryView), which differ only in where the data comes from.
 */

export const STATUS_LABELS: Record<InteractionStatus, string> = {
  queued: 'Waiting',
  offered: 'Offered',
  active: 'In progress',
  wrapup: 'Wrap-up',
  closed: 'Closed',
  abandoned: 'Abandoned',
};

interface InteractionFacts {
  kind: InteractionKind;
  status: InteractionStatus;
  customer: { name?: string; email?: string };
  queueName: string;
  agentName: string | null;
  createdAt: string;
  disposition: string | null;
}

/** The column heads over history rows, shared by the server list and the local (offline) list. */
export function HistoryColumns() {
  return (
    <div className="history-head" aria-hidden="true">
      <span>Kind</span>
      <span>Customer</span>
      <span>Queue</span>
      <span>Agent</span>
      <span>Date</span>
      <span>Disposition</span>
    </div>
  );
}

/** A list row's cells; `extra` follows the disposition (e.g. "waiting to sync"). */
export function HistoryRowCells({ item, extra }: { item: InteractionFacts; extra?: ReactNode }) {
  return (
    <>
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
        {extra}
      </span>
    </>
  );
}

export function DetailFacts({ item }: { item: InteractionFacts }) {
  return (
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
  );
}

/** Wait, talk, hold and total, as the server measured them. */
export function Durations({ detail }: { detail: Pick<InteractionDetail, 'durations' | 'kind'> }) {
  return (
    <>
      <h4>Durations</h4>
      <dl className="detail-durations" data-testid="history-durations">
        {durationRows(detail).map((row) => (
          <div key={row.label}>
            <dt>{row.label}</dt>
            <dd>{row.value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

export function Timeline({ detail }: { detail: Pick<InteractionDetail, 'createdAt' | 'timeline'> }) {
  const rows = timelineRows(detail.createdAt, detail.timeline);
  if (rows.length === 0) return null;
  return (
    <>
      <h4>Timeline</h4>
      <ol className="timeline" data-testid="history-timeline">
        {rows.map((row) => (
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
  );
}

interface WrapupFacts {
  disposition: string | null;
  by: string;
  submittedAt: string;
  timedOut: boolean;
  notes: string;
  /** Arrived after the time ran out (local data knows). */
  late?: boolean;
  /** Written here, not yet synced. */
  pending?: boolean;
}

/** The wrap-up, or the interaction's disposition (or "No wrap-up.") when there is none. */
export function WrapupSummary({ wrapup, disposition }: { wrapup: WrapupFacts | null; disposition: string | null }) {
  if (!wrapup) return <p className="muted small">{disposition ?? 'No wrap-up.'}</p>;
  return (
    <div className="detail-wrapup" data-testid="history-wrapup" data-pending={wrapup.pending ? 'true' : 'false'}>
      <p>
        <strong data-testid="history-detail-disposition">{wrapup.disposition ?? 'No disposition'}</strong>
        <span className="muted small">
          {' '}
          by {wrapup.by}, {formatDateTime(wrapup.submittedAt)}
          {wrapup.timedOut ? ' (time ran out)' : ''}
          {wrapup.late ? ' (arrived after the time ran out)' : ''}
          {wrapup.pending ? ' · waiting to sync' : ''}
        </span>
      </p>
      {wrapup.notes ? <p className="detail-notes">{wrapup.notes}</p> : <p className="muted small">No notes.</p>}
    </div>
  );
}

interface TranscriptLine {
  key: string | number;
  from: 'customer' | 'agent' | 'system';
  authorName: string;
  text: string;
  at: string;
}

/** A past conversation, read-only; nothing when there were no messages. */
export function Transcript({ lines }: { lines: readonly TranscriptLine[] }) {
  if (lines.length === 0) return null;
  return (
    <>
      <h4>Transcript</h4>
      <ol className="chat-log readonly" data-testid="history-transcript">
        {lines.map((m) => (
          <li key={m.key} className={`chat-message from-${m.from}`} data-testid="history-message">
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
  );
}
