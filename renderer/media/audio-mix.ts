/**
 * Mixes a call's two sides (the agent's microphone and the customer's stream) into one audio track
 * with WebAudio. The recorder records this mix and live monitoring sends it, each from its own
 * mixer, so pausing one never touches the other.
 */
export interface Mixer {
  /** The mix: one audio track. */
  stream: MediaStream;
  /** Swaps the inputs (same output track), e.g. after the call's media was re-established. */
  setStreams?(streams: MediaStream[]): void;
  close(): void;
}

export type MixFactory = (streams: MediaStream[]) => Mixer;

/** The browser's WebAudio mixer: each input with audio becomes a source feeding one destination. */
export const browserMix: MixFactory = (streams) => {
  const ctx = new AudioContext();
  void ctx.resume().catch(() => undefined);
  const destination = ctx.createMediaStreamDestination();
  let sources: MediaStreamAudioSourceNode[] = [];
  const connect = (list: MediaStream[]) => {
    for (const source of sources) source.disconnect();
    sources = list.filter((s) => s.getAudioTracks().length > 0).map((s) => ctx.createMediaStreamSource(s));
    for (const source of sources) source.connect(destination);
  };
  connect(streams);
  return {
    stream: destination.stream,
    setStreams: connect,
    close() {
      for (const source of sources) source.disconnect();
      void ctx.close().catch(() => undefined);
    },
  };
};
