import { getMicrophone } from './microphone';

/**
 * The microphone chosen in Settings → Audio for a call, kept alive through an unplug: when the
 * chosen device's track ends mid-call (the headset pulled out), the system default takes its place
 * in the same outgoing track, so the call goes on without renegotiation, and `onFallback` tells the
 * agent. The swap happens inside a WebAudio graph (source → MediaStreamDestination), used only when
 * a specific device was chosen: the system default goes straight to the call as before.
 */

export interface ChosenMicrophoneEnv {
  mediaDevices?: Pick<MediaDevices, 'getUserMedia'> | undefined;
  createContext?: () => AudioContext;
}

export async function openChosenMicrophone(deviceId: string, onFallback: () => void, env: ChosenMicrophoneEnv = {}): Promise<MediaStream> {
  const mediaDevices = 'mediaDevices' in env ? env.mediaDevices : globalThis.navigator?.mediaDevices;
  let fellBack = false;
  const first = await getMicrophone(mediaDevices, deviceId, () => {
    fellBack = true;
    onFallback();
  });
  // Nothing chosen, or already on the default: nothing to swap later.
  if (!deviceId || fellBack) return first;

  const ctx = (env.createContext ?? (() => new AudioContext()))();
  if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
  const destination = ctx.createMediaStreamDestination();
  let current = first;
  let source = ctx.createMediaStreamSource(first);
  source.connect(destination);
  let closed = false;

  const follow = (stream: MediaStream) => {
    for (const track of stream.getAudioTracks()) {
      track.addEventListener('ended', () => {
        if (closed || current !== stream) return;
        onFallback();
        getMicrophone(mediaDevices, '')
          .then((next) => {
            if (closed) {
              next.getTracks().forEach((t) => t.stop());
              return;
            }
            source.disconnect();
            current = next;
            source = ctx.createMediaStreamSource(next);
            source.connect(destination);
            follow(next);
          })
          .catch(() => undefined); // No microphone at all: the call goes on silent; the notice says why.
      });
    }
  };
  follow(first);

  // Stopping the call's track releases the real device and the graph too.
  for (const track of destination.stream.getAudioTracks()) {
    const stop = track.stop.bind(track);
    track.stop = () => {
      closed = true;
      stop();
      current.getTracks().forEach((t) => t.stop());
      source.disconnect();
      void ctx.close().catch(() => undefined);
    };
  }
  return destination.stream;
}
