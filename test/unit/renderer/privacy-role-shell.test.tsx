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

describe('a privacy officer in the app', () => {
  it('gets no desk: no Work or History, no chat workspace, a note instead; the role shows', async () => {
    const { html } = await renderSignedInShell({ id: 'u-privacy1', username: 'privacy1', displayName: 'Pat Privacy', role: 'privacy' });
    const markup = html();
    expect(markup).toContain('data-testid="privacy-only"');
    expect(markup).toContain('Privacy officer');
    expect(markup).not.toContain('>Work<');
    expect(markup).not.toContain('>History<');
    expect(markup).not.toContain('>Board<');
  });

  it('an agent still gets the desk', async () => {
    const markup = (await renderSignedInShell()).html();
    expect(markup).not.toContain('data-testid="privacy-only"');
    expect(markup).toContain('History');
  });
});
