import { contextBridge, ipcRenderer } from 'electron';
import { createElectronBridge } from './bridge';
import { installLinkClicks } from './link-clicks';

const openClickedLink = (url: string): void => {
  ipcRenderer.invoke('shell:open-external', url).catch(() => {
    // Main refused (not https) or the browser failed to start: the click simply does nothing.
  });
};

// Only the bridge's functions cross into the page; ipcRenderer itself never does.
contextBridge.exposeInMainWorld(
  'veildesk',
  createElectronBridge(
    (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    (event, listener) => {
      // The page's listener gets no IPC event object: nothing of ipcRenderer crosses over, only main's arguments.
      const handler = (_event: unknown, ...args: unknown[]) => listener(...args);
      ipcRenderer.on(event, handler);
      return () => void ipcRenderer.removeListener(event, handler);
    },
    // Read in the preload's isolated world, where the page cannot redefine it.
    { hasUserActivation: () => navigator.userActivation?.isActive === true },
  ),
);

// Clicked links leave the app only through here (a trusted click in this isolated world).
installLinkClicks(window, window.location.origin, openClickedLink);
