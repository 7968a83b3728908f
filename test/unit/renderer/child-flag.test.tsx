import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Shell } from '../../../renderer/app/Shell';
import { StoreProvider } from '../../../renderer/app/store-context';
import { FakeWebSocket } from './fake-websocket';
import { detail, summary } from './fixtures';
import { signedInWork } from './work-harness';

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

async function render() {
  const h = await signedInWork();
  const store = { ...h.store, getInitialState: h.store.getState };
  const html = () =>
    renderToStaticMarkup(
      <StoreProvider store={store}>
        <Shell />
      </StoreProvider>,
    );
  return { ...h, html };
}

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
