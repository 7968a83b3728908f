import type { Principal } from '../../kernel/principal';
import type { LiveInteraction } from './live';
import { refuse } from './refuse';
import type { InteractionsRepo } from './repo';

export type Side = 'customer' | 'agent';

/**
 * Who the principal is to this interaction, from memory, without waiting: its customer, or its
 * assigned agent. `live` is null when the interaction is not in progress (then call
 * `explainNotLive`). Throws `forbidden` for anyone else.
 */
export function partyOf(inProgress: ReadonlyMap<string, LiveInteraction>, principal: Principal, interactionId: string): { live: LiveInteraction | null; side: Side } {
  const live = inProgress.get(interactionId) ?? null;
  if (principal.role === 'customer') {
    if (principal.interactionId !== interactionId) throw refuse.forbidden('You may only act on your own conversation.');
    return { live, side: 'customer' };
  }
  if (live && live.agentId !== principal.id) {
    const hint = live.offer?.agentId === principal.id ? ' Accept the offer first.' : '';
    throw refuse.forbidden(`You are not the agent assigned to interaction ${interactionId}.${hint}`);
  }
  return { live, side: 'agent' };
}

/** For an interaction not in progress: not_found, conflict (it ended; the principal was a party) or forbidden. */
export async function explainNotLive(repo: Pick<InteractionsRepo, 'get'>, principal: Principal, interactionId: string): Promise<never> {
  const row = await repo.get(interactionId);
  if (!row) throw refuse.notFound(interactionId);
  if (principal.role === 'customer' || row.agent_id === principal.id) {
    throw refuse.conflict(`Interaction ${interactionId} has already ended (${row.status}).`);
  }
  throw refuse.forbidden(`You are not the agent assigned to interaction ${interactionId}.`);
}

/** partyOf for an interaction that must be in progress. */
export async function requireParty(
  inProgress: ReadonlyMap<string, LiveInteraction>,
  repo: Pick<InteractionsRepo, 'get'>,
  principal: Principal,
  interactionId: string,
): Promise<{ live: LiveInteraction; side: Side }> {
  const party = partyOf(inProgress, principal, interactionId);
  if (!party.live) return explainNotLive(repo, principal, interactionId);
  return { live: party.live, side: party.side };
}
