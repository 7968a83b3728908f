import type { SettingsStore } from '../settings';
import { isExternalHttpUrl } from '../navigation';
import { IPC_ERROR, IpcError, type IpcHandlers } from './register';

export interface HandlerDeps {
  getVersion(): string;
  platform: string;
  settings: Pick<SettingsStore, 'getServerUrl' | 'setServerUrl'>;
  /** shell.openExternal */
  openExternal(url: string): Promise<void>;
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
  };
}
