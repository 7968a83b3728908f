// Keep first: configures zod before any shared schema is constructed.
import './zod-setup';
// Global styles first, so each feature's own CSS (imported by its components) builds on them.
import './app/styles.css';
import './app/controls.css';
import './app/shell.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { registerAppShell } from './app/app-shell-worker';
import { createAppStore } from './app/store';
import { StoreProvider } from './app/store-context';
import { getBridge } from './bridge';
import { localKeyProviderFor } from './data/crypto/local-key';
import { httpSyncTransport } from './data/sync/transport';
import { browserSessionStorage, createSessionStore } from './features/auth/session-store';
import { loadCallPeerModule } from './media/call-peer-loader';
import { openChosenMicrophone } from './media/chosen-microphone';
import { createRingtonePlayer } from './media/ringtone';
import { AlertServicesProvider } from './features/alerts/alerts-services';
import { createWebNotifier } from './features/alerts/web-notifier';
import { wireOfferAlerts } from './features/alerts/wire-alerts';
import { createAudioPrefsStore, effectiveDevice } from './features/devices/audio-prefs';
import { watchAudioDevices } from './features/devices/device-watch';
import { watchWakeAndRoaming } from './features/connection/wake-watch';
import { createHoldTone } from './media/hold-tone';
import { browserVoiceMix } from './media/voice-mix';
import { exposeCallPeer, exposeConsultPeer } from './media/test-hooks';
import { createPolicyApi } from './features/policy/policy-api';
import { reportInteractionLive } from './features/update/interaction-live';
import { UpdateNotice } from './features/update/UpdateNotice';
import { createApiClient } from './net/api-client';
import { WsClient } from './net/ws-client';

// The only place real side effects are wired in; everything below takes them as dependencies.
const bridge = getBridge();
// Settings → Audio: the devices chosen on this machine (localStorage), followed as they come and go.
const audioPrefs = createAudioPrefsStore();
const audioDevices = watchAudioDevices(audioPrefs);
const store = createAppStore({
  bridge,
  session: createSessionStore(browserSessionStorage()),
  createApi: (baseUrl) => createApiClient({ baseUrl }),
  createConnection: (options) => new WsClient(options),
  policy: createPolicyApi(),
  media: {
    // simple-peer and its Node polyfills load at sign-in, not with the first page.
    prepare: () => void loadCallPeerModule().catch((err: unknown) => console.warn('[veildesk] could not load the call code yet', String(err))),
    createPeer: async (options, handlers) => (await loadCallPeerModule()).createCallPeer(options, handlers),
    // The microphone chosen in Settings → Audio; the default when it is missing or unplugged mid-call.
    getMicrophone: () => openChosenMicrophone(effectiveDevice(audioPrefs.getState(), 'microphone'), () => audioPrefs.markMissing('microphone')),
    exposePeerConnection: exposeCallPeer,
    createHoldTone: () => createHoldTone(),
    mixVoice: browserVoiceMix,
    createConsultPeer: async (options, handlers) => (await loadCallPeerModule()).createConsultPeer(options, handlers),
    exposeConsultPeer,
  },
  localData: {
    keys: localKeyProviderFor(bridge),
    createTransport: (baseUrl, token) => httpSyncTransport({ baseUrl, token }),
    log: (message, detail) => console.warn(`[veildesk] ${message}`, detail ?? ''),
    // Fetching, sealing and writing the backfill off the main thread keeps typing smooth.
    createSyncWorker: () => new Worker(new URL('./data/sync/sync-worker.ts', import.meta.url), { type: 'module', name: 'veildesk-sync' }),
  },
});

// After sleep or a network change: a new socket and a fresh look at the devices, at once.
watchWakeAndRoaming({
  onWake: (why) => {
    console.info(`[veildesk] ${why}: reconnecting`);
    store.getState().freshStart(why);
    audioDevices.recheck();
  },
  connection: (navigator as Navigator & { connection?: EventTarget }).connection ?? null,
});

// Offer alerts: ringtone on the ringer device, OS notifications, window title and dock badge.
const alertServices = {
  prefs: audioPrefs,
  ringtone: createRingtonePlayer(),
  webNotifier: bridge.notifyOffer ? null : createWebNotifier(),
};
wireOfferAlerts({ store, bridge, ...alertServices, log: (message, detail) => console.warn(`[veildesk] ${message}`, detail ?? '') });

// Desktop: main installs an update only when no chat or call is live.
reportInteractionLive(store, bridge, (error) => console.warn('[veildesk] could not report the interaction state', String(error)));
// The web agent only: precached app shell for reloads without the network (never under app://).
registerAppShell(
  { bridgeKind: bridge.kind, protocol: location.protocol, serviceWorker: navigator.serviceWorker as ServiceWorkerContainer | undefined, production: import.meta.env.PROD },
  (message, detail) => console.warn(`[veildesk] ${message}`, detail ?? ''),
);

const container = document.getElementById('root');
if (!container) throw new Error('index.html is missing <div id="root">');

createRoot(container).render(
  <StrictMode>
    <StoreProvider store={store}>
      <AlertServicesProvider services={alertServices}>
        <UpdateNotice bridge={bridge} />
        <App />
      </AlertServicesProvider>
    </StoreProvider>
  </StrictMode>,
);
