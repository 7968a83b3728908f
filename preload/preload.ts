import { contextBridge, ipcRenderer } from 'electron';
import { createElectronBridge } from './bridge';

// Only the bridge's functions cross into the page; ipcRenderer itself never does.
contextBridge.exposeInMainWorld(
  'veildesk',
  createElectronBridge((channel, ...args) => ipcRenderer.invoke(channel, ...args)),
);
