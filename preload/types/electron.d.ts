/**
 * The part of Electron's API a sandboxed preload can use, and the only part this one does.
 * electron.d.ts references Node's types, which a sandboxed preload does not have, so
 * tsconfig.preload.json maps 'electron' here (compilerOptions.paths); main/ keeps the real types.
 */
export interface IpcRendererEvent {
  sender: unknown;
}

export declare const contextBridge: {
  exposeInMainWorld(apiKey: string, api: unknown): void;
};

export declare const ipcRenderer: {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (...args: never[]) => void): unknown;
};
