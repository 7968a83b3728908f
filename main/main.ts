import path from 'node:path';
import { app, BrowserWindow, desktopCapturer, globalShortcut, ipcMain, Menu, Notification, protocol, safeStorage, session, shell } from 'electron';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME } from './app-origin';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol';
import { captureProtection, protectWindow } from './capture/content-protection';
import { CaptureSelection, installDisplayMediaHandler } from './capture/display-media';
import { listCaptureSources } from './capture/sources';
import { appMenuTemplate, lockDevTools } from './devtools';
import { createLinkOpener } from './external-links';
import { createIpcHandlers } from './ipc/handlers';
import { registerIpcHandlers } from './ipc/register';
import { createLocalDataBindings } from './local-data-binding';
import { createLocalKeyStore } from './local-data-keys';
import { consoleLogger as log } from './log';
import { installNavigationGuard } from './navigation';
import { installPermissionHandlers } from './permissions';
import { OFFER_NOTIFICATION_CLICK_EVENT, SECURE_PAUSE_EVENT } from '../shared/bridge/events';
import { createOfferAlerts } from './offer-alerts';
import { registerSecurePauseHotkey, resolveAccelerator } from './secure-pause-hotkey';
import { createSettingsStore } from './settings';
import { acquireSingleInstance } from './single-instance';
import { startUpdates } from './update/start';
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
const openClickedLink = createLinkOpener(shell, log);
// DevTools exist only in development; a packaged build has none (docs/desktop-security.md).
const devToolsAllowed = !app.isPackaged;

function createWindow(): void {
  // Every option is written out here, in the constructor call, where a reviewer and
  // Electronegativity can see it. The renderer gets no Node, runs sandboxed and isolated from the
  // preload, and can't embed webviews; the only door to main is the validated IPC bridge.
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    show: false, // shown on ready-to-show, so there is no white flash
    title: 'Veildesk',
    autoHideMenuBar: true,
    webPreferences: {
      // Reviewed (PRELOAD_JS_CHECK asks for it on every preload): preload/preload.ts exposes only the
      // DesktopBridge's functions through contextBridge, never ipcRenderer, and runs sandboxed.
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // A middle click would otherwise fire auxclick handlers and open links in new windows.
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: devToolsAllowed,
      spellcheck: false, // spellcheck may send typed text to a cloud dictionary service
    },
  });
  lockDevTools(window.webContents, devToolsAllowed);
  // Keeps Veildesk out of the user's own screen shares where the OS can (Windows, macOS).
  protectWindow(window, process.platform);
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  mainWindow = openMainWindow(window, APP_ENTRY_URL, (error) =>
    log.error('could not load the app page', { url: APP_ENTRY_URL, error: String(error) }),
  );
}

function start(): void {
  // Replaces Electron's default menu, whose View menu opens DevTools (Ctrl+Shift+I).
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ platform: process.platform, devTools: devToolsAllowed })));
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
    createIpcHandlers({
      getVersion: () => app.getVersion(),
      platform: process.platform,
      settings,
      openClickedLink,
      capture,
      localKeys,
      alerts: createOfferAlerts({
        isSupported: () => Notification.isSupported(),
        create: (options) => new Notification(options),
        getWindow: () => {
          const window = mainWindow;
          if (!window) return null;
          return {
            isMinimized: () => window.isMinimized(),
            restore: () => window.restore(),
            show: () => window.show(),
            focus: () => window.focus(),
            send: (event, interactionId) => window.webContents.send(event, interactionId),
          };
        },
        setBadgeCount: (count) => void app.setBadgeCount(count),
        clickEvent: OFFER_NOTIFICATION_CLICK_EVENT,
      }),
      // Packaged builds with a feed only; electron-updater loads only then (it reads the app's paths).
      updates: startUpdates({
        isPackaged: app.isPackaged,
        env: process.env,
        readFeedSetting: () => settings.getUpdateFeedUrl(),
        loadUpdater: async () => (await import('electron-updater')).autoUpdater,
        log,
      }),
    }),
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
    installNavigationGuard(contents, { appOrigin: APP_ORIGIN, log });
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
