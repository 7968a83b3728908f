import { testHooksEnabled } from '../../media/test-hooks';

declare global {
  interface Window {
    /** Only with ?testHooks=1: when each recorder run of this page started capturing (page clock). */
    __veildeskRecorderRuns?: { recordingId: string; segment: number; startedAt: number }[];
  }
}

/** Lets E2E tests tell the recorder's own start from the call's: does nothing in normal use. */
export function noteRecorderRun(recordingId: string, segment: number): void {
  if (typeof window === 'undefined' || !testHooksEnabled()) return;
  (window.__veildeskRecorderRuns ??= []).push({ recordingId, segment, startedAt: Date.now() });
}
