declare global {
  interface Window {
    /** Only with ?testHooks=1: the current call's connection, so E2E tests can read getStats. */
    __veildeskCallPeer?: RTCPeerConnection | null;
    /** Only with ?testHooks=1: the consult (agent to agent) connection. */
    __veildeskConsultPeer?: RTCPeerConnection | null;
    /** Only with ?testHooks=1: the stats of the live-monitoring producer (E2E checks nothing is sent during a pause). */
    __veildeskMonitorProducerStats?: (() => Promise<RTCStatsReport>) | null;
  }
}

/** True when the page was opened with `testHooks=1` in its query string. */
export function testHooksEnabled(search: string = globalThis.location?.search ?? ''): boolean {
  return new URLSearchParams(search).get('testHooks') === '1';
}

/** Publishes the call's RTCPeerConnection for tests; does nothing in normal use. */
export function exposeCallPeer(pc: RTCPeerConnection | null): void {
  if (typeof window === 'undefined' || !testHooksEnabled()) return;
  window.__veildeskCallPeer = pc;
}

/** Publishes the consult's RTCPeerConnection for tests; does nothing in normal use. */
export function exposeConsultPeer(pc: RTCPeerConnection | null): void {
  if (typeof window === 'undefined' || !testHooksEnabled()) return;
  window.__veildeskConsultPeer = pc;
}

/** Publishes the monitoring producer's stats reader for tests; does nothing in normal use. */
export function exposeMonitorProducerStats(getStats: (() => Promise<RTCStatsReport>) | null): void {
  if (typeof window === 'undefined' || !testHooksEnabled()) return;
  window.__veildeskMonitorProducerStats = getStats;
}
