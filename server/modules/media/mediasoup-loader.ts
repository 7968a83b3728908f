import type * as MediasoupModule from 'mediasoup';

export type Mediasoup = typeof MediasoupModule;

/**
 * Loads the mediasoup package with the given worker binary. The package reads
 * MEDIASOUP_WORKER_BIN once, when it loads, so it is set first and the import is dynamic (a server
 * without a worker never loads mediasoup at all). CommonJS in every 3.x release: the functions may
 * sit on the namespace or on its default export.
 */
export async function loadMediasoup(workerBin: string): Promise<Mediasoup> {
  process.env.MEDIASOUP_WORKER_BIN = workerBin;
  const mod = (await import('mediasoup')) as Mediasoup & { default?: Mediasoup };
  return typeof mod.createWorker === 'function' ? mod : (mod.default as Mediasoup);
}

/** Major and minor of a mediasoup version string ("3.12.16" → [3, 12]). */
export function versionOf(mediasoup: Pick<Mediasoup, 'version'>): [number, number] {
  const [major = 0, minor = 0] = mediasoup.version.split('.').map(Number);
  return [major, minor];
}
