import type React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WidgetApi } from '../../../widget/lib/api';
import { readConsentSettings, startConsents, type ConsentSettingsView } from '../../../widget/lib/consent-view';
import { WidgetConnection } from '../../../widget/lib/connection';
import { WidgetController } from '../../../widget/lib/controller';
import { createSessionStore } from '../../../widget/lib/saved-session';
import { INITIAL_SNAPSHOT, type WidgetSnapshot } from '../../../widget/lib/snapshot';
import { ConsentPanel } from '../../../widget/ui/ConsentPanel';
import { StartForm, type StartFormValues } from '../../../widget/ui/StartForm';
import { FakeSocket, MemoryStorage } from './fakes';

const SETTINGS: ConsentSettingsView = {
  notice: { version: '2026-01', url: 'https://veildesk.example/privacy' },
  purposes: [
    { id: 'training', label: 'Use this conversation to train our team' },
    { id: 'training-sensitive', label: 'Include sensitive details when used for training' },
  ],
};
const QUEUES = [{ id: 'q1', name: 'Support', membersSignedIn: 2, membersAvailable: 1 }];

function form(values: Partial<StartFormValues> = {}, snapshot: Partial<WidgetSnapshot> = {}, leave: React.ReactNode = null): string {
  const s: WidgetSnapshot = { ...INITIAL_SNAPSHOT, queues: QUEUES, queuesStatus: 'ready', consentSettings: SETTINGS, ...snapshot };
  return renderToStaticMarkup(
    <StartForm snapshot={s} values={{ name: '', email: '', queueId: 'q1', birthYear: '', consents: [], ...values }} onChange={() => {}} onStart={() => {}} onRetryQueues={() => {}} leave={leave} />,
  );
}
const checkbox = (html: string, id: string): string => html.match(new RegExp(`<input[^>]*data-testid="widget-consent-${id}"[^>]*>`))?.[0] ?? '';

describe("the widget's privacy notice and consent choices", () => {
  it('shows the notice with its version and https link, and every purpose as an unticked box', () => {
    const html = form();
    expect(html).toContain('href="https://veildesk.example/privacy"');
    expect(html).toContain('version 2026-01');
    for (const p of SETTINGS.purposes) {
      const box = checkbox(html, p.id);
      expect(box).toContain('type="checkbox"');
      expect(box).not.toContain('checked');
      expect(html).toContain(p.label);
    }
  });

  it('a box is ticked only when the customer ticked it', () => {
    const html = form({ consents: ['training'] });
    expect(checkbox(html, 'training')).toContain('checked');
    expect(checkbox(html, 'training-sensitive')).not.toContain('checked');
  });

  it('no notice from the server (or one not on https): no notice and nothing to tick', () => {
    expect(form({}, { consentSettings: { notice: null, purposes: [] } })).not.toContain('widget-consent');
    const insecure = readConsentSettings({ notice: { version: '1', url: 'http://plain.example/privacy' }, purposes: SETTINGS.purposes });
    expect(insecure).toEqual({ notice: null, purposes: [] });
    expect(readConsentSettings({ notice: SETTINGS.notice, purposes: [{ id: 'x' }, ...SETTINGS.purposes] }).purposes).toEqual(SETTINGS.purposes);
  });

  it('nobody online (leave a message): the notice shows, but no purpose is offered (a left message records none)', () => {
    const html = form({}, {}, <div>leave a message</div>);
    expect(html).toContain('widget-privacy-link');
    expect(html).not.toContain('widget-consent-training');
  });

  it('a child (year of birth under 13) is offered nothing to tick', () => {
    const html = form({ birthYear: String(new Date().getFullYear() - 9) }, { askBirthYear: true });
    expect(html).not.toContain('widget-consent-training');
  });

  it('a start sends only ticked purposes the org offers, with the notice version; nothing ticked sends nothing', () => {
    expect(startConsents(SETTINGS, [])).toEqual({});
    expect(startConsents(SETTINGS, ['training', 'made-up'])).toEqual({ consents: ['training'], noticeVersion: '2026-01' });
  });

  it('the conversation panel lists what was agreed with a withdraw button, and "withdrawn" once done', () => {
    const items = [
      { purposeId: 'training', purposeLabel: 'Use this conversation to train our team', noticeVersion: '2026-01', givenAt: '2026-01-01T00:00:00Z', withdrawnAt: null },
      { purposeId: 'training-sensitive', purposeLabel: 'Include sensitive details', noticeVersion: '2026-01', givenAt: '2026-01-01T00:00:00Z', withdrawnAt: '2026-01-01T00:05:00Z' },
    ];
    const html = renderToStaticMarkup(<ConsentPanel view={{ items, busy: null, error: null }} onWithdraw={() => {}} />);
    expect(html).toContain('data-testid="widget-consent-withdraw-training"');
    expect(html).not.toContain('widget-consent-withdraw-training-sensitive');
    expect(html).toContain('withdrawn');
  });
});

describe('the controller sends and withdraws consents', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts with the ticked purpose and the notice version, lists it, then withdraws it with the conversation token', async () => {
    const given = { purposeId: 'training', purposeLabel: SETTINGS.purposes[0]!.label, noticeVersion: '2026-01', givenAt: '2026-01-01T00:00:00Z', withdrawnAt: null };
    const api = {
      queues: vi.fn(async () => QUEUES),
      settings: vi.fn(async () => ({ askBirthYear: false })),
      consentSettings: vi.fn(async () => SETTINGS),
      notices: vi.fn(async () => null),
      start: vi.fn(async () => ({ interactionId: 'i1', customerToken: 'vc_secret', expiresAt: '2099-01-01T00:00:00Z' })),
      leaveMessage: vi.fn(async () => ({ interactionId: 'm1' })),
      consents: vi.fn(async () => [given]),
      withdrawConsent: vi.fn(async () => ({ ...given, withdrawnAt: '2026-01-01T00:10:00Z' })),
      iceServers: vi.fn(async () => []),
    } satisfies WidgetApi;
    const controller = new WidgetController({
      api,
      sessions: createSessionStore(new MemoryStorage()),
      wsUrl: 'ws://test/ws',
      createConnection: (o) => new WidgetConnection({ ...o, WebSocket: FakeSocket, random: () => 0 }),
    });
    controller.init();
    await vi.advanceTimersByTimeAsync(0);
    expect(controller.snapshot.consentSettings).toEqual(SETTINGS);

    await controller.start('chat', { queueId: 'q1', name: '', email: '', consents: ['training'] });
    await vi.advanceTimersByTimeAsync(0);
    expect(api.start).toHaveBeenCalledWith(expect.objectContaining({ consents: ['training'], noticeVersion: '2026-01' }));
    expect(api.consents).toHaveBeenCalledWith('vc_secret');
    expect(controller.snapshot.consents.items).toEqual([given]);

    await controller.consent.withdraw('training');
    expect(api.withdrawConsent).toHaveBeenCalledWith('vc_secret', 'training');
    expect(controller.snapshot.consents.items[0]!.withdrawnAt).toBe('2026-01-01T00:10:00Z');
    controller.dispose();
  });

  it('nothing ticked: the start carries no consents and nothing is listed', async () => {
    const api = {
      queues: vi.fn(async () => QUEUES),
      settings: vi.fn(async () => ({ askBirthYear: false })),
      consentSettings: vi.fn(async () => SETTINGS),
      notices: vi.fn(async () => null),
      start: vi.fn(async () => ({ interactionId: 'i1', customerToken: 'vc_secret', expiresAt: '2099-01-01T00:00:00Z' })),
      leaveMessage: vi.fn(async () => ({ interactionId: 'm1' })),
      consents: vi.fn(async () => []),
      withdrawConsent: vi.fn(),
      iceServers: vi.fn(async () => []),
    } satisfies WidgetApi;
    const controller = new WidgetController({ api, sessions: createSessionStore(new MemoryStorage()), wsUrl: 'ws://test/ws', createConnection: (o) => new WidgetConnection({ ...o, WebSocket: FakeSocket, random: () => 0 }) });
    controller.init();
    await vi.advanceTimersByTimeAsync(0);
    await controller.start('chat', { queueId: 'q1', name: '', email: '' });
    expect(api.start).toHaveBeenCalledWith({ kind: 'chat', queueId: 'q1', customer: {} });
    expect(api.consents).not.toHaveBeenCalled();
    controller.dispose();
  });
});
