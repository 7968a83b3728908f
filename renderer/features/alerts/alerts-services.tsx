import { createContext, type ReactNode, useContext } from 'react';
import { type RingtonePlayer } from '../../media/ringtone';
import { type AudioPrefsStore } from '../devices/audio-prefs';
import { type WebNotifier } from './web-notifier';

/** What the alert and audio-settings components use, created once in main.tsx. */
export interface AlertServices {
  prefs: AudioPrefsStore;
  ringtone: RingtonePlayer;
  /** Null in the desktop app, whose notifications go through main (no permission to ask). */
  webNotifier: WebNotifier | null;
}

const AlertServicesContext = createContext<AlertServices | null>(null);

export function AlertServicesProvider({ services, children }: { services: AlertServices; children: ReactNode }) {
  return <AlertServicesContext.Provider value={services}>{children}</AlertServicesContext.Provider>;
}

/** Null when no provider is mounted (e.g. component tests of other features). */
export function useAlertServices(): AlertServices | null {
  return useContext(AlertServicesContext);
}
