import { createRequire } from 'node:module';
import path from 'node:path';
import { findWorkerBinary } from '../../server/modules/media/worker-binary';
import type { TwoNodes } from './two-nodes';

/**
 * Two nodes with a mediasoup worker each, for the SFU-on-several-nodes tests (integration:
 * media-nodes-support.ts; browser: e2e/cluster-share.spec.ts): node B's media on another loopback
 * address (127.0.0.2), so an ICE candidate says which node's router a transport is on.
 */
export const mediaWorker = findWorkerBinary(path.dirname(createRequire(import.meta.url).resolve('mediasoup/package.json')));

// A longer TTL than the default keeps node A's lease while the shared test machine starts two servers and their workers.
export const MEDIA_NODES_ENV = {
  VEILDESK_LEASE_TTL_MS: '6000',
  VEILDESK_LEASE_RENEW_MS: '1000',
  VEILDESK_MEDIA_WORKERS: '1',
  VEILDESK_SHARE_TRANSPORT: 'sfu',
  MEDIASOUP_WORKER_BIN: mediaWorker.path ?? '',
};
/** Each node's media address and port range. */
export const MEDIA_NODE_ENV = {
  a: { VEILDESK_MEDIA_LISTEN_IPS: '127.0.0.1', VEILDESK_MEDIA_PORT_MIN: '43000', VEILDESK_MEDIA_PORT_MAX: '43499' },
  b: { VEILDESK_MEDIA_LISTEN_IPS: '127.0.0.2', VEILDESK_MEDIA_PORT_MIN: '43500', VEILDESK_MEDIA_PORT_MAX: '43999' },
};
/** Node A's and node B's media addresses, as their ICE candidates name them. */
export const MEDIA_IP = { a: '127.0.0.1', b: '127.0.0.2' } as const;

/** The room registry entry, parsed (null when there is none). */
export async function registryEntry(nodes: TwoNodes, roomId: string): Promise<{ nodeId: 'node-a' | 'node-b'; token: number } | null> {
  const value = await nodes.redis.get(`${nodes.prefix}media:room:${roomId}`);
  return value ? (JSON.parse(value) as { nodeId: 'node-a' | 'node-b'; token: number }) : null;
}

/** A node's media beacon, parsed (null once it expired or was removed). */
export async function beacon(nodes: TwoNodes, nodeId: 'node-a' | 'node-b'): Promise<{ announced: string; workers: number; rooms: number } | null> {
  const value = await nodes.redis.get(`${nodes.prefix}media:node:${nodeId}`);
  return value ? (JSON.parse(value) as { announced: string; workers: number; rooms: number }) : null;
}
