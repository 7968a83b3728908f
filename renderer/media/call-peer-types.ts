import { type PeerSignal, type RestartablePeerHandle, type SimplePeerHandlers } from '../../browser/media/simple-peer';
import { type IceServer } from '../../shared';
import { type VoiceMixFactory } from './voice-mix';

/**
 * What the call code needs from a WebRTC peer. The real one (call-peer.ts, simple-peer) is loaded
 * on demand; tests pass a fake with the same shape, so no WebRTC is needed to test call logic.
 */

export type Signal = PeerSignal;

export interface CallPeerOptions {
  /** The agent's microphone; its tracks are offered in the answer. */
  stream: MediaStream;
  iceServers: IceServer[];
}

/** onSignal goes to the customer through the server (call.signal); onStream is the customer's audio. */
export type CallPeerHandlers = SimplePeerHandlers;

/** restartIce: the agent's side restarts ICE when the media path breaks (call-controller.ts). */
export type CallPeer = RestartablePeerHandle;

/** The agent answers: the customer's widget is always the initiator and sends the offer. */
export type CallPeerFactory = (options: CallPeerOptions, handlers: CallPeerHandlers) => CallPeer | Promise<CallPeer>;

/** Everything with side effects a call needs; injected through AppDeps. */
export interface CallMedia {
  createPeer: CallPeerFactory;
  getMicrophone(): Promise<MediaStream>;
  /**
   * Loads what answering needs (the peer code) at sign-in, so the first call never waits on a
   * download that a sleep or a network change may have left hanging.
   */
  prepare?(): void;
  /** Test hook: receives the current call's RTCPeerConnection (or null when it ends). */
  exposePeerConnection?(pc: RTCPeerConnection | null): void;
  /** What the customer hears on hold instead of the microphone (hold-tone.ts); silence without it. */
  createHoldTone?(): { readonly track: MediaStreamTrack; stop(): void };
  /** A consult peer between two agents (the first agent initiates); never recorded. */
  createConsultPeer?(options: CallPeerOptions & { initiator: boolean }, handlers: CallPeerHandlers): CallPeer | Promise<CallPeer>;
  /** Barge: mixes a supervisor's voice into what the customer hears (voice-mix.ts); without it barge sends the microphone alone. */
  mixVoice?: VoiceMixFactory;
  /** Test hook: the consult's RTCPeerConnection (or null). */
  exposeConsultPeer?(pc: RTCPeerConnection | null): void;
}
