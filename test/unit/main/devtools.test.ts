import { describe, expect, it } from 'vitest';
import { appMenuTemplate, DEVTOOLS_ACCELERATORS, lockDevTools, type MenuItemTemplate } from '../../../main/devtools';

const flat = (items: MenuItemTemplate[]): MenuItemTemplate[] => items.flatMap((item) => [item, ...flat(item.submenu ?? [])]);

describe('DevTools in packaged builds', () => {
  it('the packaged menu has no DevTools item and no DevTools accelerator, on every platform', () => {
    for (const platform of ['darwin', 'win32', 'linux']) {
      const items = flat(appMenuTemplate({ platform, devTools: false }));
      expect(items.some((item) => item.role === 'toggleDevTools'), platform).toBe(false);
      expect(items.some((item) => item.accelerator && DEVTOOLS_ACCELERATORS.includes(item.accelerator)), platform).toBe(false);
      // Copy and paste keep working.
      expect(items.some((item) => item.role === 'editMenu'), platform).toBe(true);
    }
  });

  it('a development build keeps a Developer menu with DevTools', () => {
    const items = flat(appMenuTemplate({ platform: 'linux', devTools: true }));
    expect(items.some((item) => item.role === 'toggleDevTools')).toBe(true);
  });

  it('closes DevTools that open in a packaged build, and leaves them in development', () => {
    const make = () => {
      const listeners: Array<() => void> = [];
      let closed = 0;
      return { contents: { on: (_e: 'devtools-opened', l: () => void) => listeners.push(l), closeDevTools: () => void closed++ }, listeners, closed: () => closed };
    };
    const packaged = make();
    lockDevTools(packaged.contents, false);
    packaged.listeners.forEach((l) => l());
    expect(packaged.closed()).toBe(1);
    const dev = make();
    lockDevTools(dev.contents, true);
    expect(dev.listeners).toHaveLength(0);
  });
});
