import type { MenuItemConstructorOptions } from 'electron';

/**
 * DevTools only in development. A packaged build sets webPreferences.devTools to false (main.ts),
 * has no menu item or accelerator that opens them, and closes them should anything open them.
 */

/** What Electron's Menu.buildFromTemplate takes, as far as this app uses it. */
export type MenuItemTemplate = Pick<MenuItemConstructorOptions, 'role' | 'label' | 'accelerator'> & { submenu?: MenuItemTemplate[] };

/** Accelerators Chromium-based apps use for DevTools; none may exist in a packaged menu. */
export const DEVTOOLS_ACCELERATORS: readonly string[] = ['F12', 'CommandOrControl+Shift+I', 'CmdOrCtrl+Shift+I', 'Alt+CommandOrControl+I', 'Alt+CmdOrCtrl+I'];

/**
 * The application menu. Electron's default menu has View → Toggle Developer Tools (Ctrl+Shift+I),
 * so the app always sets its own: editing (copy/paste shortcuts on macOS need it) and the window
 * menu, plus a Developer menu only when DevTools are allowed.
 */
export function appMenuTemplate(options: { platform: string; devTools: boolean }): MenuItemTemplate[] {
  const menu: MenuItemTemplate[] = [];
  if (options.platform === 'darwin') menu.push({ role: 'appMenu' });
  menu.push({ role: 'editMenu' }, { role: 'windowMenu' });
  if (options.devTools) {
    menu.push({ label: 'Developer', submenu: [{ role: 'reload' }, { role: 'toggleDevTools', accelerator: 'CommandOrControl+Shift+I' }] });
  }
  return menu;
}

/** The part of WebContents the lock hooks into. */
export interface DevToolsContents {
  on(event: 'devtools-opened', listener: () => void): unknown;
  closeDevTools(): void;
}

/** In a packaged build, DevTools that open anyway (a future API, a stray call) are closed at once. */
export function lockDevTools(contents: DevToolsContents, devToolsAllowed: boolean): void {
  if (devToolsAllowed) return;
  contents.on('devtools-opened', () => contents.closeDevTools());
}
