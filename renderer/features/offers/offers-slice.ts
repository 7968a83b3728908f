import { type InteractionSummary, type ServerMessageOf } from '../../../shared';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { customerLabel, KIND_LABELS, withdrawnMessage } from './offer-logic';

export interface OfferEntry {
  interaction: InteractionSummary;
  expiresAt: string;
  /** Our clock when the offer arrived, for the countdown bar. */
  receivedAt: number;
  /** What we asked the server to do with it, while waiting for the answer. */
  pending: 'accept' | 'decline' | null;
  error: string | null;
}

/** A short "why did it go away" line left in place of a withdrawn offer for a few seconds. */
export interface OfferNotice {
  interactionId: string;
  text: string;
  at: number;
}

export interface OffersState {
  byId: Readonly<Record<string, OfferEntry>>;
  /** Arrival order, oldest first. */
  order: readonly string[];
  notices: readonly OfferNotice[];
  /** Offers we accepted that the server withdrew as "accepted" before opening them (newest last). */
  accepted: readonly string[];
}

export interface OffersSlice {
  offers: OffersState;
  applyOffer(message: ServerMessageOf<'offer'>): void;
  applyOfferWithdrawn(message: ServerMessageOf<'offer.withdrawn'>): void;
  updateOfferSummary(summary: InteractionSummary): void;
  /** Drops an offer silently (it became an open interaction). */
  removeOffer(interactionId: string): void;
  /** True when this agent accepted the interaction here (so its tab should come to the front). */
  wasAcceptedHere(interactionId: string): boolean;
  acceptOffer(interactionId: string): void;
  declineOffer(interactionId: string): void;
  offerFailed(interactionId: string, message: string): void;
  dismissOfferNotice(interactionId: string): void;
  /** After a reconnect: the server re-sends the offer that is still live, the rest are gone. */
  clearPendingOffers(): void;
  clearOffers(): void;
}

const initialOffers: OffersState = { byId: {}, order: [], notices: [], accepted: [] };

const MAX_ACCEPTED = 20;

/** Keep only the latest few explanations. */
const MAX_NOTICES = 4;

export const createOffersSlice: SliceCreator<OffersSlice> = (deps) => (set, get) => {
  const now = deps.now ?? Date.now;

  const patchOffer = (id: string, patch: Partial<OfferEntry>) =>
    set((s) => {
      const entry = s.offers.byId[id];
      if (!entry) return {};
      return { offers: { ...s.offers, byId: { ...s.offers.byId, [id]: { ...entry, ...patch } } } };
    });

  const without = (offers: OffersState, id: string): OffersState => {
    if (!offers.byId[id]) return offers;
    const byId = { ...offers.byId };
    delete byId[id];
    return { ...offers, byId, order: offers.order.filter((x) => x !== id) };
  };

  const respond = (interactionId: string, type: 'offer.accept' | 'offer.decline') => {
    const entry = get().offers.byId[interactionId];
    if (!entry || entry.pending) return;
    const id = get().sendRequest({ type, interactionId });
    if (id === null) {
      patchOffer(interactionId, { error: 'Not connected. Wait for the connection to come back, then try again.' });
      return;
    }
    patchOffer(interactionId, { pending: type === 'offer.accept' ? 'accept' : 'decline', error: null });
  };

  return {
    offers: initialOffers,

    applyOffer(message) {
      const id = message.interaction.id;
      set((s) => {
        const existing = s.offers.byId[id];
        const entry: OfferEntry = {
          interaction: message.interaction,
          expiresAt: message.expiresAt,
          // A repeated offer (e.g. after a reconnect) keeps its place and the agent's pending action.
          receivedAt: existing?.receivedAt ?? now(),
          pending: existing?.pending ?? null,
          error: existing?.error ?? null,
        };
        return {
          offers: {
            ...s.offers,
            byId: { ...s.offers.byId, [id]: entry },
            order: existing ? s.offers.order : [...s.offers.order, id],
            notices: s.offers.notices.filter((n) => n.interactionId !== id),
          },
        };
      });
    },

    applyOfferWithdrawn(message) {
      const entry = get().offers.byId[message.interactionId];
      if (!entry) return;
      const reason = withdrawnMessage(message.reason, entry.pending);
      set((s) => {
        let offers = without(s.offers, message.interactionId);
        if (message.reason === 'accepted' && entry.pending === 'accept') {
          // interaction.opened follows; remember that this window asked for it.
          offers = { ...offers, accepted: [...offers.accepted, message.interactionId].slice(-MAX_ACCEPTED) };
        }
        if (!reason) return { offers };
        const who = customerLabel(entry.interaction.customer);
        const notice: OfferNotice = {
          interactionId: message.interactionId,
          text: `${reason} (${KIND_LABELS[entry.interaction.kind].toLowerCase()} from ${who})`,
          at: now(),
        };
        return { offers: { ...offers, notices: [...offers.notices, notice].slice(-MAX_NOTICES) } };
      });
    },

    updateOfferSummary(summary) {
      if (!get().offers.byId[summary.id]) return;
      if (summary.status !== 'offered') {
        // Answered, abandoned or moved on: the card no longer applies.
        set((s) => ({ offers: without(s.offers, summary.id) }));
        return;
      }
      patchOffer(summary.id, { interaction: summary });
    },

    removeOffer(interactionId) {
      set((s) => {
        const offers = without(s.offers, interactionId);
        if (!offers.accepted.includes(interactionId)) return offers === s.offers ? {} : { offers };
        return { offers: { ...offers, accepted: offers.accepted.filter((id) => id !== interactionId) } };
      });
    },

    wasAcceptedHere(interactionId) {
      const { offers } = get();
      return offers.byId[interactionId]?.pending === 'accept' || offers.accepted.includes(interactionId);
    },

    acceptOffer(interactionId) {
      respond(interactionId, 'offer.accept');
    },

    declineOffer(interactionId) {
      respond(interactionId, 'offer.decline');
    },

    offerFailed(interactionId, message) {
      patchOffer(interactionId, { pending: null, error: message });
    },

    dismissOfferNotice(interactionId) {
      set((s) => ({ offers: { ...s.offers, notices: s.offers.notices.filter((n) => n.interactionId !== interactionId) } }));
    },

    clearPendingOffers() {
      if (get().offers.order.length === 0) return;
      set((s) => ({ offers: { ...s.offers, byId: {}, order: [] } }));
    },

    clearOffers() {
      set({ offers: initialOffers });
    },
  };
};

// ---- selectors ----

export const selectOffers = (s: AppState) => s.offers;
export const selectOfferCount = (s: AppState) => s.offers.order.length;
