import { useEffect } from 'react';
import { useAppStore } from '../../app/store-context';
import { useNow } from '../../app/use-now';
import { selectIsLive } from '../connection/connection-slice';
import { customerLabel, KIND_LABELS, offerCountdown } from './offer-logic';
import { type OfferEntry, type OfferNotice, selectOffers } from './offers-slice';
import './offers.css';

/** How long "Offer timed out" and the like stay on screen. */
const NOTICE_MS = 6000;

function OfferCard({ offer, now }: { offer: OfferEntry; now: number }) {
  const acceptOffer = useAppStore((s) => s.acceptOffer);
  const declineOffer = useAppStore((s) => s.declineOffer);
  const live = useAppStore(selectIsLive);
  const { interaction } = offer;
  const countdown = offerCountdown(offer.expiresAt, offer.receivedAt, now);
  const who = customerLabel(interaction.customer);
  const titleId = `offer-title-${interaction.id}`;
  const busy = offer.pending !== null;

  return (
    <article
      className={`offer-card offer-${interaction.kind}`}
      data-testid="offer"
      data-interaction-id={interaction.id}
      data-kind={interaction.kind}
      aria-labelledby={titleId}
      // Focused from an offer notification's click (features/alerts/focus-offer.ts).
      tabIndex={-1}
    >
      <div className="offer-main">
        <span className={`kind-badge kind-${interaction.kind}`} data-testid="offer-kind">
          {KIND_LABELS[interaction.kind]}
        </span>
        <div className="offer-text">
          <h3 id={titleId} className="offer-customer" data-testid="offer-customer">
            {who}
          </h3>
          <p className="muted small">
            <span data-testid="offer-queue">{interaction.queueName}</span>
            {interaction.customer.email && interaction.customer.name ? ` · ${interaction.customer.email}` : ''}
          </p>
        </div>
        <div className="offer-countdown" data-testid="offer-countdown" aria-live="off">
          {countdown.expired ? 'Expiring…' : `${countdown.seconds} s`}
        </div>
      </div>
      <div
        className="offer-bar"
        role="progressbar"
        aria-label="Time left to answer"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(countdown.fraction * 100)}
      >
        <span style={{ width: `${countdown.fraction * 100}%` }} />
      </div>
      {offer.error && (
        <p className="inline-error small" role="alert" data-testid="offer-error">
          {offer.error}
        </p>
      )}
      <div className="offer-actions">
        <button
          type="button"
          className="button-accept"
          data-testid="offer-accept"
          onClick={() => acceptOffer(interaction.id)}
          disabled={busy || !live || countdown.expired}
        >
          {offer.pending === 'accept' ? 'Accepting…' : `Accept ${KIND_LABELS[interaction.kind].toLowerCase()}`}
        </button>
        <button
          type="button"
          className="button-secondary"
          data-testid="offer-decline"
          onClick={() => declineOffer(interaction.id)}
          disabled={busy || !live || countdown.expired}
        >
          {offer.pending === 'decline' ? 'Declining…' : 'Decline'}
        </button>
      </div>
    </article>
  );
}

function NoticeLine({ notice }: { notice: OfferNotice }) {
  const dismiss = useAppStore((s) => s.dismissOfferNotice);
  useEffect(() => {
    const timer = setTimeout(() => dismiss(notice.interactionId), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [dismiss, notice.interactionId]);
  return (
    <p className="offer-notice" data-testid="offer-notice">
      {notice.text}
      <button type="button" className="link-button" aria-label="Dismiss" onClick={() => dismiss(notice.interactionId)}>
        ×
      </button>
    </p>
  );
}

/** Incoming offers, shown above every view so none is missed, with a short note when one goes away. */
export function OfferCards() {
  const offers = useAppStore(selectOffers);
  const now = useNow(250);
  if (offers.order.length === 0 && offers.notices.length === 0) return null;
  return (
    <section className="offers" aria-label="Incoming offers">
      {/* New offers are announced by features/alerts/OfferAnnouncer; the ticking countdown is not read out. */}
      {offers.order.map((id) => {
        const offer = offers.byId[id];
        return offer ? <OfferCard key={id} offer={offer} now={now} /> : null;
      })}
      {offers.notices.map((notice) => (
        <NoticeLine key={`${notice.interactionId}-${notice.at}`} notice={notice} />
      ))}
    </section>
  );
}
