import { useEffect, useRef, useState } from 'react';
import { useAppStore } from '../../app/store-context';
import { customerLabel, KIND_LABELS } from '../offers/offer-logic';
import { selectOffers } from '../offers/offers-slice';

/**
 * Screen readers hear each new offer once ("Incoming call from …, General queue"). Always mounted,
 * so the live region exists before its text changes (a region added with its text is often not read).
 */
export function OfferAnnouncer() {
  const offers = useAppStore(selectOffers);
  const seen = useRef(new Set<string>());
  const [text, setText] = useState('');
  useEffect(() => {
    const fresh = offers.order.filter((id) => !seen.current.has(id));
    seen.current = new Set(offers.order);
    const lines = fresh.flatMap((id) => {
      const entry = offers.byId[id];
      if (!entry) return [];
      const { interaction } = entry;
      return [`Incoming ${KIND_LABELS[interaction.kind].toLowerCase()} from ${customerLabel(interaction.customer)}, ${interaction.queueName} queue.`];
    });
    if (lines.length) setText(lines.join(' '));
  }, [offers]);
  return (
    <div className="visually-hidden" aria-live="assertive" aria-atomic="true" data-testid="offer-announcer">
      {text}
    </div>
  );
}
