import type { AppInfo, CaptureProtection, CaptureSource, DesktopBridge, InstallUpdateAnswer, LocalDataKeyAnswer, OfferNotification, UpdateStatus } from '../shared/bridge/desktop-bridge';
import type { IpcChannel, IpcResponse } from '../shared/bridge/ipc';
import { OFFER_NOTIFICATION_CLICK_EVENT, SECURE_PAUSE_EVENT } from '../shared/bridge/events';

// Type-only imports (events.ts imports nothing): the sandboxed preload bundle must stay free of zod and everything else.

export type Invoke = (channel: IpcChannel, ...args: unknown[]) => Promise<unknown>;
/** Listens to an event main sends (ipcRenderer.on), with its arguments but never the IPC event object; returns the unsubscribe. */
export type Subscribe = (event: string, listener: (...args: unknown[]) => void) => () => void;

/** What a notification click may hand the page: a plain interaction id (the shape of OfferInteractionId, without zod). */
const INTERACTION_ID = /^[\w-]{1,100}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Returns the value of an IpcResult, or throws an Error with main's message. */
export function unwrapIpcResult<T>(channel: IpcChannel, result: unknown): T {
  if (isRecord(result) && result.ok === true) return result.value as T;
  if (isRecord(result) && result.ok === false && isRecord(result.error)) {
    const error = new Error(String(result.error.message ?? `${channel} failed`));
    error.name = `IpcError(${String(result.error.code ?? 'unknown')})`;
    throw error;
  }
  throw new Error(`${channel}: unexpected reply from the app`);
}

export interface BridgeOptions {
  /**
   * navigator.userActivation.isActive: true for a few seconds after the user clicked or typed.
   * openExternal refuses without it, so a script alone can never open a link.
   */
  hasUserActivation?: () => boolean;
}

/**
 * The DesktopBridge the preload exposes as window.veildesk. Each method is one invoke on a
 * contract channel; the renderer never sees ipcRenderer or channel names.
 */
export function createElectronBridge(invoke: Invoke, subscribe?: Subscribe, options: BridgeOptions = {}): DesktopBridge {
  const hasUserActivation = options.hasUserActivation ?? (() => false);
  const call = async <C extends IpcChannel>(channel: C, ...args: unknown[]): Promise<IpcResponse<C>> =>
    unwrapIpcResult<IpcResponse<C>>(channel, await invoke(channel, ...args));
  return {
    kind: 'electron',
    getAppInfo: (): Promise<AppInfo> => call('app:info'),
    getServerUrl: () => call('settings:get-server-url'),
    setServerUrl: (url) => call('settings:set-server-url', url),
    openExternal: (url) =>
      hasUserActivation()
        ? call('shell:open-external', url)
        : Promise.reject(new Error('Links open only when you click them.')),
    listCaptureSources: (): Promise<CaptureSource[]> => call('capture:list-sources'),
    selectCaptureSource: (id) => call('capture:select-source', id),
    getCaptureProtection: (): Promise<CaptureProtection> => call('capture:protection'),
    getLocalDataKey: (scope): Promise<LocalDataKeyAnswer> => call('local-data:key', scope),
    bindLocalDataUser: (proof) => call('local-data:bind-user', proof),
    releaseLocalDataUser: () => call('local-data:release-user'),
    forgetLocalDataKey: (scope) => call('local-data:forget-key', scope),
    setInteractionLive: (live) => call('update:interaction-live', live),
    getUpdateStatus: (): Promise<UpdateStatus> => call('update:status'),
    installUpdateNow: (): Promise<InstallUpdateAnswer> => call('update:install-now'),
    notifyOffer: (notification: OfferNotification) => call('notify:offer', notification),
    setBadgeCount: (count) => call('app:set-badge-count', count),
    ...(subscribe
      ? {
          onSecurePauseHotkey: (listener: () => void) => subscribe(SECURE_PAUSE_EVENT, () => listener()),
          onOfferNotificationClick: (listener: (interactionId: string) => void) =>
            subscribe(OFFER_NOTIFICATION_CLICK_EVENT, (id) => {
              if (typeof id === 'string' && INTERACTION_ID.test(id)) listener(id);
            }),
        }
      : {}),
  };
}
