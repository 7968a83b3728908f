import { createStore, type StoreApi } from 'zustand/vanilla';

/**
 * The agent's audio devices, remembered per machine in localStorage (device ids are random per
 * origin and machine, not personal data; nothing here leaves the computer). '' means the system
 * default. `fallback` says which chosen device went missing and is standing in for it with the
 * default (told to the agent until dismissed).
 */
export interface AudioPrefs {
  microphone: string;
  speaker: string;
  ringer: string;
  /** Play a short chime for a new chat offer (calls always ring). */
  chimeForChats: boolean;
}

export type AudioRole = 'microphone' | 'speaker' | 'ringer';

export interface AudioPrefsState extends AudioPrefs {
  /** Chosen devices not present now: the default is used instead. */
  missing: readonly AudioRole[];
  /** A sentence for the agent about the last fallback, or null. */
  notice: string | null;
}

export const AUDIO_PREFS_KEY = 'veildesk.audioDevices';

export const DEFAULT_PREFS: AudioPrefs = { microphone: '', speaker: '', ringer: '', chimeForChats: true };

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** Reads the stored choice; anything unreadable gives the defaults. */
export function readPrefs(storage: KeyValueStorage | null): AudioPrefs {
  try {
    const raw = storage?.getItem(AUDIO_PREFS_KEY);
    if (!raw) return DEFAULT_PREFS;
    const value = JSON.parse(raw) as Record<string, unknown>;
    const id = (v: unknown) => (typeof v === 'string' && v.length <= 500 ? v : '');
    return {
      microphone: id(value.microphone),
      speaker: id(value.speaker),
      ringer: id(value.ringer),
      chimeForChats: typeof value.chimeForChats === 'boolean' ? value.chimeForChats : DEFAULT_PREFS.chimeForChats,
    };
  } catch {
    return DEFAULT_PREFS;
  }
}

export function writePrefs(storage: KeyValueStorage | null, prefs: AudioPrefs): void {
  try {
    storage?.setItem(AUDIO_PREFS_KEY, JSON.stringify(prefs));
  } catch {
    // Quota or policy: the choice lasts until the page closes.
  }
}

export function safeLocalStorage(): KeyValueStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The device to use for a role: the chosen one unless it is missing now, then the default. */
export function effectiveDevice(state: AudioPrefsState, role: AudioRole): string {
  return state.missing.includes(role) ? '' : state[role];
}

export interface AudioPrefsStore extends StoreApi<AudioPrefsState> {
  choose(role: AudioRole, deviceId: string): void;
  setChime(on: boolean): void;
  /** The ids of the devices present now: chosen ones not among them fall back to the default. */
  devicesPresent(ids: { microphone: readonly string[]; speaker: readonly string[] }): void;
  /** A chosen device could not be opened now (e.g. the microphone at a call's start): the default stands in. */
  markMissing(role: AudioRole): void;
  dismissNotice(): void;
}

const ROLE_WORDS: Record<AudioRole, string> = { microphone: 'microphone', speaker: 'speaker', ringer: 'ringer' };

export function createAudioPrefsStore(storage: KeyValueStorage | null = safeLocalStorage()): AudioPrefsStore {
  const store = createStore<AudioPrefsState>()(() => ({ ...readPrefs(storage), missing: [], notice: null }));
  const save = () => {
    const { microphone, speaker, ringer, chimeForChats } = store.getState();
    writePrefs(storage, { microphone, speaker, ringer, chimeForChats });
  };
  return Object.assign(store, {
    choose(role: AudioRole, deviceId: string) {
      store.setState((s) => ({ [role]: deviceId, missing: s.missing.filter((r) => r !== role) }));
      save();
    },
    setChime(on: boolean) {
      store.setState({ chimeForChats: on });
      save();
    },
    devicesPresent(ids: { microphone: readonly string[]; speaker: readonly string[] }) {
      const s = store.getState();
      const absent = (role: AudioRole) => {
        const chosen = s[role];
        if (!chosen || chosen === 'default') return false;
        return !(role === 'microphone' ? ids.microphone : ids.speaker).includes(chosen);
      };
      const missing = (['microphone', 'speaker', 'ringer'] as const).filter(absent);
      const gone = missing.filter((r) => !s.missing.includes(r));
      const notice = gone.length
        ? `Your ${gone.map((r) => ROLE_WORDS[r]).join(' and ')} ${gone.length > 1 ? 'were' : 'was'} disconnected: using the system default instead.`
        : s.notice;
      if (missing.length === s.missing.length && gone.length === 0) return;
      store.setState({ missing, notice });
    },
    markMissing(role: AudioRole) {
      const s = store.getState();
      if (!s[role] || s.missing.includes(role)) return;
      store.setState({ missing: [...s.missing, role], notice: `Your ${ROLE_WORDS[role]} is not connected: using the system default instead.` });
    },
    dismissNotice() {
      store.setState({ notice: null });
    },
  });
}
