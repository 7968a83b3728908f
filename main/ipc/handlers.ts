import type { CaptureProtection, CaptureSource } from '../../shared/bridge/desktop-bridge';
import type { LocalKeyStore } from '../local-data-keys';
import type { SettingsStore } from '../settings';
import { isExternalHttpUrl } from '../navigation';
import { IPC_ERROR, IpcError, type IpcHandlers } from './register';

export interface HandlerDeps {
  getVersion(): string;
  platform: string;
  settings: Pick<SettingsStore, 'getServerUrl' | 'setServerUrl'>;
  /** shell.openExternal */
  openExternal(url: string): Promise<void>;
  /** Screen sharing (main/capture); without it the capture channels answer "not available". */
  capture?: CaptureDeps;
  /** Keys of the renderer's encrypted local data (local-data-keys.ts). */
  localKeys?: LocalKeyStore;
}

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
  return {
    'app:info': () => ({ version: deps.getVersion(), platform: deps.platform, kind: 'electron' }),
    'settings:get-server-url': () => deps.settings.getServerUrl(),
    'settings:set-server-url': (url) => deps.settings.setServerUrl(url),
    'shell:open-external': async (url) => {
      // The contract already checked this; checked again because it is what keeps file: and
      // custom-scheme launches out of shell.openExternal.
      if (!isExternalHttpUrl(url)) throw new IpcError(IPC_ERROR.invalidRequest, 'only http(s) links can be opened');
      await deps.openExternal(url);
    },
    'capture:list-sources': () => (deps.capture ? deps.capture.list() : noCapture()),
    'capture:select-source': (id) => (deps.capture ? deps.capture.select(id) : noCapture()),
    'capture:protection': () => (deps.capture ? deps.capture.protection() : noCapture()),
    'local-data:key': (scope) => (deps.localKeys ? deps.localKeys.getKey(scope) : noLocalKeys()),
    'local-data:forget-key': (scope) => (deps.localKeys ? deps.localKeys.forgetKey(scope) : noLocalKeys()),
  };
}
