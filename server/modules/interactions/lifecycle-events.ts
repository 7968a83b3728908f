/** A call's lifecycle, for features that follow calls (recordings). Observers run inside the change. */
export type CallLifecycleEvent =
  | { type: 'connected'; interactionId: string; agentId: string; at: Date }
  | { type: 'ended'; interactionId: string; agentId: string | null; at: Date }
  | { type: 'transferred'; interactionId: string; fromAgentId: string; at: Date };
/** A chat's lifecycle, the same moments as a call's (connected: the agent accepted it), for features that follow chats too (screen recording). */
export type ChatLifecycleEvent = CallLifecycleEvent;
/** An interaction in progress got, changed or lost its sensitive mark (category null: removed). */
export interface SensitiveMarkChange {
  interactionId: string;
  category: string | null;
}

export type LifecycleObserver = (event: CallLifecycleEvent) => Promise<void> | void;

/** Tells each observer in turn, inside the change in progress; an observer's failure is logged, never the change's. */
export async function notifyObservers(
  kind: 'call' | 'chat',
  observers: readonly LifecycleObserver[],
  event: CallLifecycleEvent,
  log: { error(obj: object, msg: string): void } | undefined,
): Promise<void> {
  for (const observer of observers) {
    try {
      await observer(event);
    } catch (err) {
      log?.error({ err, interactionId: event.interactionId }, `interactions: ${kind} ${event.type} observer failed`);
    }
  }
}
