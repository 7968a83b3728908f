import { type StoreApi } from 'zustand/vanilla';
import { type OfferNotification } from '../../../shared';
import { type AppState } from '../../app/store-types';
import { selectUnreadTotal } from '../chats/chats-slice';
import { attentionCount, attentionTitle } from './attention';
import { offerNotification } from './offer-notification';
import { initialRinger, type RingerOffer, stepRinger } from './ringer-machine';

/** What rings (renderer/media/ringtone.ts). */
export interface Ringer {
  startRing(): void;
  stopRing(): void;
  chime(): void;
}

/** Shows an OS notification for an offer (web: Notification API; desktop: the bridge). */
export type ShowOfferNotification = (notification: OfferNotification) => void;

export interface OfferAlertsDeps {
  store: Pick<StoreApi<AppState>, 'getState' | 'subscribe'>;
  ringer: Ringer;
  /** Null when notifications are off or unsupported; read at each new offer. */
  notifier(): ShowOfferNotification | null;
  /** True when the agent would not see a new offer on screen now. */
  inBackground(): boolean;
  chimeForChats(): boolean;
  setTitle(title: string): void;
  /** Desktop: the dock/taskbar badge. */
  setBadgeCount?(count: number): void;
}

/**
 * Follows the offers in the store: rings while a call offer waits (stopped in the same store update
 * that removes it or records the agent's click), chimes for a new chat, notifies the OS of each new
 * offer while the app is in the background, and keeps the title and badge count current.
 * Returns the unsubscribe (which also stops the ring).
 */
export function startOfferAlerts(deps: OfferAlertsDeps): () => void {
  let ringer = initialRinger;
  let lastCount = -1;

  const step = (state: AppState) => {
    const { offers } = state;
    const list: RingerOffer[] = [];
    for (const id of offers.order) {
      const entry = offers.byId[id];
      if (entry) list.push({ id, kind: entry.interaction.kind, pending: entry.pending });
    }
    const next = stepRinger(ringer, list, { chimeForChats: deps.chimeForChats() });
    const isNew = list.filter((o) => !ringer.seen.has(o.id));
    ringer = next.state;
    if (next.actions.ring === 'stop') deps.ringer.stopRing();
    if (next.actions.ring === 'start') deps.ringer.startRing();
    if (next.actions.chime) deps.ringer.chime();

    if (isNew.length && deps.inBackground()) {
      const show = deps.notifier();
      for (const offer of isNew) {
        const entry = offers.byId[offer.id];
        if (show && entry) show(offerNotification(entry.interaction));
      }
    }

    const count = attentionCount(list.length, selectUnreadTotal(state));
    if (count !== lastCount) {
      lastCount = count;
      deps.setTitle(attentionTitle(count));
      deps.setBadgeCount?.(count);
    }
  };

  step(deps.store.getState());
  const unsubscribe = deps.store.subscribe((state) => step(state));
  return () => {
    unsubscribe();
    deps.ringer.stopRing();
  };
}
