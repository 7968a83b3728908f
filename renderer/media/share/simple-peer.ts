import { createSimplePeer as createBrowserPeer } from '../../../browser/media/simple-peer';
import { type PeerFactory } from './transport';

/** The share transport's peers, on the shared simple-peer wrapper. Video only: a share never carries audio. */
export const createSimplePeer: PeerFactory = (options, handlers) => createBrowserPeer(options, handlers);
