import path from 'node:path';
import { app, BrowserWindow, desktopCapturer, globalShortcut, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME } from './app-origin';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol';
import { captureProtection, protectWindow } from './capture/content-protection';
import { CaptureSelection, installDisplayMediaHandler } from './capture/display-media';
import { listCaptureSources } from './capture/sources';
import { createIpcHandlers } from './ipc/handlers';
import { registerIpcHandlers } from './ipc/register';
import { createLocalDataBindings } from './local-data-binding';
import { createLocalKeyStore } from './local-data-keys';
import { consoleLogger as log } from './log';
import { installNavigationGuard } from './navigation';
import { installPermissionHandlers } from './permissions';
import { SECURE_PAUSE_EVENT } from '../shared/bridge/events';
import { registerSecurePauseHotkey, resolveAccelerator } from './secure-pause-hotkey';
import { createSettingsStore } from './settings';
import { acquireSingleInstance } from './single-instance';
import { openMainWindow } from './window';

// Entry point: wiring only. Every decision lives in the plain modules beside this file.

// Bundled to dist/main/main.cjs; the renderer and preload are built next to it.
const rendererDir = path.join(__dirname, '..', 'renderer');
const preloadPath = path.join(__dirname, '..', 'preload', 'preload.cjs');

// Must happen before 'ready'.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.enableSandbox();
// Lets tests (and anyone running two profiles) use a throwaway profile; set before the lock,
// which is per profile.
if (process.env.VEILDESK_USER_DATA_DIR) app.setPath('userData', path.resolve(process.env.VEILDESK_USER_DATA_DIR));

let mainWindow: BrowserWindow | null = null;
const openExternal = (url: string): Promise<void> => shell.openExternal(url);

function createWindow(): void {
  mainWindow = openMainWindow(
    (options) => {
      const window = new BrowserWindow(options);
      // Keeps Veildesk out of the user's own screen shares where the OS can (Windows, macOS).
      protectWindow(window, process.platform);
      window.on('closed', () => {
        if (mainWindow === window) mainWindow = null;
      });
      return window;
    },
    preloadPath,
    APP_ENTRY_URL,
    (error) => log.error('could not load the app page', { url: APP_ENTRY_URL, error: String(error) }),
  );
}

function start(): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: rendererDir, log }));
  installPermissionHandlers(session.defaultSession, APP_ORIGIN, log);
  const captureSelection = new CaptureSelection();
  installDisplayMediaHandler(session.defaultSession, { capturer: desktopCapturer, selection: captureSelection, appOrigin: APP_ORIGIN, log });
  const capture = {
    list: () => listCaptureSources(desktopCapturer, () => BrowserWindow.getAllWindows().map((w) => w.getMediaSourceId())),
    select: (id: string) => captureSelection.select(id),
    protection: () => captureProtection(process.platform),
  };
  const settings = createSettingsStore({ dir: app.getPath('userData'), log });
  const localKeys = {
    store: createLocalKeyStore({ dir: app.getPath('userData'), safeStorage, platform: process.platform, log }),
    bindings: createLocalDataBindings({ log }),
  };
  registerIpcHandlers(
    ipcMain,
    createIpcHandlers({ getVersion: () => app.getVersion(), platform: process.platform, settings, openExternal, capture, localKeys }),
    {
      appOrigin: APP_ORIGIN,
      isOurWebContents: (sender) => BrowserWindow.getAllWindows().some((w) => w.webContents === sender),
      log,
    },
  );
  createWindow();
  const hotkey = registerSecurePauseHotkey({
    shortcut: globalShortcut,
    accelerator: resolveAccelerator(process.env.VEILDESK_SECURE_PAUSE_HOTKEY, log),
    onPressed: () => mainWindow?.webContents.send(SECURE_PAUSE_EVENT),
    log,
  });
  app.on('will-quit', () => hotkey.dispose());
}

if (acquireSingleInstance(app, () => mainWindow)) {
  // Every webContents, present or future, gets the same navigation and window-open rules.
  app.on('web-contents-created', (_event, contents) => {
    installNavigationGuard(contents, { appOrigin: APP_ORIGIN, openExternal, log });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.whenReady().then(start).catch((error: unknown) => {
    log.error('failed to start', { error: String(error) });
    app.quit();
  });
}
