import type { InteractionService } from './interaction-service';
import type { LiveInteraction } from './live';

/**
 * The org's keywords in the (redacted) text of an unmarked interaction suggest the sensitive mark to
 * its agent: once per agent and category, to the handling agent alone, without the text. What matched
 * while the chat waited, or before a transfer, is told to the agent who accepts it. Nothing is marked here.
 */
export function suggestSensitive(core: InteractionService, live: LiveInteraction, text: string): void {
  const matcher = core.deps.sensitiveKeywords;
  if (!matcher || live.sensitive !== null) return;
  const categories = matcher.match(text);
  if (categories.length === 0) return;
  const matched = live.matchedSensitive ?? (live.matchedSensitive = new Set());
  for (const category of categories) matched.add(category);
  flushSensitiveSuggestions(core, live);
}

/** Tells the assigned agent what they have not heard yet (after a match, and when an agent accepts). */
export function flushSensitiveSuggestions(core: InteractionService, live: LiveInteraction): void {
  const matched = live.matchedSensitive;
  if (!matched || matched.size === 0 || live.sensitive !== null || live.status !== 'active' || !live.agentId) return;
  const byAgent = live.suggestedSensitive ?? (live.suggestedSensitive = new Map());
  let told = byAgent.get(live.agentId);
  if (!told) byAgent.set(live.agentId, (told = new Set()));
  for (const category of matched) {
    if (told.has(category)) continue;
    told.add(category);
    core.hub.sendTo(live.agentId, { type: 'sensitive.suggested', interactionId: live.id, category });
  }
}
