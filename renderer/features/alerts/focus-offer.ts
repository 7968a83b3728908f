/**
 * Brings the agent to an offer after a notification click: its card (shown above every view) gets
 * the keyboard focus, so Enter/Tab reach Accept at once. Waits a frame when the card is not drawn yet.
 */
export function focusOfferCard(interactionId: string, doc: Document = document, attempts = 10): void {
  const card = [...doc.querySelectorAll<HTMLElement>('[data-testid="offer"]')].find((el) => el.dataset.interactionId === interactionId);
  if (card) {
    card.focus();
    card.scrollIntoView?.({ block: 'nearest' });
    return;
  }
  if (attempts > 0) requestAnimationFrame(() => focusOfferCard(interactionId, doc, attempts - 1));
}
