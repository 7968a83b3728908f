/**
 * What secure pause stops at the source. Each part of the app that captures a call (the recorder,
 * the monitoring publisher, later the screen recorder) registers a gate; the secure-pause slice
 * calls every gate synchronously, in the same step as the click, hotkey or server frame that
 * changed the pause, before the store updates and before the server is asked.
 */
export type CaptureGate = (interactionId: string, paused: boolean) => void;

export interface CaptureGates {
  /** Registers a gate; returns its removal. */
  add(gate: CaptureGate): () => void;
  /** Pauses (or resumes) the call's capture everywhere, now. */
  set(interactionId: string, paused: boolean): void;
}

export function createCaptureGates(): CaptureGates {
  const gates = new Set<CaptureGate>();
  return {
    add(gate) {
      gates.add(gate);
      return () => void gates.delete(gate);
    },
    set(interactionId, paused) {
      // One part failing must not keep the others capturing: every gate runs, the first error is rethrown after.
      let failure: unknown = null;
      for (const gate of [...gates]) {
        try {
          gate(interactionId, paused);
        } catch (err) {
          failure ??= err;
        }
      }
      if (failure !== null) throw failure;
    },
  };
}
