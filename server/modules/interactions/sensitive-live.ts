import type { InteractionService } from './interaction-service';

/**
 * A sensitive mark set, changed or removed while the interaction is in progress: the in-memory
 * copy follows (the board shows it), observers act on it inside the same change (monitoring drops
 * listeners who may no longer hear the call), and the handling agent's windows show it at once.
 */
export function applyLiveSensitiveMark(core: InteractionService, interactionId: string, category: string | null): Promise<void> {
  return core.run(async () => {
    const live = core.live.get(interactionId);
    if (!live) return;
    live.sensitive = category;
    for (const observer of core.sensitiveObservers) {
      try {
        await observer({ interactionId, category });
      } catch (err) {
        core.deps.log?.error({ err, interactionId }, 'interactions: sensitive mark observer failed');
      }
    }
    await core.sendUpdated(interactionId, live.agentId);
    core.changed();
  });
}
