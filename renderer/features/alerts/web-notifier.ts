import { type OfferNotification } from '../../../shared';

export type AlertPermission = NotificationPermission | 'unsupported';

type NotificationCtor = {
  new (title: string, options?: NotificationOptions): Notification;
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
};

/**
 * The web agent's offer notifications over the Notification API. Permission is asked only from
 * the agent's click on "Turn on offer alerts" (never at load). A click on a notification brings the
 * window forward and hands the offer's id to `onClick`.
 */
export function createWebNotifier(env: { Notification?: NotificationCtor | undefined; focusWindow?: () => void } = {}) {
  const Ctor = 'Notification' in env ? env.Notification : (globalThis as { Notification?: NotificationCtor }).Notification;
  const focusWindow = env.focusWindow ?? (() => globalThis.focus?.());
  return {
    permission(): AlertPermission {
      return Ctor ? Ctor.permission : 'unsupported';
    },
    async requestPermission(): Promise<AlertPermission> {
      if (!Ctor) return 'unsupported';
      try {
        return await Ctor.requestPermission();
      } catch {
        return Ctor.permission;
      }
    },
    show(notification: OfferNotification, onClick: (interactionId: string) => void): void {
      if (!Ctor || Ctor.permission !== 'granted') return;
      let shown: Notification;
      try {
        // The tag replaces an earlier notification of the same offer instead of stacking them.
        shown = new Ctor(notification.title, { body: notification.body, tag: `offer-${notification.interactionId}`, silent: true });
      } catch {
        return; // e.g. Android Chrome allows only service-worker notifications.
      }
      shown.addEventListener('click', () => {
        focusWindow();
        shown.close();
        onClick(notification.interactionId);
      });
    },
  };
}

export type WebNotifier = ReturnType<typeof createWebNotifier>;
