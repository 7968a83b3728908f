import type { CaptureProtection, CaptureSource, InstallUpdateAnswer, OfferNotification, UpdateStatus } from '../../shared/bridge/desktop-bridge';
import type { LocalDataBindings } from '../local-data-binding';
import { LocalDataBindingError } from '../local-data-binding';
import type { LocalKeyStore } from '../local-data-keys';
import type { SettingsStore } from '../settings';
import { disabledUpdateStatus } from '../update/controller';
import { IPC_ERROR, type IpcCaller, IpcError, type IpcHandlers } from './register';

export interface HandlerDeps {
  getVersion(): string;
  platform: string;
  settings: Pick<SettingsStore, 'getServerUrl' | 'setServerUrl'>;
  /** main/external-links.ts: a clicked https link to the system browser. */
  openClickedLink(url: string): Promise<void>;
  /** The automatic update (main/update/controller.ts); absent when no feed is configured. */
  updates?: UpdateDeps;
  /** Screen sharing (main/capture); without it the capture channels answer "not available". */
  capture?: CaptureDeps;
  /** Keys of the renderer's encrypted local data (local-data-keys.ts), each window bound to its signed-in user (local-data-binding.ts). */
  localKeys?: { store: LocalKeyStore; bindings: LocalDataBindings };
  /** Offer notifications and the badge (main/offer-alerts.ts); without it both do nothing. */
  alerts?: AlertDeps;
}

export interface AlertDeps {
  notifyOffer(notification: OfferNotification): void;
  setBadgeCount(count: number): void;
}

export interface UpdateDeps {
  setInteractionLive(live: boolean): void;
  status(): UpdateStatus;
  installNow(): Promise<InstallUpdateAnswer>;
}
export const NOT_SIGNED_IN_MESSAGE = 'This window is not signed in as the owner of that local data; sign in again to open it.';

export interface CaptureDeps {
  list(): Promise<CaptureSource[]>;
  select(id: string): void;
  protection(): CaptureProtection;
}

function noLocalKeys(): never {
  throw new IpcError(IPC_ERROR.failed, 'Local data keys are not available in this build.');
}

function noCapture(): never {
  throw new IpcError(IPC_ERROR.failed, 'Screen sharing is not available in this build.');
}

export function createIpcHandlers(deps: HandlerDeps): IpcHandlers {
  const keys = () => deps.localKeys ?? noLocalKeys();
  const senderOf = (caller: IpcCaller | undefined) => caller?.sender ?? {};
  return {
    'app:info': () => ({ version: deps.getVersion(), platform: deps.platform, kind: 'electron' }),
    'settings:get-server-url': () => deps.settings.getServerUrl(),
    'settings:set-server-url': (url) => deps.settings.setServerUrl(url),
    // The contract checked the URL (https only); the opener checks it again right at the sink.
    'shell:open-external': (url) => deps.openClickedLink(url),
    'update:interaction-live': (live) => deps.updates?.setInteractionLive(live),
    'update:status': () => deps.updates?.status() ?? disabledUpdateStatus('Automatic updates are off: no update feed is configured.'),
    'update:install-now': () => deps.updates?.installNow() ?? { installing: false, reason: 'Automatic updates are off: no update feed is configured.' },
    'capture:list-sources': () => (deps.capture ? deps.capture.list() : noCapture()),
    'capture:select-source': (id) => (deps.capture ? deps.capture.select(id) : noCapture()),
    'capture:protection': () => (deps.capture ? deps.capture.protection() : noCapture()),
    'local-data:bind-user': async (proof, caller) => {
      try {
        await keys().bindings.bind(senderOf(caller), proof);
      } catch (error) {
        if (error instanceof LocalDataBindingError) throw new IpcError(error.code, error.message);
        throw error;
      }
    },
    'local-data:release-user': (caller) => keys().bindings.release(senderOf(caller)),
    'local-data:key': async (scope, caller) => {
      const { store, bindings } = keys();
      if (!bindings.mayRead(senderOf(caller), scope)) return { status: 'unavailable', reason: 'not_signed_in', message: NOT_SIGNED_IN_MESSAGE };
      return store.getKey(scope);
    },
    'local-data:forget-key': async (scope, caller) => {
      const { store, bindings } = keys();
      if (!bindings.mayForget(senderOf(caller), scope)) throw new IpcError(IPC_ERROR.forbidden, NOT_SIGNED_IN_MESSAGE);
      await store.forgetKey(scope);
    },
    'notify:offer': (notification) => deps.alerts?.notifyOffer(notification),
    'app:set-badge-count': (count) => deps.alerts?.setBadgeCount(count),
  };
}
