import { describe, expect, it } from 'vitest';
import { AUDIO_PREFS_KEY, createAudioPrefsStore, DEFAULT_PREFS, effectiveDevice, readPrefs } from '../../../../renderer/features/devices/audio-prefs';
import { audioDeviceLists } from '../../../../renderer/features/devices/device-list';
import { memoryStorage } from '../store-harness';

describe('audio prefs', () => {
  it('remembers the choice on this machine and reads it back', () => {
    const storage = memoryStorage();
    const prefs = createAudioPrefsStore(storage);
    prefs.choose('ringer', 'out-2');
    prefs.choose('microphone', 'mic-1');
    prefs.setChime(false);
    expect(JSON.parse(storage.map.get(AUDIO_PREFS_KEY)!)).toEqual({ microphone: 'mic-1', speaker: '', ringer: 'out-2', chimeForChats: false });
    expect(createAudioPrefsStore(storage).getState()).toMatchObject({ microphone: 'mic-1', ringer: 'out-2', chimeForChats: false });
  });

  it('gives the defaults for a missing or damaged entry', () => {
    const storage = memoryStorage();
    expect(readPrefs(storage)).toEqual(DEFAULT_PREFS);
    storage.setItem(AUDIO_PREFS_KEY, '{not json');
    expect(readPrefs(storage)).toEqual(DEFAULT_PREFS);
    storage.setItem(AUDIO_PREFS_KEY, JSON.stringify({ ringer: 42, speaker: 'x'.repeat(600), chimeForChats: 'yes' }));
    expect(readPrefs(storage)).toEqual(DEFAULT_PREFS);
    expect(readPrefs(null)).toEqual(DEFAULT_PREFS);
  });

  it('falls back to the default when a chosen device is unplugged, tells the agent, and uses it again when it is back', () => {
    const prefs = createAudioPrefsStore(memoryStorage());
    prefs.choose('speaker', 'head-out');
    prefs.choose('ringer', 'desk-out');
    prefs.devicesPresent({ microphone: [], speaker: ['head-out', 'desk-out'] });
    expect(prefs.getState().notice).toBeNull();
    expect(effectiveDevice(prefs.getState(), 'speaker')).toBe('head-out');

    prefs.devicesPresent({ microphone: [], speaker: ['desk-out'] });
    expect(effectiveDevice(prefs.getState(), 'speaker')).toBe('');
    expect(effectiveDevice(prefs.getState(), 'ringer')).toBe('desk-out');
    expect(prefs.getState().notice).toBe('Your speaker was disconnected: using the system default instead.');
    // The choice itself is kept for when the headset comes back.
    expect(prefs.getState().speaker).toBe('head-out');

    prefs.dismissNotice();
    prefs.devicesPresent({ microphone: [], speaker: ['desk-out', 'head-out'] });
    expect(effectiveDevice(prefs.getState(), 'speaker')).toBe('head-out');
    expect(prefs.getState().notice).toBeNull();
  });

  it('marks the microphone missing when it could not be opened for a call', () => {
    const prefs = createAudioPrefsStore(memoryStorage());
    prefs.markMissing('microphone'); // nothing chosen: nothing to fall back from
    expect(prefs.getState().notice).toBeNull();
    prefs.choose('microphone', 'usb-mic');
    prefs.markMissing('microphone');
    expect(effectiveDevice(prefs.getState(), 'microphone')).toBe('');
    expect(prefs.getState().notice).toMatch(/microphone is not connected/);
  });
});

describe('device lists', () => {
  it('groups inputs and outputs, leaves out the browser’s default entries, numbers unlabelled devices', () => {
    const lists = audioDeviceLists([
      { kind: 'audioinput', deviceId: 'default', label: 'Default' },
      { kind: 'audioinput', deviceId: 'm1', label: '' },
      { kind: 'audiooutput', deviceId: 'default', label: 'Default' },
      { kind: 'audiooutput', deviceId: 'o1', label: 'Desk speaker' },
      { kind: 'videoinput', deviceId: 'v1', label: 'Camera' },
    ]);
    expect(lists).toEqual({ microphones: [{ deviceId: 'm1', label: 'Microphone 1' }], speakers: [{ deviceId: 'o1', label: 'Desk speaker' }] });
  });
});
