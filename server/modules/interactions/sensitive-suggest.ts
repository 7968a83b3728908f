import type { InteractionService } from './interaction-service';
import type { LiveInteraction } from './live';

/**
 * The org's keywords in the (redacted) text of an unmarked interaction suggest the sensitive mark to
 * its agent: once per category, to the agent alone, without the text. A message written while the
 * chat waits is held (categories only) until an agent accepts. Nothing is marked here.
 */
export function suggestSensitive(core: InteractionService, live: LiveInteraction, text: string): void {
  const matcher = core.deps.sensitiveKeywords;
  if (!matcher || live.sensitive !== null) return;
  const categories = matcher.match(text);
  if (categories.length === 0) return;
  const pending = live.pendingSensitive ?? (live.pendingSensitive = new Set());
  for (const category of categories) pending.add(category);
  flushSensitiveSuggestions(core, live);
}

/** Sends the held suggestions to the assigned agent (after a match, and when an agent accepts). */
export function flushSensitiveSuggestions(core: InteractionService, live: LiveInteraction): void {
  const pending = live.pendingSensitive;
  if (!pending || pending.size === 0 || live.sensitive !== null || live.status !== 'active' || !live.agentId) return;
  const suggested = live.suggestedSensitive ?? (live.suggestedSensitive = new Set());
  for (const category of pending) {
    if (suggested.has(category)) continue;
    suggested.add(category);
    core.hub.sendTo(live.agentId, { type: 'sensitive.suggested', interactionId: live.id, category });
  }
  pending.clear();
}
