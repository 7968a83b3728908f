import { DEFAULT_WAKE_DETECTOR, WakeDetector, type WakeDetectorOptions } from '../../../browser/net/wake-detector';

/**
 * Waking and roaming: after the computer slept (a long gap between timer ticks) or the network
 * changed (navigator.connection's change event, where the browser has it), the app must be ready
 * for the first offer at once: `onWake` opens a new socket and looks at the devices again.
 * Going back online is handled beside it (App.tsx: 'online' → reconnect now); a live call's media
 * path recovers by ICE restart (calls/call-controller.ts). Returns the unsubscribe.
 */
export interface WakeWatchDeps {
  onWake(why: string): void;
  now?: () => number;
  options?: WakeDetectorOptions;
  /** navigator.connection (Network Information API, Chromium only). */
  connection?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
}

export function watchWakeAndRoaming(deps: WakeWatchDeps): () => void {
  const now = deps.now ?? Date.now;
  const options = deps.options ?? DEFAULT_WAKE_DETECTOR;
  const detector = new WakeDetector(options);
  detector.tick(now());
  const timer = setInterval(() => {
    const slept = detector.tick(now());
    if (slept !== null) deps.onWake(`the computer woke up after about ${Math.round(slept / 1000)} s`);
  }, options.intervalMs);
  const connection = deps.connection ?? null;
  const onChange = () => deps.onWake('the network changed');
  connection?.addEventListener('change', onChange);
  return () => {
    clearInterval(timer);
    connection?.removeEventListener('change', onChange);
  };
}
