import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { DesktopBridge, UpdateStatus } from '../../../shared';
import { UpdateNotice } from '../../../renderer/features/update/UpdateNotice';
import { updateNoticeView, watchUpdateStatus } from '../../../renderer/features/update/update-notice';

const ready: UpdateStatus = { state: 'ready', version: '1.1.0', interactionLive: false, canInstallNow: true, message: 'Veildesk 1.1.0 is ready.' };

describe('update notice (desktop)', () => {
  it('shows nothing until an update is ready', () => {
    expect(updateNoticeView(null, null)).toBeNull();
    for (const state of ['disabled', 'idle', 'checking', 'downloading', 'error'] as const) {
      expect(updateNoticeView({ ...ready, state, canInstallNow: false }, null), state).toBeNull();
    }
  });

  it('offers Restart when no interaction is live, and explains why not during one', () => {
    expect(updateNoticeView(ready, null)).toEqual({ text: 'Veildesk 1.1.0 is ready.', canRestart: true, hint: null });
    expect(updateNoticeView({ ...ready, interactionLive: true, canInstallNow: false }, null)).toMatchObject({ canRestart: false, hint: expect.stringMatching(/once the current chat, call and wrap-up are done/) });
    expect(updateNoticeView(ready, 'No update is ready to install.')?.hint).toBe('No update is ready to install.');
  });

  it('reads the status now and on each poll, and stops; the web bridge has none', async () => {
    const getUpdateStatus = vi.fn(async () => ready);
    let tick: (() => void) | undefined;
    const seen: UpdateStatus[] = [];
    const stop = watchUpdateStatus({ getUpdateStatus }, (s) => seen.push(s), 1000, { setInterval: (fn) => (tick = fn), clearInterval: () => (tick = undefined) });
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    tick?.();
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    stop();
    expect(tick).toBeUndefined();
    expect(watchUpdateStatus({}, () => {})).toBeTypeOf('function');
  });

  it('renders nothing on the first render (status not read yet) and on the web', () => {
    expect(renderToStaticMarkup(<UpdateNotice bridge={{ kind: 'web' } as DesktopBridge} />)).toBe('');
  });
});
