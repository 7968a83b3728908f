import type { OfferNotification } from '../shared/bridge/desktop-bridge';

/**
 * Offer notifications and the dock/taskbar badge for the desktop app. A plain module over the parts
 * of Electron it uses (Notification, app.setBadgeCount, the window), so it is tested with fakes;
 * main.ts only wires it. The renderer decides when to notify (window not focused, new offer).
 */

export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
  close(): void;
}

export type NotificationFactory = (options: { title: string; body: string; silent: boolean }) => NotificationLike;

export interface AlertWindow {
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  /** Tells the renderer which offer was clicked (webContents.send). */
  send(event: string, interactionId: string): void;
}

export interface OfferAlertsOptions {
  /** Electron's Notification.isSupported(); false: notifyOffer does nothing. */
  isSupported(): boolean;
  create: NotificationFactory;
  /** The app's window, or null when none is open. */
  getWindow(): AlertWindow | null;
  setBadgeCount(count: number): void;
  clickEvent: string;
}

/** How many notifications are kept referenced: Electron drops the click handler of one that is garbage-collected. */
const MAX_KEPT = 20;

export function createOfferAlerts(options: OfferAlertsOptions) {
  const kept = new Map<string, NotificationLike>();

  const forget = (id: string, notification: NotificationLike) => {
    if (kept.get(id) === notification) kept.delete(id);
  };

  return {
    notifyOffer(notification: OfferNotification): void {
      if (!options.isSupported()) return;
      const { interactionId } = notification;
      kept.get(interactionId)?.close();
      // Silent: the app plays its own ringtone on the agent's chosen ringer device.
      const shown = options.create({ title: notification.title, body: notification.body, silent: true });
      shown.on('click', () => {
        forget(interactionId, shown);
        const window = options.getWindow();
        if (!window) return;
        if (window.isMinimized()) window.restore();
        window.show();
        window.focus();
        window.send(options.clickEvent, interactionId);
      });
      shown.on('close', () => forget(interactionId, shown));
      kept.set(interactionId, shown);
      while (kept.size > MAX_KEPT) {
        const oldest = kept.keys().next().value as string;
        kept.delete(oldest);
      }
      shown.show();
    },

    setBadgeCount(count: number): void {
      options.setBadgeCount(count);
    },

    /** For tests and shutdown: how many notifications are referenced. */
    keptCount(): number {
      return kept.size;
    },
  };
}
