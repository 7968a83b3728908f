import { useCallback, useEffect, useState } from 'react';
import type { TrainingItem, TrainingItemDetail } from '../../../shared';
import { formatDateTime } from '../../app/format';
import { useAppStore } from '../../app/store-context';
import { ApiError } from '../../net/api-client';
import { KIND_LABELS } from '../offers/offer-logic';
import { Transcript } from '../history/detail-parts';
import { trainingItem, trainingItems } from './consent-api';
import './training.css';

const say = (err: unknown, fallback: string): string => (err instanceof ApiError ? err.message : fallback);

/**
 * The training library (supervisors, admins): references to ended interactions whose customers
 * agreed to training use. The server checks the consent again at every list and read, so an item
 * whose consent was withdrawn is simply gone at the next refresh.
 */
export function TrainingView() {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [items, setItems] = useState<TrainingItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<TrainingItemDetail | null>(null);

  const load = useCallback(async () => {
    if (!token) return;
    try {
      const list = await trainingItems(serverUrl, token);
      setItems(list);
      setError(null);
      setOpen((current) => (current && list.some((i) => i.id === current.id) ? current : null));
    } catch (err) {
      setError(say(err, 'Could not load the training library.'));
    }
  }, [serverUrl, token]);

  useEffect(() => {
    void load();
  }, [load]);

  const read = async (id: string) => {
    if (!token) return;
    try {
      setOpen(await trainingItem(serverUrl, token, id));
      setError(null);
    } catch (err) {
      setError(say(err, 'Could not open it.'));
      void load();
    }
  };

  return (
    <section className="card" aria-labelledby="training-title">
      <div className="card-header">
        <h2 id="training-title">Training library</h2>
        <p className="muted small">Conversations customers agreed to share for coaching</p>
        <button type="button" className="button-secondary" data-testid="training-refresh" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <ul className="training-items" data-testid="training-list" aria-busy={items === null}>
        {items?.map((item) => (
          <li key={item.id} data-testid="training-item" data-interaction-id={item.interactionId}>
            <span className={`kind-badge kind-${item.kind}`}>{KIND_LABELS[item.kind]}</span>
            <span>{item.what === 'recording' ? 'Recording' : 'Transcript'}</span>
            <span className="muted">{item.queueName}</span>
            <span className="muted small">
              added by {item.addedByName}, {formatDateTime(item.addedAt)}
            </span>
            <button type="button" className="link-button" data-testid="training-open" onClick={() => void read(item.id)}>
              Open
            </button>
          </li>
        ))}
      </ul>
      {items?.length === 0 && <p className="muted empty">Nothing in the library yet. Add an ended conversation from History.</p>}
      {error && (
        <p className="inline-error" role="alert" data-testid="training-list-error">
          {error}
        </p>
      )}
      {open && (
        <div data-testid="training-detail">
          {open.what === 'transcript' ? (
            <Transcript lines={open.messages.map((m) => ({ ...m, key: m.seq }))} />
          ) : (
            <p className="muted small">Recording: play it from the interaction in History ({open.recordingIds.length} part(s)).</p>
          )}
        </div>
      )}
    </section>
  );
}
