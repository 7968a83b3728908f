import { type AudioPrefsStore } from './audio-prefs';
import { listAudioDevices } from './device-list';

/**
 * Follows plugged and unplugged devices (devicechange): a chosen device that disappears falls back
 * to the system default (the prefs store says which, and the agent sees a notice); plugged back in,
 * it is used again. Returns the unsubscribe and `recheck` (after sleep the list may have changed
 * without a devicechange event).
 */
export function watchAudioDevices(prefs: AudioPrefsStore, mediaDevices: MediaDevices | undefined = globalThis.navigator?.mediaDevices): (() => void) & { recheck(): void } {
  if (!mediaDevices?.enumerateDevices) return Object.assign(() => undefined, { recheck: () => undefined });
  const check = () => {
    listAudioDevices(mediaDevices)
      .then((lists) => prefs.devicesPresent({ microphone: lists.microphones.map((d) => d.deviceId), speaker: lists.speakers.map((d) => d.deviceId) }))
      .catch(() => undefined);
  };
  check();
  mediaDevices.addEventListener('devicechange', check);
  return Object.assign(() => mediaDevices.removeEventListener('devicechange', check), { recheck: check });
}
