import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../../renderer/app/format';
import { DetailFacts, HistoryRowCells, Transcript, WrapupSummary } from '../../../renderer/features/history/detail-parts';

const facts = {
  kind: 'chat' as const,
  status: 'closed' as const,
  customer: { name: 'Ada Customer', email: 'ada@example.com' },
  queueName: 'General',
  agentName: null,
  createdAt: '2026-03-04T09:05:00Z',
  disposition: null,
};
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('history detail parts (shared by the server and local history views)', () => {
  it('a row shows the status where there is no disposition, a dash for no agent, and what the caller adds', () => {
    const html = renderToStaticMarkup(<HistoryRowCells item={facts} extra={<span data-testid="history-pending"> · waiting to sync</span>} />);
    expect(text(html)).toContain('Chat Ada Customer General — ');
    expect(text(html)).toContain(formatDateTime(facts.createdAt));
    expect(text(html)).toContain('Closed · waiting to sync');
    expect(text(renderToStaticMarkup(<HistoryRowCells item={{ ...facts, disposition: 'Resolved' }} />))).toContain('Resolved');
  });

  it('the facts show the customer’s email next to the name', () => {
    expect(text(renderToStaticMarkup(<DetailFacts item={facts} />))).toContain('Ada Customer · ada@example.com');
  });

  it('a wrap-up says who and when, late and pending when so; none falls back to the disposition', () => {
    const wrapup = { disposition: 'Resolved', by: 'agent1', submittedAt: facts.createdAt, timedOut: true, notes: '', late: true, pending: true };
    const html = renderToStaticMarkup(<WrapupSummary wrapup={wrapup} disposition="Resolved" />);
    expect(html).toContain('data-pending="true"');
    expect(text(html)).toContain('(time ran out) (arrived after the time ran out) · waiting to sync');
    expect(text(html)).toContain('No notes.');
    expect(text(renderToStaticMarkup(<WrapupSummary wrapup={null} disposition={null} />))).toBe('No wrap-up.');
    expect(text(renderToStaticMarkup(<WrapupSummary wrapup={{ ...wrapup, disposition: null, late: false, pending: false }} disposition={null} />))).toContain('No disposition by agent1');
  });

  it('a transcript renders its lines as text, and nothing without messages', () => {
    const html = renderToStaticMarkup(<Transcript lines={[{ key: 1, from: 'customer', authorName: 'Ada', text: '<b>hi</b>', at: facts.createdAt }]} />);
    expect(html).toContain('&lt;b&gt;hi&lt;/b&gt;');
    expect(html).toContain('chat-message from-customer');
    expect(renderToStaticMarkup(<Transcript lines={[]} />)).toBe('');
  });
});
