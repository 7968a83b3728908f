import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from './fake-websocket';
import { detail, message, summary } from './fixtures';
import { supervisorUser } from './store-harness';
import { renderSignedInShell } from './render-shell';

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

const render = renderSignedInShell;

describe('agent UI markup', () => {
  it('renders chat text as text: markup and links stay inert', async () => {
    const { socket, html } = await render();
    socket.serverSend({
      type: 'interaction.opened',
      interaction: detail({
        messages: [message(1, { text: '<img src=x onerror=alert(1)> see https://evil.test/?q=<b>' })],
      }),
    });
    const markup = html();
    expect(markup).toContain('&lt;img src=x onerror=alert(1)&gt; see https://evil.test/?q=&lt;b&gt;');
    expect(markup).not.toContain('<img');
    expect(markup).not.toContain('<a ');
    expect(markup).toContain('data-testid="chat-tab"');
    expect(markup).toContain('data-testid="chat-input"');
    expect(markup).toContain('data-testid="chat-send"');
  });

  it('shows an offer card with kind, queue, customer and both buttons', async () => {
    const { socket, html } = await render();
    socket.serverSend({
      type: 'offer',
      interaction: summary({ id: 'o-1', kind: 'call', status: 'offered', agentId: null, agentName: null, customer: { name: 'Olga' }, queueName: 'Billing' }),
      expiresAt: new Date(1_000_000 + 20_000).toISOString(),
    });
    const markup = html();
    expect(markup).toContain('data-testid="offer"');
    expect(markup).toMatch(/data-testid="offer-kind"[^>]*>Call</);
    expect(markup).toMatch(/data-testid="offer-queue"[^>]*>Billing</);
    expect(markup).toMatch(/data-testid="offer-customer"[^>]*>Olga</);
    expect(markup).toContain('data-testid="offer-accept"');
    expect(markup).toContain('data-testid="offer-decline"');
  });

  it('renders a wrap-up form with a native select of the dispositions', async () => {
    const { socket, html } = await render();
    socket.serverSend({ type: 'wrapup.required', interactionId: 'i-1', dispositions: ['Resolved', 'Escalated'], deadline: '2099-01-01T00:00:00.000Z' });
    const markup = html();
    expect(markup).toMatch(/<select[^>]*data-testid="wrapup-disposition"/);
    expect(markup).toContain('<option value="Resolved">Resolved</option>');
    expect(markup).toContain('data-testid="wrapup-notes"');
    expect(markup).toContain('data-testid="wrapup-submit"');
  });

  it('keeps the team list on the supervisor’s default view and offers the Board', async () => {
    const { html } = await render(supervisorUser);
    const markup = html();
    expect(markup).toContain('data-testid="agent-list"');
    expect(markup).toContain('data-testid="nav-board"');
  });

  it('shows the queue board to supervisors', async () => {
    const { store, socket, html } = await render(supervisorUser);
    socket.serverSend({
      type: 'board',
      queues: [{ queueId: 'q1', name: 'Support', waiting: 2, oldestWaitingSince: new Date(1_000_000 - 65_000).toISOString(), membersSignedIn: 3, membersAvailable: 1, membersBusy: 2 }],
      agents: [],
      at: new Date(1_000_000).toISOString(),
    });
    store.getState().setView('board');
    const markup = html();
    expect(markup).toContain('data-testid="queue-board"');
    expect(markup).toContain('data-testid="queue-row"');
    expect(markup).toMatch(/data-testid="queue-waiting"[^>]*>2</);
  });

  it('does not offer the Board to agents', async () => {
    const { html } = await render();
    expect(html()).not.toContain('nav-board');
  });
});
