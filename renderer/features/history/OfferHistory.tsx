import { useCallback, useEffect, useRef, useState } from 'react';
import { OFFER_OUTCOME_LABELS, type OfferRecord } from '../../../shared';
import { formatDateTime } from '../../app/format';
import { useAppStore } from '../../app/store-context';
import { ApiError } from '../../net/api-client';
import { selectIsLive } from '../connection/connection-slice';
import { KIND_LABELS } from '../offers/offer-logic';
import { fetchOffers } from './offer-history-api';

const PAGE = 25;

interface OffersList {
  items: readonly OfferRecord[];
  nextBefore: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
}

/** Agents' own offer outcomes (or everyone's, for supervisors); with an optional agent name. */
function OfferRow({ offer, showAgent }: { offer: OfferRecord; showAgent: boolean }) {
  return (
    <li className="offer-history-row" data-testid="history-offer-row" data-interaction-id={offer.interactionId} data-outcome={offer.outcome}>
      <span className="history-kind">{KIND_LABELS[offer.kind]}</span>
      <span className="history-queue">{offer.queueName}</span>
      {showAgent && <span className="history-agent">{offer.agentName ?? '—'}</span>}
      <time dateTime={offer.offeredAt} className="muted small">
        {formatDateTime(offer.offeredAt)}
      </time>
      <span className={`offer-outcome outcome-${offer.outcome}`} data-testid="history-offer-reason">
        {OFFER_OUTCOME_LABELS[offer.outcome]}
      </span>
    </li>
  );
}

/**
 * Every offer that ended, newest first, with how it ended (accepted, declined, timed out, withdrawn,
 * taken by another agent): from the server, so only while online. Reloads when an offer of this
 * app comes or goes, so a decline or a timeout shows up without a refresh.
 */
export function OfferHistory() {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const online = useAppStore(selectIsLive);
  const canSeeAll = useAppStore((s) => s.auth.user?.role !== 'agent');
  const offersShown = useAppStore((s) => s.offers.order.length);
  const [list, setList] = useState<OffersList>({ items: [], nextBefore: null, status: 'idle', error: null });
  const generation = useRef(0);

  const load = useCallback(
    async (before?: string) => {
      if (!token) return;
      const mine = ++generation.current;
      setList((l) => ({ ...l, status: 'loading', error: null }));
      try {
        const page = await fetchOffers(serverUrl, token, { limit: PAGE, ...(before ? { before } : {}) });
        if (mine !== generation.current) return;
        setList((l) => ({ items: before ? [...l.items, ...page.offers.filter((o) => !l.items.some((x) => x.id === o.id))] : page.offers, nextBefore: page.nextBefore, status: 'ready', error: null }));
      } catch (err) {
        if (mine !== generation.current) return;
        setList((l) => ({ ...l, status: 'error', error: err instanceof ApiError ? err.message : 'Could not load the offers. Try again.' }));
      }
    },
    [serverUrl, token],
  );

  useEffect(() => {
    if (online) void load();
  }, [load, online, offersShown]);

  return (
    <section className="card offer-history" aria-labelledby="offer-history-title" data-testid="history-offers">
      <div className="card-header">
        <h2 id="offer-history-title">Offers</h2>
        <p className="muted small">{canSeeAll ? 'Every agent’s offers' : 'Offers made to you'} and how each ended, newest first</p>
        <button type="button" className="button-secondary" data-testid="history-offers-refresh" onClick={() => void load()} disabled={!online || list.status === 'loading'}>
          Refresh
        </button>
      </div>
      <ul className="history-rows" data-testid="history-offer-list" aria-busy={list.status === 'loading'}>
        {list.items.map((offer) => (
          <OfferRow key={offer.id} offer={offer} showAgent={canSeeAll} />
        ))}
      </ul>
      {!online && list.items.length === 0 && <p className="muted empty">Offers load when you are back online.</p>}
      {list.status === 'ready' && list.items.length === 0 && <p className="muted empty">No offers yet.</p>}
      {list.error && (
        <p className="inline-error" role="alert">
          {list.error}
        </p>
      )}
      {list.nextBefore && list.status === 'ready' && (
        <button type="button" className="button-secondary load-more" onClick={() => void load(list.nextBefore ?? undefined)}>
          Load more
        </button>
      )}
    </section>
  );
}
