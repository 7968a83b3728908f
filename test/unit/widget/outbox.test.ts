import { describe, expect, it } from 'vitest';
import { ACK_TIMEOUT_MS, MAX_ATTEMPTS, acknowledge, markSent, newOutboxItem, nextResendAt, planOutbox, retry, reviveOutbox, type OutboxItem } from '../../../widget/lib/outbox';

const item = (id: string) => newOutboxItem(id, `text ${id}`, '2026-01-01T00:00:00Z');
const ids = (items: readonly OutboxItem[]) => items.map((i) => i.clientMsgId);

describe('outbox retry', () => {
  it('sends nothing while disconnected, everything pending once connected', () => {
    const box = [item('a'), item('b')];
    expect(planOutbox(box, null, 0)).toEqual({ send: [], giveUp: [] });
    expect(ids(planOutbox(box, 1, 0).send)).toEqual(['a', 'b']);
  });

  it('does not resend on the same connection before the ack timeout', () => {
    let box = markSent([item('a')], 'a', 1, 1_000);
    expect(planOutbox(box, 1, 1_000 + ACK_TIMEOUT_MS - 1).send).toEqual([]);
    expect(ids(planOutbox(box, 1, 1_000 + ACK_TIMEOUT_MS).send)).toEqual(['a']);
    box = markSent(box, 'a', 1, 2_000);
    expect(box[0]).toMatchObject({ attempts: 2, lastSentAt: 2_000, sentOnConnection: 1 });
  });

  it('resends at once on a new connection (reconnect), keeping the clientMsgId', () => {
    const box = markSent([item('a')], 'a', 1, 1_000);
    const plan = planOutbox(box, 2, 1_001);
    expect(ids(plan.send)).toEqual(['a']);
    expect(plan.send[0]?.text).toBe('text a');
  });

  it('gives up after MAX_ATTEMPTS unanswered sends; Retry starts over', () => {
    let box = [item('a')];
    for (let n = 0; n < MAX_ATTEMPTS; n++) box = markSent(box, 'a', n + 1, n * 100_000);
    const plan = planOutbox(box, MAX_ATTEMPTS + 1, 10_000_000);
    expect(plan.send).toEqual([]);
    expect(ids(plan.giveUp)).toEqual(['a']);
    box = retry(box, 'a');
    expect(box[0]).toMatchObject({ status: 'sending', attempts: 0, lastSentAt: null });
    expect(ids(planOutbox(box, 9, 0).send)).toEqual(['a']);
  });

  it('failed items are never sent automatically; acknowledged ones leave', () => {
    const box: OutboxItem[] = [{ ...item('a'), status: 'failed', error: 'refused' }, item('b')];
    expect(ids(planOutbox(box, 1, 0).send)).toEqual(['b']);
    expect(ids(acknowledge(box, 'b'))).toEqual(['a']);
  });

  it('nextResendAt is the earliest ack deadline of an in-flight item', () => {
    expect(nextResendAt([item('a')])).toBeNull();
    const box = markSent(markSent([item('a'), item('b')], 'a', 1, 5_000), 'b', 1, 3_000);
    expect(nextResendAt(box)).toBe(3_000 + ACK_TIMEOUT_MS);
  });

  it('revives a stored outbox: pending items resend on the next connection, failures stay failed, junk is dropped', () => {
    const stored = JSON.parse(JSON.stringify([markSent([item('a')], 'a', 3, 10)[0], { ...item('b'), status: 'failed', error: 'too long' }, { nope: 1 }, 'x']));
    const box = reviveOutbox(stored);
    expect(box).toHaveLength(2);
    expect(box[0]).toMatchObject({ clientMsgId: 'a', status: 'sending', attempts: 0, sentOnConnection: null });
    expect(box[1]).toMatchObject({ clientMsgId: 'b', status: 'failed', error: 'too long' });
    expect(reviveOutbox('nope')).toEqual([]);
  });
});
