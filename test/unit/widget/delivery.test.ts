import { describe, expect, it } from 'vitest';
import { chatReducer, displayItems, EMPTY_CHAT, type ChatAction, type ChatState } from '../../../widget/lib/chat-state';
import { msg } from './fakes';

const run = (actions: ChatAction[], from: ChatState = EMPTY_CHAT) => actions.reduce(chatReducer, from);
const deliveries = (s: ChatState) => displayItems(s, 'You').map((i) => `${i.text}:${i.delivery ?? '-'}`);

describe('delivery states', () => {
  it('sending → sent (acknowledged by the echo) → read (agent chat.seen)', () => {
    let s = run([{ type: 'queued', clientMsgId: 'c1', text: 'hi', at: '2026-01-01T00:00:00Z' }]);
    expect(deliveries(s)).toEqual(['hi:sending']);
    s = chatReducer(s, { type: 'transmitted', clientMsgId: 'c1', connectionId: 1, now: 1 });
    expect(deliveries(s)).toEqual(['hi:sending']);
    s = chatReducer(s, { type: 'message', message: msg(1, 'customer', 'hi'), clientMsgId: 'c1' });
    expect(deliveries(s)).toEqual(['hi:sent']);
    expect(s.outbox).toHaveLength(0);
    s = chatReducer(s, { type: 'seen', upToSeq: 1, by: 'agent' });
    expect(deliveries(s)).toEqual(['hi:read']);
  });

  it('a receipt that arrived first applies as soon as the ack comes', () => {
    const s = run([
      { type: 'queued', clientMsgId: 'c1', text: 'hi', at: 't' },
      { type: 'seen', upToSeq: 3, by: 'agent' },
      { type: 'message', message: msg(2, 'customer', 'hi'), clientMsgId: 'c1' },
    ]);
    expect(deliveries(s)).toEqual(['hi:read']);
  });

  it('never goes backwards: an older receipt or our own chat.seen echo changes nothing', () => {
    const s1 = run([{ type: 'message', message: msg(1, 'customer', 'a') }, { type: 'seen', upToSeq: 1, by: 'agent' }]);
    expect(chatReducer(s1, { type: 'seen', upToSeq: 0, by: 'agent' })).toBe(s1);
    expect(chatReducer(s1, { type: 'seen', upToSeq: 9, by: 'customer' })).toBe(s1);
    // A duplicate ack (resend answered again) keeps it read.
    const s2 = chatReducer(s1, { type: 'message', message: msg(1, 'customer', 'a'), clientMsgId: 'c1' });
    expect(deliveries(s2)).toEqual(['a:read']);
  });

  it('only the customer’s own messages carry a delivery state', () => {
    const s = run([{ type: 'message', message: msg(1, 'agent') }, { type: 'message', message: msg(2, 'system') }]);
    expect(displayItems(s, 'You').map((i) => i.delivery)).toEqual([null, null]);
  });

  it('a refusal fails the message with the server’s words; Retry sends it again with the same id', () => {
    let s = run([
      { type: 'queued', clientMsgId: 'c1', text: 'x', at: 't' },
      { type: 'failed', clientMsgId: 'c1', error: 'message is empty' },
    ]);
    const failed = displayItems(s, 'You')[0];
    expect(failed).toMatchObject({ delivery: 'failed', error: 'message is empty', clientMsgId: 'c1' });
    s = chatReducer(s, { type: 'retry', clientMsgId: 'c1' });
    expect(s.outbox[0]).toMatchObject({ clientMsgId: 'c1', status: 'sending', attempts: 0 });
    s = chatReducer(s, { type: 'failed', clientMsgId: 'c1', error: 'nope' });
    s = chatReducer(s, { type: 'discard', clientMsgId: 'c1' });
    expect(s.outbox).toHaveLength(0);
  });

  it('a late refusal cannot un-send an acknowledged message', () => {
    const s = run([
      { type: 'queued', clientMsgId: 'c1', text: 'x', at: 't' },
      { type: 'message', message: msg(1, 'customer', 'x'), clientMsgId: 'c1' },
    ]);
    expect(chatReducer(s, { type: 'failed', clientMsgId: 'c1', error: 'late' })).toBe(s);
  });

  it('unacknowledged messages follow the transcript, in the order written', () => {
    const s = run([
      { type: 'queued', clientMsgId: 'c1', text: 'first', at: 't1' },
      { type: 'queued', clientMsgId: 'c2', text: 'second', at: 't2' },
      { type: 'queued', clientMsgId: 'c1', text: 'first', at: 't1' }, // double click: once
      { type: 'transcript', messages: [msg(1), msg(2)] },
    ]);
    expect(displayItems(s, 'You').map((i) => i.text)).toEqual(['message 1', 'message 2', 'first', 'second']);
  });

  it('when the conversation is over, unacknowledged messages turn into failures (never stuck on Sending…)', () => {
    const s = run([
      { type: 'queued', clientMsgId: 'c1', text: 'late', at: 't' },
      { type: 'message', message: msg(1, 'customer', 'early'), clientMsgId: 'c0' },
      { type: 'closed', error: 'the conversation had already ended.' },
    ]);
    expect(deliveries(s)).toEqual(['early:sent', 'late:failed']);
    expect(chatReducer(s, { type: 'closed', error: 'again' })).toBe(s);
  });
});

describe('redacted messages', () => {
  it("the server's acknowledgement replaces what was typed and the line says what was removed", () => {
    let s = run([{ type: 'queued', clientMsgId: 'c1', text: 'card 4111 1111 1111 1111 cvv 737', at: 't' }]);
    s = chatReducer(s, { type: 'message', message: msg(1, 'customer', 'card [card •••• 1111] cvv [security code]'), clientMsgId: 'c1', redacted: ['card', 'securityCode'] });
    const items = displayItems(s, 'You');
    expect(items.map((i) => i.text)).toEqual(['card [card •••• 1111] cvv [security code]']);
    expect(items[0]!.redactionNotice).toMatch(/^Removed before anyone saw it: a card number and a security code\./);
    // A message without redaction has no line; a repeat of the same frame changes nothing.
    const again = chatReducer(s, { type: 'message', message: msg(2, 'agent', 'thanks') });
    expect(displayItems(again, 'You')[1]!.redactionNotice).toBeNull();
    expect(chatReducer(again, { type: 'message', message: msg(2, 'agent', 'thanks') })).toBe(again);
  });
});
