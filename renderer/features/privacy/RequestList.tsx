import { useState } from 'react';
import { type PrivacyRequest } from '../../../shared/api/privacy';
import { formatFullDateTime } from '../../app/format';
import { type PrivacyHttp } from './privacy-api';
import { type RequestList as RequestListApi } from './request-list';
import { STATUS_LABELS, TYPE_LABELS, progressOf, storesText, subjectText } from './request-labels';
import { saveBlob } from './save-file';
import { useStore } from 'zustand';

type Downloads = Pick<PrivacyHttp, 'exportArchive' | 'receipt'>;

function RequestRow({ request: r, http }: { request: PrivacyRequest; http: Downloads }) {
  const [busy, setBusy] = useState<'export' | 'receipt' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const progress = progressOf(r);

  const download = async (what: 'export' | 'receipt') => {
    setBusy(what);
    setError(null);
    try {
      if (what === 'export') saveBlob(await http.exportArchive(r.id), `privacy-export-${r.id}.zip`);
      else saveBlob(new Blob([JSON.stringify(await http.receipt(r.id), null, 2)], { type: 'application/json' }), `privacy-receipt-${r.id}.json`);
    } catch (err) {
      setError(`The ${what === 'export' ? 'archive' : 'receipt'} could not be downloaded: ${err instanceof Error ? err.message : 'the server could not be reached.'} Try again.`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <li className="privacy-request" data-testid="privacy-request-row" data-status={r.status} data-type={r.type} data-request-id={r.id}>
      <div className="privacy-request-head">
        <strong>{TYPE_LABELS[r.type]}</strong>
        <span className={`privacy-status privacy-status-${r.status}`} data-testid="privacy-request-status">
          {STATUS_LABELS[r.status]}
        </span>
        <span className="muted small">
          {formatFullDateTime(r.createdAt)} by {r.requestedBy.username}
          {r.tookMs !== null && ` · took ${r.tookMs < 1000 ? `${Math.round(r.tookMs)} ms` : `${(r.tookMs / 1000).toFixed(1)} s`}`}
        </span>
      </div>
      <span className="small">
        {subjectText(r)} · {r.interactionIds.length} interaction{r.interactionIds.length === 1 ? '' : 's'}
      </span>
      {progress && (
        <div className="privacy-progress" data-testid="privacy-request-progress">
          <progress max={1} value={progress.fraction} aria-label={`${TYPE_LABELS[r.type]} progress`} />
          <span className="muted small">{progress.text}</span>
        </div>
      )}
      {storesText(r) && (
        <span className="muted small" data-testid="privacy-request-counts">
          {storesText(r)}
        </span>
      )}
      {r.status === 'failed' && (
        <p className="inline-error small" role="alert" data-testid="privacy-request-error">
          {r.error ?? 'The request failed. Search again and start a new request.'}
        </p>
      )}
      {r.status === 'completed' && (
        <div className="policy-actions">
          {r.type === 'export' && r.exportReady && (
            <button type="button" className="button-secondary" data-testid="privacy-download" disabled={busy !== null} onClick={() => void download('export')}>
              {busy === 'export' ? 'Downloading…' : 'Download archive (.zip)'}
            </button>
          )}
          <button type="button" className="link-button" data-testid="privacy-receipt" disabled={busy !== null} onClick={() => void download('receipt')}>
            {busy === 'receipt' ? 'Downloading…' : 'Receipt'}
          </button>
        </div>
      )}
      {error && (
        <p className="inline-error small" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/** Every privacy request, newest first as the server sends them; refreshed about once a second while one is open. */
export function RequestList({ list, http }: { list: RequestListApi; http: Downloads }) {
  const status = useStore(list.store, (s) => s.status);
  const requests = useStore(list.store, (s) => s.requests);
  const error = useStore(list.store, (s) => s.error);
  return (
    <div className="privacy-requests" data-testid="privacy-requests">
      {status === 'loading' && <p className="muted">Loading the requests…</p>}
      {status === 'ready' && requests.length === 0 && <p className="muted small">No requests yet. Search for a person above to start one.</p>}
      {requests.length > 0 && (
        <ul className="privacy-request-list">
          {requests.map((r) => (
            <RequestRow key={r.id} request={r} http={http} />
          ))}
        </ul>
      )}
      {error && (
        <div className="policy-actions">
          <p className="inline-error small" role="alert" data-testid="privacy-requests-error">
            {error}
          </p>
          <button type="button" className="button-secondary" onClick={() => void list.refresh()}>
            Refresh
          </button>
        </div>
      )}
      <p className="muted small">Receipts are signed by the server; check one offline with <code>npm run privacy -- verify-receipt FILE</code>.</p>
    </div>
  );
}
