import type { DesktopBridge, UpdateStatus } from '../../../shared';

/** What the update notice shows: nothing until an update is ready. */
export interface UpdateNoticeView {
  text: string;
  canRestart: boolean;
  /** Why Restart is off, or why the last attempt was refused. */
  hint: string | null;
}

export function updateNoticeView(status: UpdateStatus | null, refusal: string | null): UpdateNoticeView | null {
  if (!status || status.state !== 'ready') return null;
  return {
    text: status.message ?? `Veildesk ${status.version ?? ''} is ready to install.`,
    canRestart: status.canInstallNow,
    hint: refusal ?? (status.interactionLive ? 'Restart is available once the current chat, call and wrap-up are done.' : null),
  };
}

/**
 * Reads the desktop host's update status now and every pollMs (the web has none: nothing happens).
 * Returns the stop function.
 */
export function watchUpdateStatus(
  bridge: Pick<DesktopBridge, 'getUpdateStatus'>,
  listener: (status: UpdateStatus) => void,
  pollMs = 30_000,
  timers: { setInterval(fn: () => void, ms: number): unknown; clearInterval(handle: unknown): void } = {
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
  },
): () => void {
  const get = bridge.getUpdateStatus?.bind(bridge);
  if (!get) return () => {};
  let stopped = false;
  const read = (): void => {
    get()
      .then((status) => {
        if (!stopped) listener(status);
      })
      .catch(() => {
        // The next poll tries again; an update is never urgent.
      });
  };
  read();
  const handle = timers.setInterval(read, pollMs);
  return () => {
    stopped = true;
    timers.clearInterval(handle);
  };
}
