import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../shared/bridge/ipc';

// Loads main/main.ts against a fake 'electron' to check the entry wires every module in.
const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const appListeners = new Map<string, Listener[]>();
  const windows: Array<{ options: unknown; url?: string; webContents: object }> = [];
  const state = {
    privileged: [] as unknown[],
    sandboxEnabled: false,
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    ipcHandlers: new Map<string, Listener>(),
    permissionRequest: null as Listener | null,
    permissionCheck: null as Listener | null,
    displayMediaHandler: null as Listener | null,
    shortcuts: new Map<string, () => void>(),
    sentToWindow: [] as string[],
    contentProtected: [] as boolean[],
    userData: '',
    menu: null as unknown,
    devToolsListeners: 0,
    windows,
    appListeners,
  };
  class BrowserWindow {
    static getAllWindows = () => windows.map((w) => w as unknown as BrowserWindow);
    webContents = {
      send: (channel: string) => state.sentToWindow.push(channel),
      on: (event: string) => (event === 'devtools-opened' ? state.devToolsListeners++ : 0),
      closeDevTools: () => {},
    };
    constructor(options: unknown) {
      windows.push(Object.assign(this, { options }) as unknown as (typeof windows)[number]);
    }
    on() {}
    once() {}
    setContentProtection(on: boolean) {
      state.contentProtected.push(on);
    }
    getMediaSourceId() {
      return 'window:1:0';
    }
    show() {}
    loadURL(url: string) {
      (this as unknown as { url: string }).url = url;
      return Promise.resolve();
    }
  }
  const electron = {
    app: {
      // A packaged build: DevTools must be off.
      isPackaged: true,
      enableSandbox: () => (state.sandboxEnabled = true),
      setPath: (_name: string, value: string) => (state.userData = value),
      getPath: () => state.userData,
      getVersion: () => '9.9.9',
      requestSingleInstanceLock: () => true,
      quit: () => {},
      isReady: () => true,
      on: (event: string, listener: Listener) => appListeners.set(event, [...(appListeners.get(event) ?? []), listener]),
      whenReady: () => Promise.resolve(),
    },
    BrowserWindow,
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (menu: unknown) => (state.menu = menu),
    },
    globalShortcut: {
      register: (accelerator: string, callback: () => void) => Boolean(state.shortcuts.set(accelerator, callback)),
      unregister: (accelerator: string) => state.shortcuts.delete(accelerator),
    },
    ipcMain: { handle: (channel: string, listener: Listener) => state.ipcHandlers.set(channel, listener) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => state.privileged.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => state.protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Listener) => (state.permissionRequest = h),
        setPermissionCheckHandler: (h: Listener) => (state.permissionCheck = h),
        setDisplayMediaRequestHandler: (h: Listener) => (state.displayMediaHandler = h),
      },
    },
    desktopCapturer: {
      getSources: async () => [
        { id: 'screen:0:0', name: 'Entire screen', thumbnail: { isEmpty: () => false, toDataURL: () => 'data:image/png;base64,AA==' } },
        { id: 'window:1:0', name: 'Veildesk', thumbnail: { isEmpty: () => false, toDataURL: () => 'data:image/png;base64,AA==' } },
      ],
    },
    shell: { openExternal: vi.fn(async () => {}) },
    // A reversible stand-in for the OS keychain: enough to see the key sealed, stored and read back.
    safeStorage: {
      isAsyncEncryptionAvailable: async () => true,
      isEncryptionAvailable: () => true,
      encryptStringAsync: async (text: string) => Buffer.from(`sealed:${text}`),
      decryptStringAsync: async (b: Buffer) => ({ result: b.toString().replace(/^sealed:/, ''), shouldReEncrypt: false }),
      encryptString: (text: string) => Buffer.from(`sealed:${text}`),
      decryptString: (b: Buffer) => b.toString().replace(/^sealed:/, ''),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    },
  };
  return { state, electron };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

let profile: string;
beforeAll(async () => {
  profile = await mkdtemp(path.join(tmpdir(), 'veildesk-wiring-'));
  process.env.VEILDESK_USER_DATA_DIR = profile;
  process.env.VEILDESK_SERVER_URL = 'http://127.0.0.1:4999';
  await import('../../../main/main');
  await new Promise((resolve) => setTimeout(resolve, 10)); // let whenReady().then(start) run
});
afterAll(async () => {
  delete process.env.VEILDESK_USER_DATA_DIR;
  delete process.env.VEILDESK_SERVER_URL;
  await rm(profile, { recursive: true, force: true });
});

describe('main entry wiring', () => {
  const { state } = fake;

  it('registers the app scheme as privileged and enables the sandbox before ready', () => {
    expect(state.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(state.sandboxEnabled).toBe(true);
    expect(state.userData).toBe(path.resolve(profile));
  });

  it('serves the app protocol and installs permission handlers', () => {
    expect([...state.protocolHandlers.keys()]).toEqual(['app']);
    expect(state.permissionRequest).toBeTypeOf('function');
    expect(state.permissionCheck).toBeTypeOf('function');
  });

  it('installs the display-media handler: refuses without a pick, grants the picked source once, video only', async () => {
    const handler = state.displayMediaHandler!;
    expect(handler).toBeTypeOf('function');
    const request = { securityOrigin: 'app://veildesk', frame: { url: 'app://veildesk/index.html', parent: null }, videoRequested: true, audioRequested: true };
    const answer = (r: object) => new Promise((resolve) => handler(r, resolve));
    expect(await answer(request)).toBeNull();
    const ours = state.windows[0]?.webContents;
    const frame = { url: 'app://veildesk/index.html', parent: null };
    const list = (await state.ipcHandlers.get('capture:list-sources')?.({ sender: ours, senderFrame: frame })) as { ok: boolean; value: { id: string }[] };
    // Veildesk's own window is not offered.
    expect(list.value.map((s) => s.id)).toEqual(['screen:0:0']);
    expect(await state.ipcHandlers.get('capture:select-source')?.({ sender: ours, senderFrame: frame }, 'screen:0:0')).toEqual({ ok: true, value: undefined });
    expect(await answer(request)).toEqual({ video: expect.objectContaining({ id: 'screen:0:0' }) });
    expect(await answer(request)).toBeNull();
  });

  it('hands the same sealed local data key to the window bound to its user, none before, and none to a bad scope', async () => {
    const ours = state.windows[0]?.webContents;
    const frame = { url: 'app://veildesk/index.html', parent: null };
    const get = (scope: unknown) => state.ipcHandlers.get('local-data:key')?.({ sender: ours, senderFrame: frame }, scope) as Promise<{ ok: boolean; value?: { key: string; protection: string } }>;
    expect(await get('u1@localhost:4280')).toMatchObject({ ok: true, value: { status: 'unavailable', reason: 'not_signed_in' } });
    // main asks the server who the session is (GET /api/me) before binding the window to that user.
    const me = { user: { id: 'u1', username: 'agent1', displayName: 'Agent One', role: 'agent' }, expiresAt: '2099-01-01T00:00:00.000Z' };
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(me), { status: 200 })));
    try {
      const bind = state.ipcHandlers.get('local-data:bind-user')?.({ sender: ours, senderFrame: frame }, { serverUrl: 'http://localhost:4280', userId: 'u1', token: 'tok' });
      expect(await bind).toEqual({ ok: true, value: undefined });
    } finally {
      vi.unstubAllGlobals();
    }
    const first = await get('u1@localhost:4280');
    expect(first).toMatchObject({ ok: true, value: { protection: 'os' } });
    expect((await get('u1@localhost:4280')).value?.key).toBe(first.value?.key);
    expect(await get('../etc')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('protects the app window from captures only where the OS supports it', () => {
    const supported = process.platform === 'win32' || process.platform === 'darwin';
    expect(state.contentProtected).toEqual(supported ? [true] : []);
  });

  it('opens one secure window on the app entry', () => {
    expect(state.windows).toHaveLength(1);
    const [window] = state.windows;
    expect(window?.url).toBe('app://veildesk/index.html');
    expect(window?.options).toMatchObject({
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
        disableBlinkFeatures: 'Auxclick',
        devTools: false,
      },
    });
  });

  it('a packaged build has no DevTools: off in the window, none in the menu, closed if opened', () => {
    const menu = JSON.stringify(state.menu);
    expect(menu).toContain('editMenu');
    expect(menu).not.toContain('toggleDevTools');
    expect(state.devToolsListeners).toBe(1);
  });

  it('registers the secure pause hotkey system-wide; a press reaches the app window', () => {
    const press = state.shortcuts.get('CommandOrControl+Shift+P');
    expect(press).toBeTypeOf('function');
    press?.();
    expect(state.sentToWindow).toEqual(['recording:toggle-pause']);
    expect(state.appListeners.get('will-quit')).toHaveLength(1);
  });

  it('guards every webContents and quits when windows close', () => {
    expect(state.appListeners.get('web-contents-created')).toHaveLength(1);
    expect(state.appListeners.get('window-all-closed')).toHaveLength(1);
    expect(state.appListeners.get('second-instance')).toHaveLength(1);
  });

  it('runs no automatic update without a feed, and says so', async () => {
    const ours = state.windows[0]?.webContents;
    const frame = { url: 'app://veildesk/index.html', parent: null };
    const call = (channel: string, ...args: unknown[]) => state.ipcHandlers.get(channel)?.({ sender: ours, senderFrame: frame }, ...args);
    expect(await call('update:interaction-live', true)).toEqual({ ok: true, value: undefined });
    expect(await call('update:interaction-live', 'yes')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    await expect.poll(async () => ((await call('update:status')) as { value: { message: string } }).value.message).toMatch(/no update feed is configured/);
    expect(await call('update:status')).toMatchObject({ ok: true, value: { state: 'disabled', interactionLive: true, canInstallNow: false } });
    expect(await call('update:install-now')).toMatchObject({ ok: true, value: { installing: false } });
  });

  it('answers every IPC channel, only for our window', async () => {
    expect([...state.ipcHandlers.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
    const ours = state.windows[0]?.webContents;
    const frame = { url: 'app://veildesk/index.html', parent: null };
    const info = state.ipcHandlers.get('app:info');
    expect(await info?.({ sender: ours, senderFrame: frame })).toEqual({
      ok: true,
      value: { version: '9.9.9', platform: process.platform, kind: 'electron' },
    });
    const getUrl = state.ipcHandlers.get('settings:get-server-url');
    expect(await getUrl?.({ sender: ours, senderFrame: frame })).toEqual({ ok: true, value: 'http://127.0.0.1:4999' });
    expect(await getUrl?.({ sender: {}, senderFrame: frame })).toMatchObject({ ok: false });
  });
});
