import { createSimplePeer, type SimplePeerOptions } from '../../browser/media/simple-peer';
import { type CallPeer, type CallPeerHandlers, type CallPeerOptions } from './call-peer-types';

export interface CreateCallPeerExtras {
  /** A WebRTC implementation for Node (e.g. @roamhq/wrtc); browsers use their own. */
  wrtc?: SimplePeerOptions['wrtc'];
}

/**
 * The agent's side of a call: a non-initiating peer that answers the customer's offer with the
 * microphone's audio. Loaded on demand (dynamic import) so the main bundle stays small.
 */
export function createCallPeer(options: CallPeerOptions, handlers: CallPeerHandlers, extras: CreateCallPeerExtras = {}): CallPeer {
  // The agent's side restarts ICE when the path breaks, so its connection must outlive 'failed';
  // it watches the customer's audio arriving to notice a cut path within 1–1.5 s.
  return createSimplePeer(
    {
      initiator: false,
      stream: options.stream,
      iceServers: options.iceServers,
      survivesIceFailure: true,
      watchInbound: true,
      ...(extras.wrtc ? { wrtc: extras.wrtc } : {}),
    },
    handlers,
  );
}

/**
 * A consult between two agents: the first agent initiates, the agent consulted answers. The
 * initiator restarts ICE when the path breaks (consult-slice.ts), as the agent's side of a call does.
 */
export function createConsultPeer(options: CallPeerOptions & { initiator: boolean }, handlers: CallPeerHandlers): CallPeer {
  const restarts = options.initiator;
  return createSimplePeer(
    { initiator: options.initiator, stream: options.stream, iceServers: options.iceServers, survivesIceFailure: restarts, watchInbound: restarts },
    handlers,
  );
}
