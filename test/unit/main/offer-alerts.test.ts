import { describe, expect, it, vi } from 'vitest';
import { OfferNotification } from '../../../shared/bridge/desktop-bridge';
import { IpcContract } from '../../../shared/bridge/ipc';
import { createIpcHandlers } from '../../../main/ipc/handlers';
import { type AlertWindow, createOfferAlerts, type NotificationLike } from '../../../main/offer-alerts';

function setup(options: { supported?: boolean; window?: boolean } = {}) {
  const created: Array<{ options: { title: string; body: string; silent: boolean }; shown: boolean; closed: boolean; emit: (e: 'click' | 'close') => void }> = [];
  const calls: string[] = [];
  const window: AlertWindow = {
    isMinimized: () => true,
    restore: () => calls.push('restore'),
    show: () => calls.push('show'),
    focus: () => calls.push('focus'),
    send: (event, id) => calls.push(`send ${event} ${id}`),
  };
  const badge: number[] = [];
  const alerts = createOfferAlerts({
    isSupported: () => options.supported ?? true,
    create: (opts) => {
      const listeners = new Map<string, () => void>();
      const record = { options: opts, shown: false, closed: false, emit: (e: 'click' | 'close') => listeners.get(e)?.() };
      created.push(record);
      const n: NotificationLike = {
        on: (e, l) => listeners.set(e, l),
        show: () => void (record.shown = true),
        close: () => void (record.closed = true),
      };
      return n;
    },
    getWindow: () => (options.window === false ? null : window),
    setBadgeCount: (c) => badge.push(c),
    clickEvent: 'offer:notification-click',
  });
  return { alerts, created, calls, badge };
}

const note = { interactionId: 'i-1', title: 'Incoming call', body: 'General queue' };

describe('desktop offer alerts (main)', () => {
  it('shows a silent notification; its click restores and focuses the window and tells the page which offer', () => {
    const t = setup();
    t.alerts.notifyOffer(note);
    expect(t.created).toHaveLength(1);
    expect(t.created[0]).toMatchObject({ options: { title: 'Incoming call', body: 'General queue', silent: true }, shown: true });
    t.created[0]!.emit('click');
    expect(t.calls).toEqual(['restore', 'show', 'focus', 'send offer:notification-click i-1']);
  });

  it('replaces an earlier notification of the same offer and keeps a bounded number referenced', () => {
    const t = setup();
    t.alerts.notifyOffer(note);
    t.alerts.notifyOffer(note);
    expect(t.created[0]!.closed).toBe(true);
    for (let i = 0; i < 50; i += 1) t.alerts.notifyOffer({ ...note, interactionId: `i-${i + 2}` });
    expect(t.alerts.keptCount()).toBeLessThanOrEqual(20);
  });

  it('does nothing where the OS has no notifications, and a click without a window is ignored', () => {
    const none = setup({ supported: false });
    none.alerts.notifyOffer(note);
    expect(none.created).toEqual([]);
    const closed = setup({ window: false });
    closed.alerts.notifyOffer(note);
    closed.created[0]!.emit('click');
    expect(closed.calls).toEqual([]);
  });

  it('sets the dock/taskbar badge through the IPC handler', async () => {
    const t = setup();
    const notifyOffer = vi.spyOn(t.alerts, 'notifyOffer');
    const handlers = createIpcHandlers({
      getVersion: () => '1',
      platform: 'linux',
      settings: { getServerUrl: async () => 'http://x', setServerUrl: async () => undefined },
      openClickedLink: async () => undefined,
      alerts: t.alerts,
    });
    await handlers['app:set-badge-count'](3);
    await handlers['notify:offer'](note);
    expect(t.badge).toEqual([3]);
    expect(notifyOffer).toHaveBeenCalledWith(note);
  });

  it('refuses malformed notifications and badge counts at the contract', () => {
    expect(IpcContract['notify:offer'].request.safeParse([note]).success).toBe(true);
    expect(OfferNotification.safeParse({ ...note, interactionId: '../x' }).success).toBe(false);
    expect(OfferNotification.safeParse({ ...note, title: '' }).success).toBe(false);
    expect(OfferNotification.safeParse({ ...note, body: 'x'.repeat(501) }).success).toBe(false);
    expect(IpcContract['app:set-badge-count'].request.safeParse([-1]).success).toBe(false);
    expect(IpcContract['app:set-badge-count'].request.safeParse([1.5]).success).toBe(false);
    expect(IpcContract['app:set-badge-count'].request.safeParse([2]).success).toBe(true);
  });
});
