/** At most one chat.typing frame per this interval while the customer types. */
export const TYPING_THROTTLE_MS = 2_000;
/** How long "Agent is typing…" stays without a new chat.typing from the agent. */
export const AGENT_TYPING_SHOWN_MS = 5_000;

/** Returns a function that answers "send a typing frame now?" for each keystroke. */
export function createTypingThrottle(intervalMs = TYPING_THROTTLE_MS): (now: number) => boolean {
  let last = -Infinity;
  return (now) => {
    if (now - last < intervalMs) return false;
    last = now;
    return true;
  };
}
