/** The audio devices to offer in Settings → Audio, from enumerateDevices. */
export interface AudioDeviceOption {
  deviceId: string;
  label: string;
}

export interface AudioDeviceLists {
  microphones: AudioDeviceOption[];
  speakers: AudioDeviceOption[];
}

type DeviceInfo = Pick<MediaDeviceInfo, 'deviceId' | 'kind' | 'label'>;

/**
 * Groups devices by kind. The browser's "default" entry becomes the '' choice (follow the system);
 * devices without a label (no permission yet) are numbered.
 */
export function audioDeviceLists(devices: readonly DeviceInfo[]): AudioDeviceLists {
  const of = (kind: MediaDeviceKind, noun: string): AudioDeviceOption[] => {
    const list = devices.filter((d) => d.kind === kind && d.deviceId && d.deviceId !== 'default' && d.deviceId !== 'communications');
    return list.map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${noun} ${i + 1}` }));
  };
  return { microphones: of('audioinput', 'Microphone'), speakers: of('audiooutput', 'Speaker') };
}

export async function listAudioDevices(mediaDevices: Pick<MediaDevices, 'enumerateDevices'> | undefined = globalThis.navigator?.mediaDevices): Promise<AudioDeviceLists> {
  if (!mediaDevices?.enumerateDevices) return { microphones: [], speakers: [] };
  return audioDeviceLists(await mediaDevices.enumerateDevices());
}
