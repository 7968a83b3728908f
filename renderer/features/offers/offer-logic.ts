import { type InteractionKind, type ServerMessageOf } from '../../../shared';

export type WithdrawReason = ServerMessageOf<'offer.withdrawn'>['reason'];

export interface OfferCountdown {
  /** Milliseconds left, never negative. */
  remainingMs: number;
  /** Whole seconds to show, rounded up so "0 s" only appears once time is really up. */
  seconds: number;
  /** 1 → 0 over the offer's lifetime, for a progress bar. */
  fraction: number;
  expired: boolean;
}

/**
 * Time left to answer an offer. `receivedAt` (our clock) bounds the total so a server clock that is
 * ahead of ours cannot make the bar start beyond full.
 */
export function offerCountdown(expiresAt: string, receivedAt: number, now: number): OfferCountdown {
  const deadline = Date.parse(expiresAt);
  if (Number.isNaN(deadline)) return { remainingMs: 0, seconds: 0, fraction: 0, expired: true };
  const remainingMs = Math.max(0, deadline - now);
  const totalMs = Math.max(1, deadline - receivedAt);
  return {
    remainingMs,
    seconds: Math.ceil(remainingMs / 1000),
    fraction: Math.min(1, remainingMs / totalMs),
    expired: remainingMs === 0,
  };
}

/** Why an offer card disappeared, in a few words; null when no explanation is needed. */
export function withdrawnMessage(reason: WithdrawReason, ownAction: 'accept' | 'decline' | null): string | null {
  switch (reason) {
    case 'timeout':
      return 'Offer timed out';
    case 'declined':
      return ownAction === 'decline' ? null : 'Offer declined';
    case 'accepted':
      return ownAction === 'accept' ? null : 'Answered by another agent';
    case 'customer_left':
      return 'The customer left';
    case 'unavailable':
      return 'Offer withdrawn: you are no longer available';
    case 'moved':
      return 'Offer withdrawn: a supervisor moved it';
  }
}

export const KIND_LABELS: Record<InteractionKind, string> = {
  chat: 'Chat',
  call: 'Call',
  message: 'Message',
};

/** What to call a customer who gave no name. */
export function customerLabel(customer: { name?: string | undefined; email?: string | undefined }): string {
  const name = customer.name?.trim();
  if (name) return name;
  const email = customer.email?.trim();
  return email || 'Anonymous customer';
}
