import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MyPrivacyNoticeResponse, PrivacyNotice } from '../../../shared';
import { App } from '../../../renderer/app/App';
import { createAppStore } from '../../../renderer/app/store';
import { StoreProvider } from '../../../renderer/app/store-context';
import { createSessionStore } from '../../../renderer/features/auth/session-store';
import type { PolicyApi } from '../../../renderer/features/policy/policy-api';
import { WsClient } from '../../../renderer/net/ws-client';
import { FakeWebSocket } from './fake-websocket';
import { fakeApi, fakeBridge, memoryStorage } from './store-harness';

const notice: PrivacyNotice = { id: 'n-2', version: '2', text: 'We now keep chats for 30 days.', effectiveAt: '2026-11-30T00:00:00.000Z', material: true, publishedAt: '2026-11-29T10:00:00.000Z' };

function setup(mine: MyPrivacyNoticeResponse, storage = memoryStorage()) {
  const policy: PolicyApi = {
    mine: vi.fn(async () => mine),
    accept: vi.fn(async () => ({ noticeId: notice.id, version: notice.version, acceptedAt: '2026-12-01T08:00:00.000Z' })),
  };
  const api = fakeApi();
  const store = createAppStore({
    bridge: fakeBridge(),
    session: createSessionStore(storage),
    createApi: () => api,
    createConnection: (opts) => new WsClient({ ...opts, WebSocket: FakeWebSocket, logger: { warn: () => {}, info: () => {} } }),
    now: () => 1_000_000,
    policy,
  });
  const view = { ...store, getInitialState: store.getState };
  const html = () =>
    renderToStaticMarkup(
      <StoreProvider store={view}>
        <App />
      </StoreProvider>,
    );
  const signIn = () => store.getState().signIn({ serverUrl: 'http://server.test', username: 'agent1', password: 'demo' });
  const settled = () => vi.waitFor(() => expect(store.getState().policy.status).not.toBe('checking'));
  return { store, policy, api, html, signIn, settled };
}

describe('the privacy notice at sign-in', () => {
  beforeEach(() => FakeWebSocket.reset());

  it('shows the current material notice with its date before the shell, and opens no connection until it is accepted', async () => {
    const t = setup({ current: notice, mustAccept: true, updated: null, acceptedAt: null });
    await t.signIn();
    await t.settled();
    const gate = t.html();
    expect(gate).toContain('data-testid="policy-notice"');
    expect(gate).toContain('We now keep chats for 30 days.');
    expect(gate).toContain('2026-11-30');
    expect(gate).not.toContain('data-testid="signout"');
    expect(FakeWebSocket.instances).toHaveLength(0);

    await t.store.getState().acceptPolicy();
    expect(t.policy.accept).toHaveBeenCalledWith('http://server.test', 'tok-1', notice.id);
    const shell = t.html();
    expect(shell).toContain('data-testid="signout"');
    expect(shell).not.toContain('data-testid="policy-notice"');
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('a reload with a saved session also stops at the notice, before the shell and the connection', async () => {
    const storage = memoryStorage();
    createSessionStore(storage).save({ token: 'tok-1', serverUrl: 'http://server.test', user: { id: 'u-agent1', username: 'agent1', displayName: 'Agent One', role: 'agent' } });
    const t = setup({ current: notice, mustAccept: true, updated: null, acceptedAt: null }, storage);
    await t.store.getState().start();
    await t.settled();
    expect(t.html()).toContain('data-testid="policy-notice"');
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it('declining signs out: the sign-in form comes back and the server is told', async () => {
    const t = setup({ current: notice, mustAccept: true, updated: null, acceptedAt: null });
    await t.signIn();
    await t.settled();
    await t.store.getState().declinePolicy();
    expect(t.store.getState().auth.status).toBe('signed-out');
    expect(t.api.logout).toHaveBeenCalled();
    expect(t.html()).toContain('Sign in');
    expect(t.policy.accept).not.toHaveBeenCalled();
  });

  it('a newer non-material version opens the shell with a dismissible "updated" banner', async () => {
    const typo = { ...notice, id: 'n-3', version: '3', material: false, effectiveAt: '2026-12-02T00:00:00.000Z' };
    const t = setup({ current: typo, mustAccept: false, updated: { noticeId: typo.id, effectiveAt: typo.effectiveAt }, acceptedAt: null });
    await t.signIn();
    await t.settled();
    const shell = t.html();
    expect(shell).toContain('data-testid="signout"');
    expect(shell).toContain('data-testid="policy-updated-banner"');
    expect(shell).toContain('Privacy notice updated on 2026-12-02');
    t.store.getState().dismissPolicyBanner();
    expect(t.html()).not.toContain('policy-updated-banner');
  });

  it('with nothing to accept the shell opens directly, without a banner', async () => {
    const t = setup({ current: notice, mustAccept: false, updated: null, acceptedAt: '2026-12-01T08:00:00.000Z' });
    await t.signIn();
    await t.settled();
    expect(t.html()).toContain('data-testid="signout"');
    expect(t.html()).not.toContain('policy-updated-banner');
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});
