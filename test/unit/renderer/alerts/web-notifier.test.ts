import { describe, expect, it, vi } from 'vitest';
import { createWebNotifier } from '../../../../renderer/features/alerts/web-notifier';

function fakeNotificationApi(initial: NotificationPermission, answer: NotificationPermission = 'granted') {
  const created: Array<{ title: string; options?: NotificationOptions; closed: boolean; click: () => void }> = [];
  class FakeNotification {
    static permission: NotificationPermission = initial;
    static requestPermission = vi.fn(async () => {
      FakeNotification.permission = answer;
      return answer;
    });
    private listeners: Array<() => void> = [];
    private record: (typeof created)[number];
    constructor(title: string, options?: NotificationOptions) {
      this.record = { title, options, closed: false, click: () => this.listeners.forEach((l) => l()) };
      created.push(this.record);
    }
    addEventListener(_type: string, listener: () => void) {
      this.listeners.push(listener);
    }
    close() {
      this.record.closed = true;
    }
  }
  return { Api: FakeNotification as unknown as typeof Notification, created };
}

const note = { interactionId: 'i-1', title: 'Incoming call', body: 'General queue' };

describe('web notifier', () => {
  it('asks for permission only when told to (the agent’s click), and shows nothing before', async () => {
    const { Api, created } = fakeNotificationApi('default');
    const notifier = createWebNotifier({ Notification: Api });
    expect(notifier.permission()).toBe('default');
    notifier.show(note, () => undefined);
    expect(created).toEqual([]);
    expect(Api.requestPermission).not.toHaveBeenCalled();
    expect(await notifier.requestPermission()).toBe('granted');
    expect(notifier.permission()).toBe('granted');
  });

  it('shows a silent notification tagged with the offer, and a click focuses the window and names the offer', () => {
    const { Api, created } = fakeNotificationApi('granted');
    const focusWindow = vi.fn();
    const clicked: string[] = [];
    createWebNotifier({ Notification: Api, focusWindow }).show(note, (id) => clicked.push(id));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ title: 'Incoming call', options: { body: 'General queue', tag: 'offer-i-1', silent: true } });
    created[0]!.click();
    expect(focusWindow).toHaveBeenCalledOnce();
    expect(clicked).toEqual(['i-1']);
    expect(created[0]!.closed).toBe(true);
  });

  it('says unsupported where the browser has no Notification API', async () => {
    const notifier = createWebNotifier({ Notification: undefined });
    expect(notifier.permission()).toBe('unsupported');
    expect(await notifier.requestPermission()).toBe('unsupported');
  });
});
