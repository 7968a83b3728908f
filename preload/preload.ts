import { contextBridge, ipcRenderer } from 'electron';
import { createElectronBridge } from './bridge';

// Only the bridge's functions cross into the page; ipcRenderer itself never does.
contextBridge.exposeInMainWorld(
  'veildesk',
  createElectronBridge(
    (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    (event, listener) => {
      // The page's listener gets no IPC event object: nothing of ipcRenderer crosses over.
      const handler = () => listener();
      ipcRenderer.on(event, handler);
      return () => void ipcRenderer.removeListener(event, handler);
    },
  ),
);
