import { type StoreApi } from 'zustand/vanilla';
import { type DesktopBridge } from '../../../shared';
import { type AppState } from '../../app/store-types';
import { type RingtonePlayer } from '../../media/ringtone';
import { type AudioPrefsStore, effectiveDevice } from '../devices/audio-prefs';
import { focusOfferCard } from './focus-offer';
import { appInBackground } from './offer-notification';
import { startOfferAlerts, type ShowOfferNotification } from './offer-alerts';
import { type WebNotifier } from './web-notifier';

/**
 * Connects offer alerts to the host: the ringer follows the chosen ringer device, notifications go
 * through the desktop bridge when it has them, else the web Notification API, and a click on one
 * focuses that offer's card. Called once from main.tsx; returns the teardown.
 */
export function wireOfferAlerts(options: {
  store: StoreApi<AppState>;
  bridge: DesktopBridge;
  prefs: AudioPrefsStore;
  ringtone: RingtonePlayer;
  webNotifier: WebNotifier | null;
  log: (message: string, detail?: unknown) => void;
}): () => void {
  const { store, bridge, prefs, ringtone, webNotifier, log } = options;

  let sink: string | null = null;
  const followSink = () => {
    const wanted = effectiveDevice(prefs.getState(), 'ringer');
    if (wanted === sink) return;
    sink = wanted;
    ringtone.setSink(wanted).catch((error: unknown) => log('could not use the ringer device', String(error)));
  };
  followSink();
  const stopSink = prefs.subscribe(followSink);

  const onClick = (interactionId: string) => focusOfferCard(interactionId);
  const stopClicks = bridge.onOfferNotificationClick?.(onClick);

  const notifier = (): ShowOfferNotification | null => {
    const notifyOffer = bridge.notifyOffer?.bind(bridge);
    if (notifyOffer) return (n) => void notifyOffer(n).catch((error: unknown) => log('could not show the offer notification', String(error)));
    if (webNotifier?.permission() === 'granted') return (n) => webNotifier.show(n, onClick);
    return null;
  };

  const setBadgeCount = bridge.setBadgeCount?.bind(bridge);
  const stopAlerts = startOfferAlerts({
    store,
    ringer: ringtone,
    notifier,
    inBackground: () => appInBackground(),
    chimeForChats: () => prefs.getState().chimeForChats,
    setTitle: (title) => {
      document.title = title;
    },
    ...(setBadgeCount ? { setBadgeCount: (count: number) => void setBadgeCount(count).catch(() => undefined) } : {}),
  });

  return () => {
    stopAlerts();
    stopClicks?.();
    stopSink();
  };
}
