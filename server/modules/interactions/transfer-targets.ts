import type { TransferTargetAgent } from '../../../shared/api/interactions-http';
import type { Principal } from '../../kernel/principal';
import { activityOf } from './board';
import type { InteractionService } from './interaction-service';
import { refuse } from './refuse';

/**
 * The agents an interaction in progress can go to by name, with their live state (agents get no
 * roster, so this is how the one handling it sees who can take it). Its agent asks, or a
 * supervisor or admin (board move). Only agents of some queue are listed; never the asker.
 */
export function transferTargets(core: InteractionService, principal: Pick<Principal, 'id' | 'role'>, interactionId: string): TransferTargetAgent[] {
  const live = core.live.get(interactionId);
  if (!live) throw refuse.notFound(interactionId);
  if (principal.role === 'agent' && live.agentId !== principal.id) throw refuse.forbidden(`You are not the agent assigned to interaction ${interactionId}.`);
  const members = new Set([...core.queues.values()].flatMap((q) => q.memberIds));
  const open = [...core.live.values()];
  return core.deps.presence
    .roster()
    .filter((entry) => members.has(entry.userId) && entry.userId !== principal.id && entry.userId !== live.agentId)
    .map((entry) => {
      const check = core.engine.transferTargetCheck(entry.userId, live.kind);
      const why =
        check === 'ok'
          ? null
          : check === 'unavailable'
            ? 'not available'
            : check === 'in_wrapup'
              ? 'wrapping up'
              : core.inConsult(entry.userId) && live.kind === 'call'
                ? 'in a consult'
              : live.kind === 'call'
                ? 'on a call'
                : 'no room for another chat';
      const mine = open.filter((l) => l.agentId === entry.userId || l.offer?.agentId === entry.userId);
      return {
        userId: entry.userId,
        username: entry.username,
        displayName: entry.displayName,
        presence: entry.presence,
        activity: activityOf(entry.presence, mine, entry.userId, core.inConsult(entry.userId)),
        canTake: check === 'ok',
        why,
      };
    });
}
