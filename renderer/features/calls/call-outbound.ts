import { type CallMedia } from '../../media/call-peer-types';

/**
 * What the customer hears from the agent's side of one call, kept apart from the peer's lifecycle
 * in call-controller.ts: the microphone, the hold tone while held, or in barge the mix of the
 * microphone and a supervisor's voice (voice-mix.ts) on the call's audio sender. It also tells the
 * recording which supervisor voice the customer hears now (onSentVoice), so the recording holds
 * what the customer heard.
 */
export interface CallOutboundOptions {
  media: Pick<CallMedia, 'createHoldTone' | 'mixVoice'>;
  onSentVoice?(voice: MediaStream | null): void;
  logger?: Pick<Console, 'warn'>;
}

/** The controller's state this reads at each apply(); the controller owns it. */
export interface CallOutboundState {
  peerConnection: RTCPeerConnection | null | undefined;
  mic: MediaStream | null;
  held: boolean;
  done: boolean;
}

export class CallOutbound {
  /** Sent to the customer instead of the microphone while held. */
  private holdTone: { readonly track: MediaStreamTrack; stop(): void } | null = null;
  /** Barge: a supervisor's voice, mixed with the microphone into what the customer hears. */
  private voice: MediaStream | null = null;
  private voiceMix: { readonly track: MediaStreamTrack; close(): void } | null = null;
  /** The voice last reported through onSentVoice. */
  private sentVoice: MediaStream | null = null;

  constructor(
    private readonly options: CallOutboundOptions,
    private readonly state: () => CallOutboundState,
  ) {}

  /** Barge (a supervisor's voice, sent on to the customer with the microphone) or null to send the microphone alone. */
  setVoice(voice: MediaStream | null): void {
    if (voice === this.voice) return;
    this.voice = voice;
    this.voiceMix?.close();
    this.voiceMix = null;
    this.apply();
  }

  /**
   * On hold the customer hears the hold tone on the call's sender instead of the microphone (which
   * stays disabled: the recording, which taps it, keeps silence); resuming puts the microphone back,
   * or in barge the mix of microphone and supervisor (outboundTrack).
   */
  apply(): void {
    const { peerConnection: pc, held, done } = this.state();
    const warn = (what: string) => (err: unknown) => (this.options.logger ?? console).warn(`[veildesk] ${what}`, err);
    // Test doubles may carry a connection without senders: then there is nothing to switch.
    const sender = (typeof pc?.getSenders === 'function' ? pc.getSenders() : []).find((s) => s.track?.kind === 'audio') ?? null;
    if (held && !done) {
      if (!this.holdTone && this.options.media.createHoldTone) {
        try {
          this.holdTone = this.options.media.createHoldTone();
        } catch (err) {
          warn('the hold tone could not start; the customer hears silence')(err);
        }
      }
      const tone = this.holdTone?.track;
      if (sender && tone && sender.track !== tone) sender.replaceTrack(tone).catch(warn('could not send the hold tone'));
      // On hold the customer hears the tone, not the supervisor: the recording leaves the voice out too.
      this.reportSentVoice(null);
      return;
    }
    const tone = this.holdTone;
    this.holdTone = null;
    const mic = this.outboundTrack();
    if (sender && mic && sender.track !== mic) {
      // The tone stops once the microphone is back on the sender.
      sender
        .replaceTrack(mic)
        .catch(warn('could not put the microphone back after hold'))
        .finally(() => tone?.stop());
    } else {
      tone?.stop();
    }
    this.reportSentVoice(this.voiceMix && mic === this.voiceMix.track ? this.voice : null);
  }

  /** The call ended: stop the tone, close the mix, report no voice. */
  release(): void {
    this.holdTone?.stop();
    this.holdTone = null;
    this.voiceMix?.close();
    this.voiceMix = null;
    this.voice = null;
    this.reportSentVoice(null);
  }

  private reportSentVoice(voice: MediaStream | null): void {
    if (voice === this.sentVoice) return;
    this.sentVoice = voice;
    this.options.onSentVoice?.(voice);
  }

  /** The microphone, or in barge the mix of the microphone and the supervisor's voice. */
  private outboundTrack(): MediaStreamTrack | null {
    const { mic, done } = this.state();
    if (this.voice && mic && !done && this.options.media.mixVoice) {
      try {
        this.voiceMix ??= this.options.media.mixVoice(mic, this.voice);
        return this.voiceMix.track;
      } catch (err) {
        (this.options.logger ?? console).warn('[veildesk] the supervisor could not be mixed into the call; the customer hears the agent alone', err);
      }
    }
    return mic?.getAudioTracks()[0] ?? null;
  }
}
