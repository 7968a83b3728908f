/**
 * Options for the one app window. The renderer gets no Node, runs sandboxed and isolated from the
 * preload, and can't embed webviews; the only door to main is the validated IPC bridge.
 */
export function mainWindowOptions(preloadPath: string) {
  return {
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    show: false, // shown on ready-to-show, so there is no white flash
    title: 'Veildesk',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false, // spellcheck may send typed text to a cloud dictionary service
    },
  } as const;
}

export type MainWindowOptions = ReturnType<typeof mainWindowOptions>;

/** The part of BrowserWindow needed to show it and load the app. */
export interface ShowableWindow {
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  loadURL(url: string): Promise<void>;
}

/**
 * Creates the window and starts loading the app. A failed load is reported and the window is
 * shown anyway, so the app never lingers invisible with nothing to close.
 */
export function openMainWindow<W extends ShowableWindow>(
  create: (options: MainWindowOptions) => W,
  preloadPath: string,
  entryUrl: string,
  onLoadError: (error: unknown) => void,
): W {
  const window = create(mainWindowOptions(preloadPath));
  window.once('ready-to-show', () => window.show());
  window.loadURL(entryUrl).catch((error: unknown) => {
    onLoadError(error);
    window.show();
  });
  return window;
}
