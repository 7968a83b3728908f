import { describe, expect, it } from 'vitest';
import { openMainWindow } from '../../../main/window';

describe('main window', () => {
  it('loads the entry URL and shows when ready', async () => {
    const calls: string[] = [];
    let ready: (() => void) | undefined;
    const window = openMainWindow(
      {
        once: (_event: 'ready-to-show', listener: () => void) => (ready = listener),
        show: () => calls.push('show'),
        loadURL: async (url: string) => { calls.push(`load ${url}`); },
      },
      'app://veildesk/index.html',
      () => calls.push('error'),
    );
    expect(window).toBeDefined();
    ready?.();
    expect(calls).toEqual(['load app://veildesk/index.html', 'show']);
  });

  it('reports a failed load and still shows the window', async () => {
    const calls: string[] = [];
    openMainWindow(
      { once: () => undefined, show: () => calls.push('show'), loadURL: () => Promise.reject(new Error('404')) },
      'app://veildesk/index.html',
      (error) => calls.push(`error ${String(error)}`),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toEqual(['error Error: 404', 'show']);
  });
});
