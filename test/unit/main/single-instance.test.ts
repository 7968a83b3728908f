import { describe, expect, it, vi } from 'vitest';
import { acquireSingleInstance, type FocusableWindow } from '../../../main/single-instance';

function fakeApp(gotLock: boolean) {
  const listeners: Array<() => void> = [];
  return {
    requestSingleInstanceLock: () => gotLock,
    quit: vi.fn(),
    on: (_event: 'second-instance', listener: () => void) => listeners.push(listener),
    secondInstance: () => listeners.forEach((l) => l()),
  };
}

function fakeWindow(minimized: boolean): FocusableWindow & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    isDestroyed: () => false,
    isMinimized: () => minimized,
    restore: () => calls.push('restore'),
    show: () => calls.push('show'),
    focus: () => calls.push('focus'),
  };
}

describe('acquireSingleInstance', () => {
  it('quits a second instance', () => {
    const app = fakeApp(false);
    expect(acquireSingleInstance(app, () => null)).toBe(false);
    expect(app.quit).toHaveBeenCalled();
  });

  it('brings the first window forward when another instance starts', () => {
    const app = fakeApp(true);
    const window = fakeWindow(true);
    expect(acquireSingleInstance(app, () => window)).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    app.secondInstance();
    expect(window.calls).toEqual(['restore', 'show', 'focus']);
  });

  it('ignores a second instance when there is no window yet', () => {
    const app = fakeApp(true);
    acquireSingleInstance(app, () => null);
    expect(() => app.secondInstance()).not.toThrow();
  });
});
