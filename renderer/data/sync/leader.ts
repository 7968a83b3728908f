/**
 * One sync leader per database across the app's tabs and windows: the Web Locks API grants an
 * exclusive lock to one of them; when that tab closes, the browser hands the lock to the next.
 * The others only read (Dexie's liveQuery sees the leader's writes across tabs) and write to the
 * outbox, which the leader watches.
 */

export interface LockManagerLike {
  request(name: string, options: { mode: 'exclusive'; signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

export interface LeaderHandle {
  /** Gives up leadership, or stops waiting for it. */
  release(): void;
}

/**
 * Calls `onLeader` when this context becomes the leader for `name`; `onLeader`'s result is called
 * when leadership ends (release). Without the Web Locks API every context leads (one tab is fine).
 */
export function electLeader(name: string, onLeader: () => () => void, locks: LockManagerLike | null = browserLocks()): LeaderHandle {
  if (!locks) {
    const stop = onLeader();
    return { release: stop };
  }
  const abort = new AbortController();
  let releaseLock: (() => void) | null = null;
  locks
    .request(name, { mode: 'exclusive', signal: abort.signal }, () => {
      const stop = onLeader();
      return new Promise<void>((resolve) => {
        releaseLock = () => {
          stop();
          resolve();
        };
      });
    })
    .catch(() => {
      // Aborted while waiting: we never led.
    });
  return {
    release() {
      if (releaseLock) releaseLock();
      else abort.abort();
      releaseLock = null;
    },
  };
}

function browserLocks(): LockManagerLike | null {
  const locks = (globalThis.navigator as (Navigator & { locks?: LockManagerLike }) | undefined)?.locks;
  return locks ?? null;
}
