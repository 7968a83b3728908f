/** The part of BrowserWindow needed to show it and load the app. */
export interface ShowableWindow {
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  loadURL(url: string): Promise<void>;
}

/**
 * Shows the new window when ready and starts loading the app. A failed load is reported and the
 * window is shown anyway, so the app never lingers invisible with nothing to close.
 *
 * The window's options are written out in main.ts's `new BrowserWindow({...})` call, not built
 * here: Electronegativity reads the constructor call's literal, and a helper hides them from it.
 */
export function openMainWindow<W extends ShowableWindow>(window: W, entryUrl: string, onLoadError: (error: unknown) => void): W {
  window.once('ready-to-show', () => window.show());
  window.loadURL(entryUrl).catch((error: unknown) => {
    onLoadError(error);
    window.show();
  });
  return window;
}
