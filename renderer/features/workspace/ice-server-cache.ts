import { type IceServer, type IceServersResponse } from '../../../shared';

/** Fetch new TURN credentials this long before the current ones expire. */
export const ICE_RENEW_MARGIN_MS = 60_000;
/** Credentials with less than this left are not handed to a new call (ICE may take a while). */
const ICE_MIN_LEFT_MS = 10_000;

export interface IceServerCacheOptions {
  /** GET /api/ice-servers with the current session (null: not signed in). */
  fetch(): Promise<IceServersResponse> | null;
  now(): number;
  log(message: string, detail: unknown): void;
}

export interface IceServerCache {
  /** Servers for a new call or share: the kept ones while valid, else a request's answer ([] if it fails). */
  get(): Promise<IceServer[]>;
  /** Forget them (sign-out): the next session asks with its own credentials. */
  clear(): void;
}

/**
 * STUN servers and short-lived TURN credentials, kept until a minute before they expire. Renewal
 * happens behind the scenes while the old ones are still valid: a call never waits for a request
 * that a sleep or a network change may have left hanging on a dead connection.
 */
export function createIceServerCache(options: IceServerCacheOptions): IceServerCache {
  let kept: { servers: IceServer[]; until: number } | null = null;
  let pending: Promise<IceServer[]> | null = null;
  // Bumped by clear(): an answer asked for by an earlier session is not kept.
  let generation = 0;

  const stillUsable = (): IceServer[] | null => (kept && kept.until > options.now() + ICE_MIN_LEFT_MS ? kept.servers : null);

  const renew = (): Promise<IceServer[]> => {
    if (pending) return pending;
    const request = options.fetch();
    if (!request) return Promise.resolve([]);
    const asked = generation;
    const answer = request
      .then((response) => {
        if (asked === generation) {
          kept = { servers: response.iceServers, until: response.expiresAt ? Date.parse(response.expiresAt) : Number.POSITIVE_INFINITY };
        }
        return response.iceServers;
      })
      .catch((err: unknown) => {
        // Asked again next time; meanwhile valid old ones, or none (on a LAN host candidates still connect).
        options.log('could not load ICE servers', err);
        return asked === generation ? (stillUsable() ?? []) : [];
      })
      .finally(() => {
        if (pending === answer) pending = null;
      });
    pending = answer;
    return answer;
  };

  return {
    get() {
      if (kept && kept.until > options.now() + ICE_RENEW_MARGIN_MS) return Promise.resolve(kept.servers);
      const usable = stillUsable();
      const renewed = renew();
      return usable ? Promise.resolve(usable) : renewed;
    },
    clear() {
      generation += 1;
      kept = null;
      pending = null;
    },
  };
}
