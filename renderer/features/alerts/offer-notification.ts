import { type InteractionSummary, type OfferNotification } from '../../../shared';

/**
 * The words of an offer's OS notification. No customer name or e-mail: the OS may keep
 * notifications in its history and show them on a locked screen, so it names the kind and queue only
 * (the card in the app shows who it is).
 */
export function offerNotification(interaction: Pick<InteractionSummary, 'id' | 'kind' | 'queueName'>): OfferNotification {
  const what = interaction.kind === 'call' ? 'call' : interaction.kind === 'chat' ? 'chat' : 'message';
  return {
    interactionId: interaction.id,
    title: `Incoming ${what}`,
    body: `${interaction.queueName} queue · click to answer in Veildesk`.slice(0, 500),
  };
}

/** Whether the agent would miss a new offer on screen now: the page hidden or the window not focused. */
export function appInBackground(doc: Pick<Document, 'visibilityState' | 'hasFocus'> | undefined = globalThis.document): boolean {
  if (!doc) return false;
  return doc.visibilityState === 'hidden' || !doc.hasFocus();
}
