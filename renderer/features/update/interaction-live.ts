import type { StoreApi } from 'zustand';
import type { DesktopBridge } from '../../../shared';
import type { AppState } from '../../app/store-types';
import { selectHasLiveCall } from '../calls/calls-slice';

/**
 * Whether the agent is in the middle of something an app restart would cut: a call not over, a
 * chat not ended, or a wrap-up not yet submitted.
 */
export function selectInteractionLive(s: AppState): boolean {
  return selectHasLiveCall(s) || Object.values(s.chats.byId).some((chat) => !chat.ended) || s.wrapups.order.length > 0;
}

/**
 * Tells the desktop host whenever that changes (and once now), so main never installs an update
 * during an interaction (main/update). Hosts without updates (the web) have no setInteractionLive.
 * Returns the unsubscribe.
 */
export function reportInteractionLive(store: StoreApi<AppState>, bridge: DesktopBridge, onError: (error: unknown) => void): () => void {
  const setLive = bridge.setInteractionLive?.bind(bridge);
  if (!setLive) return () => {};
  let last: boolean | null = null;
  const report = (state: AppState): void => {
    const live = selectInteractionLive(state);
    if (live === last) return;
    last = live;
    setLive(live).catch(onError);
  };
  report(store.getState());
  return store.subscribe(report);
}
