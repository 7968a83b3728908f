import { type ServerMessageOf } from '../../../shared';
import { type SliceCreator } from '../../app/store-types';
import { type MediaFrame, type MediaSignaling, createMediaSignaling } from './signaling';

/**
 * The store's one SFU signaling over the app's WebSocket: screen shares and live monitoring open
 * their media rooms on it, so their media.* requests and replies are matched in one place.
 */
export interface MediaSignalingSlice {
  /** A media.* frame (SFU signaling) from the connection. */
  applyMediaFrame(frame: MediaFrame): void;
  /** An error frame: true when it answered a media request (the request's promise is rejected). */
  applyMediaError(frame: ServerMessageOf<'error'>): boolean;
  /** The app's SFU signaling (shares, monitoring and any other media room). */
  mediaSignaling(): MediaSignaling;
}

export const createMediaSignalingSlice: SliceCreator<MediaSignalingSlice> = () => (_set, get) => {
  const signaling = createMediaSignaling((message) => get().sendMessage(message));
  return {
    applyMediaFrame: (frame) => signaling.handleFrame(frame),
    applyMediaError: (frame) => signaling.handleError(frame),
    mediaSignaling: () => signaling,
  };
};
