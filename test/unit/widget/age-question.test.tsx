import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WidgetApi } from '../../../widget/lib/api';
import { createSessionStore } from '../../../widget/lib/saved-session';
import { looksLikeChild, readBirthYear } from '../../../widget/lib/age-question';
import { WidgetConnection } from '../../../widget/lib/connection';
import { WidgetController } from '../../../widget/lib/controller';
import { LeaveConfirmation, LeaveMessage } from '../../../widget/ui/LeaveMessage';
import { FakeSocket, MemoryStorage } from './fakes';

const NOW = new Date('2026-06-15T12:00:00Z');

function setup(askBirthYear: boolean) {
  const api = {
    queues: vi.fn(async () => [{ id: 'q1', name: 'Support', membersSignedIn: 2, membersAvailable: 1 }]),
    settings: vi.fn(async () => ({ askBirthYear })),
    start: vi.fn(async () => ({ interactionId: 'i1', customerToken: 'vc_secret', expiresAt: '2099-01-01T00:00:00Z' })),
    leaveMessage: vi.fn(async () => ({ interactionId: 'm1' })),
    consentSettings: vi.fn(async () => ({ notice: null, purposes: [] })),
    notices: vi.fn(async () => null),
    consents: vi.fn(async () => []),
    withdrawConsent: vi.fn(async () => ({ purposeId: 'training', purposeLabel: 'Training', noticeVersion: 'v1', givenAt: '2026-01-01T00:00:00Z', withdrawnAt: '2026-01-01T00:01:00Z' })),
    iceServers: vi.fn(async () => []),
  } satisfies WidgetApi;
  const controller = new WidgetController({
    api,
    sessions: createSessionStore(new MemoryStorage()),
    wsUrl: 'ws://test/ws',
    createConnection: (o) => new WidgetConnection({ ...o, WebSocket: FakeSocket, random: () => 0 }),
    loadCall: async () => {
      throw new Error('no call module');
    },
    now: () => NOW.getTime(),
    newId: () => 'c1',
  });
  return { controller, api };
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('widget age question', () => {
  it('reads a four-digit year; a year that could be under 13 is a child', () => {
    expect(readBirthYear('2013', NOW)).toEqual({ ok: true, birthYear: 2013, child: true });
    expect(readBirthYear(' 2012 ', NOW)).toEqual({ ok: true, birthYear: 2012, child: false });
    expect(readBirthYear('', NOW)).toMatchObject({ ok: false, error: expect.stringMatching(/year of birth/) });
    expect(readBirthYear('90', NOW)).toMatchObject({ ok: false, error: expect.stringMatching(/four digits/) });
    expect(readBirthYear('2030', NOW)).toMatchObject({ ok: false });
    expect(looksLikeChild('201', NOW)).toBe(false);
    expect(looksLikeChild('2016', NOW)).toBe(true);
  });

  it('not asked: starts as before, no year sent', async () => {
    const { controller, api } = setup(false);
    controller.init();
    await vi.advanceTimersByTimeAsync(0);
    expect(controller.snapshot.askBirthYear).toBe(false);
    await controller.start('chat', { queueId: 'q1', name: 'Cleo', email: '' });
    expect(api.start).toHaveBeenCalledWith({ kind: 'chat', queueId: 'q1', customer: { name: 'Cleo' } });
  });

  it('asked: no start without a year; a child sends the year and neither name nor e-mail; an adult sends both', async () => {
    const { controller, api } = setup(true);
    controller.init();
    await vi.advanceTimersByTimeAsync(0);
    expect(controller.snapshot.askBirthYear).toBe(true);
    await controller.start('chat', { queueId: 'q1', name: 'Robin', email: 'robin@example.com', birthYear: '' });
    expect(api.start).not.toHaveBeenCalled();
    expect(controller.snapshot.startError).toMatch(/year of birth/);

    await controller.start('chat', { queueId: 'q1', name: 'Robin', email: 'robin@example.com', birthYear: '2016' });
    expect(api.start).toHaveBeenCalledWith({ kind: 'chat', queueId: 'q1', customer: {}, birthYear: 2016 });
  });

  it('asked, an adult: name, e-mail and the year are sent (the server keeps only whether it is a child)', async () => {
    const { controller, api } = setup(true);
    controller.init();
    await vi.advanceTimersByTimeAsync(0);
    await controller.start('chat', { queueId: 'q1', name: 'Sam', email: 'sam@example.com', birthYear: '1990' });
    expect(api.start).toHaveBeenCalledWith({ kind: 'chat', queueId: 'q1', customer: { name: 'Sam', email: 'sam@example.com' }, birthYear: 1990 });
  });

  it('leaving a message asks the same question: none sent without a year; a child sends the year and neither name nor e-mail, and is told the text is not kept', async () => {
    const { controller, api } = setup(true);
    controller.init();
    await vi.advanceTimersByTimeAsync(0);
    expect(await controller.leaveMessage({ queueId: 'q1', name: 'Robin', email: 'robin@example.com', text: 'Call me back', birthYear: '' })).toBe(false);
    expect(api.leaveMessage).not.toHaveBeenCalled();
    expect(controller.snapshot.leave).toMatchObject({ status: 'error', error: expect.stringMatching(/year of birth/) });

    expect(await controller.leaveMessage({ queueId: 'q1', name: 'Robin', email: 'robin@example.com', text: 'Call me back', birthYear: '2016' })).toBe(true);
    expect(api.leaveMessage).toHaveBeenCalledWith({ queueId: 'q1', customer: {}, text: 'Call me back', birthYear: 2016 });
    expect(controller.snapshot.leave).toEqual({ status: 'sent', error: null, replyTo: null, childProtected: true });
    const confirmation = renderToStaticMarkup(<LeaveConfirmation replyTo={null} childProtected />);
    expect(confirmation).toMatch(/do not keep messages from children under 13/);
  });

  it('leaving a message, an adult or the question off: name, e-mail and text as before (the year only when asked)', async () => {
    const asked = setup(true);
    asked.controller.init();
    await vi.advanceTimersByTimeAsync(0);
    await asked.controller.leaveMessage({ queueId: 'q1', name: 'Sam', email: 'sam@example.com', text: 'Hello', birthYear: '1990' });
    expect(asked.api.leaveMessage).toHaveBeenCalledWith({ queueId: 'q1', customer: { name: 'Sam', email: 'sam@example.com' }, text: 'Hello', birthYear: 1990 });
    expect(asked.controller.snapshot.leave).toEqual({ status: 'sent', error: null, replyTo: 'sam@example.com' });

    const notAsked = setup(false);
    notAsked.controller.init();
    await vi.advanceTimersByTimeAsync(0);
    await notAsked.controller.leaveMessage({ queueId: 'q1', name: 'Sam', email: '', text: 'Hello', birthYear: '2016' });
    expect(notAsked.api.leaveMessage).toHaveBeenCalledWith({ queueId: 'q1', customer: { name: 'Sam' }, text: 'Hello' });
  });

  it('the leave form in a conversation asks the year when the org does; a child year hides name and e-mail and says the message is not kept', () => {
    const leave = { status: 'idle' as const, error: null, replyTo: null };
    const form = (askBirthYear: boolean, birthYear: string) =>
      renderToStaticMarkup(<LeaveMessage leave={leave} name="" email="" askBirthYear={askBirthYear} birthYear={birthYear} showContactFields onSend={async () => true} />);
    const adult = form(true, '1990');
    expect(adult).toContain('data-testid="widget-birth-year"');
    expect(adult).toContain('data-testid="widget-leave-name"');
    expect(adult).not.toContain('data-testid="widget-leave-child"');
    const child = form(true, String(new Date().getUTCFullYear() - 5));
    expect(child).toContain('data-testid="widget-birth-year"');
    expect(child).not.toContain('data-testid="widget-leave-name"');
    expect(child).not.toContain('data-testid="widget-leave-email"');
    expect(child).toContain('data-testid="widget-leave-child"');
    const off = form(false, '');
    expect(off).not.toContain('data-testid="widget-birth-year"');
    expect(off).toContain('data-testid="widget-leave-email"');
  });
});
