import type * as CallPeerModule from './call-peer';

/**
 * simple-peer and its Node polyfills stay out of the first download; they load once, when work
 * starts (CallMedia.prepare) or at the first call, whichever comes first. A failed load is tried again.
 */
let loading: Promise<typeof CallPeerModule> | null = null;

export function loadCallPeerModule(): Promise<typeof CallPeerModule> {
  loading ??= import('./call-peer').catch((err: unknown) => {
    loading = null;
    throw err;
  });
  return loading;
}
