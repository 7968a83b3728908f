import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type User } from '../../../../shared';
import { Shell } from '../../../../renderer/app/Shell';
import { StoreProvider } from '../../../../renderer/app/store-context';
import { FakeWebSocket } from '../fake-websocket';
import { renderSignedInShell } from '../render-shell';
import { agentUser, fakeApi, makeStore } from '../store-harness';

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

const privacyUser: User = { id: 'u-privacy1', username: 'privacy1', displayName: 'Pia Privacy', role: 'privacy' };
const adminUser: User = { id: 'u-admin', username: 'admin', displayName: 'Ada Admin', role: 'admin' };

/** Signs in over the fake HTTP only: the privacy role opens no socket, so the work harness (which accepts one) does not apply. */
async function signInByHttp(user: User = privacyUser) {
  const api = fakeApi({
    login: vi.fn(async () => ({ token: 'tok-p', user, expiresAt: '2099-01-01T00:00:00.000Z' })),
    me: vi.fn(async () => ({ user, expiresAt: '2099-01-01T00:00:00.000Z' })),
  });
  const h = makeStore({ api });
  // Chunks an earlier call left in this browser are uploaded at sign-in, with a working session only.
  const flushRecordingUploads = vi.fn();
  h.store.setState({ flushRecordingUploads });
  await h.store.getState().start();
  expect(await h.store.getState().signIn({ serverUrl: 'http://server.test', username: user.username, password: 'demo' })).toBe(true);
  const store = { ...h.store, getInitialState: h.store.getState };
  const html = () =>
    renderToStaticMarkup(
      <StoreProvider store={store}>
        <Shell />
      </StoreProvider>,
    );
  return { ...h, html, flushRecordingUploads };
}

describe('the privacy role’s app', () => {
  it('shows only the Privacy view: no queues, chats, presence, history or local data', async () => {
    const { html, store, api } = await signInByHttp();
    const markup = html();
    expect(markup).toContain('data-testid="privacy-view"');
    expect(markup).toContain('data-testid="privacy-search"');
    expect(markup).toContain('data-testid="nav-privacy"');
    for (const hidden of ['nav-work', 'nav-history', 'nav-board', 'nav-admin', 'nav-local-data', 'presence-select', 'connection-state', 'offer']) {
      expect(markup).not.toContain(`data-testid="${hidden}"`);
    }
    expect(markup).toContain('Privacy officer');
    // Retention is the admins' policy.
    expect(markup).not.toContain('privacy-retention-title');
    // Asking for another view changes nothing.
    store.getState().setView('work');
    expect(html()).toContain('data-view="privacy"');
    expect(api.queues).not.toHaveBeenCalled();
  });

  it('opens no live connection, no local data and no recorder uploads, also when a reload restores the session', async () => {
    const { store, storage, api, flushRecordingUploads } = await signInByHttp();
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(flushRecordingUploads).not.toHaveBeenCalled();
    expect(store.getState().localData.status).toBe('off');
    expect(store.getState().connection.state).toBe('closed');

    // A reload: the session kept in sessionStorage is restored the same way.
    const again = makeStore({ api, storage });
    await again.store.getState().start();
    expect(again.store.getState().auth.status).toBe('signed-in');
    expect(FakeWebSocket.instances).toHaveLength(0);
  });
});

describe('the Privacy view for admins and others', () => {
  it('an agent signing in the same way opens the connection and uploads left chunks (the harness itself is sound)', async () => {
    const { flushRecordingUploads } = await signInByHttp(agentUser);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(flushRecordingUploads).toHaveBeenCalledTimes(1);
  });

  it('admins reach it under Admin, with the retention policy', async () => {
    const { html, store } = await renderSignedInShell(adminUser);
    expect(html()).toContain('data-testid="nav-admin"');
    expect(html()).toMatch(/class="nav-item nav-sub"[^>]*data-testid="nav-privacy"/);
    store.getState().setView('privacy');
    const markup = html();
    expect(markup).toContain('data-testid="privacy-view"');
    expect(markup).toContain('privacy-retention-title');
    // An admin keeps the rest of the app.
    expect(markup).toContain('data-testid="nav-work"');
  });

  it('agents and supervisors neither see the entry nor get the view by asking for it', async () => {
    const { html, store } = await renderSignedInShell(agentUser);
    expect(html()).not.toContain('data-testid="nav-privacy"');
    store.getState().setView('privacy');
    expect(html()).not.toContain('data-testid="privacy-view"');
    expect(html()).toContain('data-view="work"');
  });
});
