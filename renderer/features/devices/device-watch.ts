import { type AudioPrefsStore } from './audio-prefs';
import { listAudioDevices } from './device-list';

/**
 * Follows plugged and unplugged devices (devicechange): a chosen device that disappears falls back
 * to the system default (the prefs store says which, and the agent sees a notice); plugged back in,
 * it is used again. Returns the unsubscribe.
 */
export function watchAudioDevices(prefs: AudioPrefsStore, mediaDevices: MediaDevices | undefined = globalThis.navigator?.mediaDevices): () => void {
  if (!mediaDevices?.enumerateDevices) return () => undefined;
  const check = () => {
    listAudioDevices(mediaDevices)
      .then((lists) => prefs.devicesPresent({ microphone: lists.microphones.map((d) => d.deviceId), speaker: lists.speakers.map((d) => d.deviceId) }))
      .catch(() => undefined);
  };
  check();
  mediaDevices.addEventListener('devicechange', check);
  return () => mediaDevices.removeEventListener('devicechange', check);
}
