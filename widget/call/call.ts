/*
 * ─── Who creates the offer ─────────────────────────────────────────────────────────────────────
 * The CUSTOMER (this widget) is the WebRTC initiator: `new SimplePeer({ initiator: true })`.
 * It builds its peer — and so sends the offer — once customer.state becomes `connected` (an agent
 * answered), or at once when it (re)joins a call that is already `connected`/`on_hold`.
 * The AGENT is never the initiator: it answers with `initiator: false` and feeds every
 * `call.signal` it receives into its peer; its answer and ICE candidates come back the same way.
 *
 * Re-offers: if the customer's peer fails or closes while the call is still connected (network
 * change, the agent's app reloaded, the customer reloaded this page), the widget destroys it
 * and makes a NEW peer with a NEW offer (up to 3 times automatically, then on "Reconnect audio").
 * So the agent side must treat an incoming `{type: 'offer'}` that arrives while its current peer
 * is closed, failed, or already past its first offer as the start of a fresh peer: destroy the
 * old one and answer with a new `initiator: false` peer.
 *
 * ICE restarts: when the media path breaks, the AGENT's side (only it, so offers never cross) sends
 * an offer marked `iceRestart: true` on the SAME connection; this peer answers it like any offer
 * (simple-peer does), and the call goes on. One that arrives while we are mid-negotiation belongs
 * to a connection we already replaced and is dropped. The agent's side notices a cut by its inbound
 * audio stalling (1–1.5 s); this side watches its own inbound audio too, only to say
 * "Reconnecting audio…" as early.
 *
 * Signals are simple-peer's own objects ({type:'offer'|'answer', sdp}, {type:'candidate',
 * candidate}, …) relayed untouched as `call.signal` frames. Trickle ICE is on.
 * ────────────────────────────────────────────────────────────────────────────────────────────────
 *
 * Test hook: with `testHooks=1` in the page's query string, the live RTCPeerConnection is put on
 * `window.__veildeskWidgetPeer` (and cleared when the peer goes), so end-to-end tests can read
 * getStats(). Nothing is exposed otherwise.
 */
import { createSimplePeer } from '../../browser/media/simple-peer';
import type { CallModule, CallPeerHandle, CreatePeerOptions, SignalData } from '../lib/call-types';
import { INSECURE_PAGE_MESSAGE, microphoneErrorMessage } from '../lib/mic-errors';

declare global {
  interface Window {
    __veildeskWidgetPeer?: RTCPeerConnection | null;
  }
}

function testHooksEnabled(): boolean {
  try {
    return new URLSearchParams(window.location.search).get('testHooks') === '1';
  } catch {
    return false;
  }
}

async function acquireMicrophone(): Promise<MediaStream> {
  const media = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
  if (!media?.getUserMedia) {
    throw new Error(typeof window !== 'undefined' && window.isSecureContext === false ? INSECURE_PAGE_MESSAGE : 'This browser cannot make calls. Start a chat instead.');
  }
  try {
    return await media.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true }, video: false });
  } catch (err) {
    throw new Error(microphoneErrorMessage(err), { cause: err });
  }
}

function describePeerError(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  if (code === 'ERR_ICE_CONNECTION_FAILURE' || code === 'ERR_CONNECTION_FAILURE') return 'no network path to the agent';
  if (code === 'ERR_WEBRTC_SUPPORT') return 'this browser does not support calls';
  return 'connection error';
}

function createPeer(options: CreatePeerOptions): CallPeerHandle {
  const hooks = testHooksEnabled();
  let closed = false;
  let pc: RTCPeerConnection | null = null;
  const finish = (error: string | null): void => {
    if (closed) return;
    closed = true;
    if (hooks && window.__veildeskWidgetPeer === pc) window.__veildeskWidgetPeer = null;
    options.onClose(error);
  };
  const peer = createSimplePeer(
    // The inbound watch only tells the customer "Reconnecting audio…" early; the agent's side restarts.
    { initiator: true, stream: options.stream, iceServers: options.iceServers, watchInbound: true },
    {
      onSignal: (data: SignalData) => {
        if (!closed) options.onSignal(data);
      },
      onStream: (remote) => {
        if (!closed) options.onRemoteStream(remote);
      },
      onConnect: () => {
        if (!closed) options.onConnected();
      },
      onIceState: (state) => {
        if (!closed) options.onIceState?.(state);
      },
      onInboundStall: (stalled) => {
        if (!closed) options.onInboundStall?.(stalled);
      },
      onError: (err) => finish(describePeerError(err)),
      onClose: () => finish(null),
    },
  );
  pc = peer.peerConnection;
  if (hooks) window.__veildeskWidgetPeer = pc;

  return {
    signal(data) {
      if (closed) return;
      if (data.iceRestart === true && pc && pc.signalingState !== 'stable') return;
      try {
        peer.signal(data);
      } catch {
        // A signal for an older negotiation; the peer reports real failures through 'error'.
      }
    },
    destroy() {
      closed = true;
      if (hooks && window.__veildeskWidgetPeer === pc) window.__veildeskWidgetPeer = null;
      peer.destroy();
    },
  };
}

export const callModule: CallModule = { acquireMicrophone, createPeer };
