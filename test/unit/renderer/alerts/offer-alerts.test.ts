import { describe, expect, it } from 'vitest';
import { type InteractionKind, type OfferNotification } from '../../../../shared';
import { startOfferAlerts } from '../../../../renderer/features/alerts/offer-alerts';
import { summary } from '../fixtures';
import { makeStore } from '../store-harness';

function setup(options: { background?: boolean; chime?: boolean; notify?: boolean } = {}) {
  const { store } = makeStore();
  const sounds: string[] = [];
  const shown: OfferNotification[] = [];
  const titles: string[] = [];
  const badges: number[] = [];
  let background = options.background ?? true;
  const stop = startOfferAlerts({
    store,
    ringer: { startRing: () => sounds.push('ring'), stopRing: () => sounds.push('stop'), chime: () => sounds.push('chime') },
    notifier: () => (options.notify === false ? null : (n) => shown.push(n)),
    inBackground: () => background,
    chimeForChats: () => options.chime ?? true,
    setTitle: (t) => titles.push(t),
    setBadgeCount: (c) => badges.push(c),
  });
  const offer = (id: string, kind: InteractionKind = 'call') =>
    store.getState().applyOffer({
      type: 'offer',
      interaction: summary({ id, kind, status: 'offered', agentId: null, agentName: null, customer: { name: 'Olga Private' }, queueName: 'Billing' }),
      expiresAt: '2099-01-01T00:00:00.000Z',
    });
  return { store, sounds, shown, titles, badges, stop, offer, setBackground: (b: boolean) => (background = b) };
}

describe('offer alerts', () => {
  it.each([['accepted'], ['declined'], ['timeout'], ['customer_left'], ['unavailable']] as const)(
    'stops the ring in the same store update that removes the offer (%s)',
    (reason) => {
      const t = setup();
      t.offer('c1');
      expect(t.sounds).toEqual(['ring']);
      t.store.getState().applyOfferWithdrawn({ type: 'offer.withdrawn', interactionId: 'c1', reason });
      expect(t.sounds).toEqual(['ring', 'stop']);
      t.offer('c2');
      t.store.getState().updateOfferSummary(summary({ id: 'c2', kind: 'call', status: 'active' }));
      expect(t.sounds).toEqual(['ring', 'stop', 'ring', 'stop']);
    },
  );

  it('stops at the agent’s click (the offer marked pending) and when offers are cleared after a reconnect', () => {
    const t = setup();
    t.offer('c1');
    t.store.setState((s) => ({ offers: { ...s.offers, byId: { ...s.offers.byId, c1: { ...s.offers.byId.c1!, pending: 'accept' } } } }));
    expect(t.sounds).toEqual(['ring', 'stop']);
    t.offer('c2');
    t.store.getState().clearPendingOffers();
    expect(t.sounds).toEqual(['ring', 'stop', 'ring', 'stop']);
  });

  it('stops the ring when it is torn down (sign-out, page closing)', () => {
    const t = setup();
    t.offer('c1');
    t.stop();
    expect(t.sounds).toEqual(['ring', 'stop']);
    t.offer('c2');
    expect(t.sounds).toEqual(['ring', 'stop']);
  });

  it('notifies each new offer once while in the background, without the customer’s name', () => {
    const t = setup();
    t.offer('c1');
    t.offer('c1'); // the server re-sends it after a reconnect
    t.offer('h1', 'chat');
    expect(t.shown).toEqual([
      { interactionId: 'c1', title: 'Incoming call', body: 'Billing queue · click to answer in Veildesk' },
      { interactionId: 'h1', title: 'Incoming chat', body: 'Billing queue · click to answer in Veildesk' },
    ]);
    expect(JSON.stringify(t.shown)).not.toContain('Olga');
  });

  it('does not notify while the app is in front, or when notifications are off', () => {
    const t = setup({ background: false });
    t.offer('c1');
    expect(t.shown).toEqual([]);
    const off = setup({ notify: false });
    off.offer('c1');
    expect(off.shown).toEqual([]);
  });

  it('chimes for a new chat only when the agent wants it', () => {
    const on = setup();
    on.offer('h1', 'chat');
    expect(on.sounds).toEqual(['chime']);
    const off = setup({ chime: false });
    off.offer('h1', 'chat');
    expect(off.sounds).toEqual([]);
  });

  it('keeps the title and badge at waiting offers + unread messages', () => {
    const t = setup();
    expect(t.titles).toEqual(['Veildesk']);
    t.offer('c1');
    t.offer('h1', 'chat');
    expect(t.titles.at(-1)).toBe('(2) Veildesk');
    t.store.getState().applyOfferWithdrawn({ type: 'offer.withdrawn', interactionId: 'c1', reason: 'timeout' });
    expect(t.titles.at(-1)).toBe('(1) Veildesk');
    expect(t.badges).toEqual([0, 1, 2, 1]);
  });
});
