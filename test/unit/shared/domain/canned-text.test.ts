import { describe, expect, it } from 'vitest';
import { cannedMatches, fillCannedText } from '../../../../shared/domain/canned-text';

describe('canned response text', () => {
  const ctx = { customerName: 'Casey', agentName: 'Ada Agent', queueName: 'Billing' };

  it('fills every variable from the conversation', () => {
    expect(fillCannedText('Hi {customer.name}, I am {agent.name} from {queue}.', ctx)).toBe('Hi Casey, I am Ada Agent from Billing.');
  });

  it('leaves no gap for a value the conversation lacks, and unknown braces as written', () => {
    expect(fillCannedText('Hi {customer.name}, {unknown} here', { ...ctx, customerName: null })).toBe('Hi, {unknown} here');
    expect(fillCannedText('{customer.name} hello', { ...ctx, customerName: '  ' })).toBe(' hello');
  });

  it('matches every typed word in the title or text, any case', () => {
    const item = { title: 'Refund policy', text: 'Refunds take 5 days' };
    expect(cannedMatches(item, 'REF days')).toBe(true);
    expect(cannedMatches(item, '')).toBe(true);
    expect(cannedMatches(item, 'refund weeks')).toBe(false);
  });
});
