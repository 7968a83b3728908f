/**
 * What the window title and the dock/taskbar badge count: offers waiting for an answer plus chat
 * messages not read yet, so a window in the background still says something needs the agent.
 */
export function attentionCount(waitingOffers: number, unreadMessages: number): number {
  return Math.max(0, waitingOffers) + Math.max(0, unreadMessages);
}

export function attentionTitle(count: number, appName = 'Veildesk'): string {
  return count > 0 ? `(${count}) ${appName}` : appName;
}
