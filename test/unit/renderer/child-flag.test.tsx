import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

const render = renderSignedInShell;

describe('child-flag in the chat panel', () => {
  it('offers child-flag while the chat runs; once the server marks it, says it is child-protected instead', async () => {
    const { socket, html } = await render();
    socket.serverSend({ type: 'interaction.opened', interaction: detail({ messages: [] }) });
    expect(html()).toContain('data-testid="child-flag"');
    expect(html()).not.toContain('data-testid="child-protected"');

    socket.serverSend({ type: 'interaction.updated', interaction: summary({ customer: {}, childProtected: true }) });
    const markup = html();
    expect(markup).toContain('data-testid="child-protected"');
    expect(markup).toMatch(/Child-protected: not recorded/);
    expect(markup).not.toContain('data-testid="child-flag"');
  });
});
