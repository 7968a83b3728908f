import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SensitiveSuggestion } from '../../../renderer/features/chats/SensitiveSuggestion';
import { FakeWebSocket } from './fake-websocket';
import { detail, summary } from './fixtures';
import { renderSignedInShell } from './render-shell';

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

const suggestions = (markup: string) => markup.match(/data-testid="sensitive-suggestion"/g)?.length ?? 0;

describe('the keyword suggestion to mark a chat sensitive', () => {
  it('renders the category with Mark and Dismiss', () => {
    const markup = renderToStaticMarkup(<SensitiveSuggestion category="union_membership" onMark={() => undefined} onDismiss={() => undefined} />);
    expect(markup).toContain('data-category="union_membership"');
    expect(markup).toMatch(/may hold sensitive data \(union membership\)/);
    expect(markup).toContain('data-testid="sensitive-suggestion-mark"');
    expect(markup).toContain('data-testid="sensitive-suggestion-dismiss"');
  });

  it('shows in the chat panel when the server suggests it, once, beside the unchanged mark button; dismissing or a mark hides it', async () => {
    const { socket, html, store } = await renderSignedInShell();
    socket.serverSend({ type: 'interaction.opened', interaction: detail({ messages: [] }) });
    expect(suggestions(html())).toBe(0);

    socket.serverSend({ type: 'sensitive.suggested', interactionId: 'i-1', category: 'health' });
    socket.serverSend({ type: 'sensitive.suggested', interactionId: 'i-1', category: 'health' });
    socket.serverSend({ type: 'sensitive.suggested', interactionId: 'other', category: 'religion' });
    let markup = html();
    expect(suggestions(markup)).toBe(1);
    expect(markup).toMatch(/sensitive data \(health\)/);
    // A suggestion marks nothing: the usual button is still there, no badge.
    expect(markup).toContain('data-testid="sensitive-mark"');
    expect(markup).not.toContain('data-testid="sensitive-badge"');

    store.getState().dismissSensitiveSuggestion('i-1', 'health');
    expect(suggestions(html())).toBe(0);

    socket.serverSend({ type: 'sensitive.suggested', interactionId: 'i-1', category: 'religion' });
    expect(html()).toMatch(/sensitive data \(religion\)/);
    socket.serverSend({ type: 'interaction.updated', interaction: summary({ sensitive: { category: 'religion', markedAt: '2026-01-01T00:00:00Z', markedBy: 'u' } }) });
    markup = html();
    expect(suggestions(markup)).toBe(0);
    expect(markup).toContain('data-testid="sensitive-badge"');
  });
});
