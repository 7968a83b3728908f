import { describe, expect, it } from 'vitest';
import { attentionCount, attentionTitle } from '../../../../renderer/features/alerts/attention';
import { appInBackground, offerNotification } from '../../../../renderer/features/alerts/offer-notification';

describe('attention count and title', () => {
  it('counts waiting offers and unread messages', () => {
    expect(attentionCount(2, 3)).toBe(5);
    expect(attentionCount(0, 0)).toBe(0);
    expect(attentionCount(-1, 2)).toBe(2);
  });

  it('puts the count before the app name, and nothing when there is nothing', () => {
    expect(attentionTitle(2)).toBe('(2) Veildesk');
    expect(attentionTitle(0)).toBe('Veildesk');
  });
});

describe('offer notification', () => {
  it('names the kind and queue, never the customer', () => {
    const n = offerNotification({ id: 'i-9', kind: 'call', queueName: 'Billing' });
    expect(n).toEqual({ interactionId: 'i-9', title: 'Incoming call', body: 'Billing queue · click to answer in Veildesk' });
  });

  it('counts a hidden page or an unfocused window as the background', () => {
    expect(appInBackground({ visibilityState: 'visible', hasFocus: () => true })).toBe(false);
    expect(appInBackground({ visibilityState: 'visible', hasFocus: () => false })).toBe(true);
    expect(appInBackground({ visibilityState: 'hidden', hasFocus: () => true })).toBe(true);
  });
});
