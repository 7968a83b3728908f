/**
 * Barge: what the agent's app sends to the customer while a supervisor barges in, the agent's
 * microphone and the supervisor's voice (received from the SFU) mixed with WebAudio into one track.
 * It replaces the microphone on the call's sender, so the customer's widget receives one audio
 * track as always and needs no SFU client, no new signaling and no second connection. The
 * microphone track itself stays the source: mute (the track disabled) silences the agent in the
 * mix, not the supervisor; hold puts the hold tone on the sender instead, as without barge. The
 * call recording does not tap this track: it mixes the same voice stream in on its own mixer while
 * the controller says the customer hears it (CallControllerOptions.onSentVoice), so secure pause
 * keeps its one gate per capture.
 */
export interface VoiceMix {
  readonly track: MediaStreamTrack;
  close(): void;
}

export type VoiceMixFactory = (mic: MediaStream, voice: MediaStream) => VoiceMix;

export const browserVoiceMix: VoiceMixFactory = (mic, voice) => {
  const ctx = new AudioContext();
  void ctx.resume().catch(() => undefined);
  const destination = ctx.createMediaStreamDestination();
  const sources = [mic, voice].filter((s) => s.getAudioTracks().length > 0).map((s) => ctx.createMediaStreamSource(s));
  for (const source of sources) source.connect(destination);
  const track = destination.stream.getAudioTracks()[0]!;
  return {
    track,
    close() {
      for (const source of sources) source.disconnect();
      track.stop();
      void ctx.close().catch(() => undefined);
    },
  };
};
