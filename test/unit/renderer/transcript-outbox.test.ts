import { describe, expect, it } from 'vitest';
import { deliveryOf, isTyping, shouldSendTyping } from '../../../renderer/features/chats/chat-logic';
import { acknowledge, enqueue, markFailed, markSent, toResend } from '../../../renderer/features/chats/outbox';
import { lastSeq as maxSeq, mergeMessages } from '../../../browser/chat/transcript';
import { unreadCount } from '../../../renderer/features/chats/transcript';
import { message } from './fixtures';

describe('transcript merge', () => {
  it('appends a newer message on the fast path', () => {
    const merged = mergeMessages([message(1)], [message(2)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('orders by seq and keeps one message per seq', () => {
    const existing = [message(1), message(3)];
    const merged = mergeMessages(existing, [message(4), message(2), message(3), message(2)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('returns the same array when nothing is new (a transcript re-sent after a reconnect)', () => {
    const existing = mergeMessages([], [message(1), message(2)]);
    expect(mergeMessages(existing, [message(1), message(2)])).toBe(existing);
    expect(mergeMessages(existing, [])).toBe(existing);
  });

  it('lets a later copy of a seq replace the earlier one', () => {
    const merged = mergeMessages([message(1, { text: 'old' })], [message(1, { text: 'new' })]);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.text).toBe('new');
  });

  it('counts unread customer messages only, above what was shown', () => {
    const messages = [message(1), message(2, { from: 'agent' }), message(3), message(4)];
    expect(unreadCount(messages, 0)).toBe(3);
    expect(unreadCount(messages, 2)).toBe(2);
    expect(unreadCount(messages, 4)).toBe(0);
    expect(maxSeq(messages)).toBe(4);
    expect(maxSeq([])).toBe(0);
  });
});

describe('outbox', () => {
  it('queues when offline, sends when online, and leaves on acknowledgement', () => {
    let outbox = enqueue([], { clientMsgId: 'a', text: 'hi', createdAt: 1 }, true);
    outbox = enqueue(outbox, { clientMsgId: 'b', text: 'there', createdAt: 2 }, false);
    expect(outbox.map((e) => [e.clientMsgId, e.state, e.attempts])).toEqual([
      ['a', 'sending', 1],
      ['b', 'queued', 0],
    ]);
    const acked = acknowledge(outbox, 'a');
    expect(acked.map((e) => e.clientMsgId)).toEqual(['b']);
    expect(acknowledge(acked, 'unknown')).toBe(acked);
  });

  it('resends everything not refused, oldest first, keeping the clientMsgId', () => {
    let outbox = enqueue([], { clientMsgId: 'a', text: '1', createdAt: 1 }, true);
    outbox = enqueue(outbox, { clientMsgId: 'b', text: '2', createdAt: 2 }, true);
    outbox = enqueue(outbox, { clientMsgId: 'c', text: '3', createdAt: 3 }, false);
    outbox = markFailed(outbox, 'b', 'The chat has ended.');
    expect(toResend(outbox).map((e) => e.clientMsgId)).toEqual(['a', 'c']);
    const resent = markSent(outbox, new Set(['a', 'c']), true);
    expect(resent.map((e) => [e.clientMsgId, e.state, e.attempts])).toEqual([
      ['a', 'sending', 2],
      ['b', 'failed', 1],
      ['c', 'sending', 1],
    ]);
  });
});

describe('chat helpers', () => {
  it('throttles typing notifications', () => {
    expect(shouldSendTyping(0, 10_000)).toBe(true);
    expect(shouldSendTyping(10_000, 12_999)).toBe(false);
    expect(shouldSendTyping(10_000, 13_000)).toBe(true);
  });

  it('shows the customer typing for a few seconds after their frame', () => {
    expect(isTyping(null, 5)).toBe(false);
    expect(isTyping(1000, 5999)).toBe(true);
    expect(isTyping(1000, 6000)).toBe(false);
  });

  it('marks agent messages read once the customer has seen their seq', () => {
    expect(deliveryOf(message(3, { from: 'agent' }), 2)).toBe('sent');
    expect(deliveryOf(message(3, { from: 'agent' }), 3)).toBe('read');
    expect(deliveryOf(message(3), 5)).toBeNull();
  });
});
