import { useStore } from 'zustand';
import { useAlertServices } from '../alerts/alerts-services';
import { type AudioPrefsState, type AudioPrefsStore } from './audio-prefs';

const NO_PREFS: AudioPrefsState = { microphone: '', speaker: '', ringer: '', chimeForChats: true, missing: [], notice: null };
const noopStore = { getState: () => NO_PREFS, subscribe: () => () => undefined, getInitialState: () => NO_PREFS } as unknown as AudioPrefsStore;

/** The audio prefs through a selector; the defaults when no provider is mounted. */
export function useAudioPrefs<T>(selector: (s: AudioPrefsState) => T): T {
  const prefs = useAlertServices()?.prefs ?? noopStore;
  return useStore(prefs, selector);
}
