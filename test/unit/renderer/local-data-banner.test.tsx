import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from './fake-websocket';
import { renderSignedInShell } from './render-shell';

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

const message = 'Your operating system’s keychain is not available right now, so the data Veildesk keeps on this computer stays locked. Unlock your keychain (or sign in to your desktop session again); Veildesk keeps trying. Nothing has been deleted.';

describe('local data banner', () => {
  it('locked: says the data is locked, why, what to do and that nothing was deleted, with a button to try now; no sync line', async () => {
    const h = await renderSignedInShell();
    h.store.setState((s) => ({ localData: { ...s.localData, status: 'locked', session: null, error: message, lockedTries: 1 } }));
    const html = h.html();
    expect(html).toContain('data-testid="local-data-locked"');
    expect(html).toContain('role="alert"');
    expect(html).toContain('Your local data is locked.');
    expect(html).toContain('Nothing has been deleted.');
    expect(html).toContain('data-testid="local-data-retry"');
    expect(html).not.toContain('data-testid="sync-status"');
  });

  it('unreadable: says nothing was deleted, how many waiting changes removing it would lose, and offers the removal', async () => {
    const h = await renderSignedInShell();
    h.store.setState((s) => ({ localData: { ...s.localData, status: 'unreadable', session: null, error: null, unreadable: { scope: 'u@h', waiting: 2 } } }));
    const html = h.html();
    expect(html).toContain('data-testid="local-data-unreadable"');
    expect(html).toContain('nothing has been deleted');
    expect(html).toContain('It holds 2 changes not yet sent to the server, which removing it would lose.');
    expect(html).toContain('data-testid="local-data-remove-unreadable"');
  });

  it('shows nothing while the data is open', async () => {
    const h = await renderSignedInShell();
    h.store.setState((s) => ({ localData: { ...s.localData, status: 'opening' } }));
    expect(h.html()).not.toMatch(/local-data-(locked|unreadable)/);
  });
});
