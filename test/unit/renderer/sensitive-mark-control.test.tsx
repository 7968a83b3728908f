import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../../shared';
import { Shell } from '../../../renderer/app/Shell';
import { StoreProvider } from '../../../renderer/app/store-context';
import { SensitiveMarkView, type SensitiveMarkViewProps } from '../../../renderer/features/history/SensitiveMarkControl';
import { FakeWebSocket } from './fake-websocket';
import { detail, summary } from './fixtures';
import { renderSignedInShell } from './render-shell';
import { agentUser, fakeApi, supervisorUser } from './store-harness';
import { signedInWork } from './work-harness';

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

const adminUser: User = { id: 'u-admin', username: 'admin', displayName: 'Ada Admin', role: 'admin' };
const mark = { category: 'health' as const, markedAt: '2026-12-04T20:00:00.000Z', markedBy: 'u-agent1' };

/** The Shell on History with a marked interaction's detail open, as `user` sees it. */
async function historyWithMarkedDetail(user: User): Promise<string> {
  const api = fakeApi({
    login: vi.fn(async () => ({ token: 'tok-1', user, expiresAt: '2099-01-01T00:00:00.000Z' })),
    interactions: async () => ({ interactions: [summary({ id: 'h-1', status: 'closed', sensitive: mark })], nextBefore: null }),
    interaction: async (_token, id) => detail({ id, status: 'closed', sensitive: mark }),
  });
  const h = await signedInWork({ user, api });
  h.store.getState().setView('history');
  await h.store.getState().loadHistory();
  await h.store.getState().openHistoryDetail('h-1');
  const store = { ...h.store, getInitialState: h.store.getState };
  return renderToStaticMarkup(
    <StoreProvider store={store}>
      <Shell />
    </StoreProvider>,
  );
}

const view = (props: Partial<SensitiveMarkViewProps>) =>
  renderToStaticMarkup(
    <SensitiveMarkView mark={mark} canManage mode="idle" category="health" busy={false} error={null} onMode={() => undefined} onCategory={() => undefined} onConfirm={() => undefined} {...props} />,
  );

describe('changing or removing a sensitive mark in the app', () => {
  it('History detail: supervisors (who see it only with the permission) and admins get Change category and Remove mark; agents only the badge', async () => {
    for (const user of [supervisorUser, adminUser]) {
      const markup = await historyWithMarkedDetail(user);
      expect(markup).toMatch(/data-testid="sensitive-badge"[^>]*data-category="health"/);
      expect(markup).toContain('data-testid="sensitive-change"');
      expect(markup).toContain('data-testid="sensitive-remove"');
      expect(markup).not.toContain('data-testid="sensitive-mark"');
    }
    const agentMarkup = await historyWithMarkedDetail(agentUser);
    expect(agentMarkup).toContain('data-testid="sensitive-badge"');
    expect(agentMarkup).not.toContain('data-testid="sensitive-change"');
    expect(agentMarkup).not.toContain('data-testid="sensitive-remove"');
  });

  it('the chat panel: the handling agent sees the mark but no controls to change or remove it', async () => {
    const { socket, html } = await renderSignedInShell();
    socket.serverSend({ type: 'interaction.opened', interaction: detail({ messages: [], sensitive: mark }) });
    const markup = html();
    expect(markup).toContain('data-testid="sensitive-badge"');
    expect(markup).not.toContain('data-testid="sensitive-remove"');
    expect(markup).not.toContain('data-testid="sensitive-change"');
  });

  it('changing shows the picker on the current category, Confirm disabled until another is picked; removing asks first with what it means', () => {
    const changing = view({ mode: 'choosing' });
    expect(changing).toContain('data-testid="sensitive-badge"');
    expect(changing).toMatch(/<option value="health" selected="">health<\/option>/);
    expect(changing).toMatch(/<button[^>]*data-testid="sensitive-confirm"[^>]*disabled=""/);
    expect(view({ mode: 'choosing', category: 'religion' })).not.toMatch(/<button[^>]*data-testid="sensitive-confirm"[^>]*disabled=""/);

    const removing = view({ mode: 'removing' });
    expect(removing).toContain('data-testid="sensitive-remove-notice"');
    expect(removing).toMatch(/Supervisors without the sensitive permission will see this interaction again/);
    expect(removing).toMatch(/data-testid="sensitive-confirm"[^>]*>Remove</);
    expect(removing).not.toContain('data-testid="sensitive-category"');

    // Not allowed to manage: the badge alone; the server's refusal shows as an error line.
    const plain = view({ canManage: false, error: 'Only supervisors with the sensitive permission and admins may remove a sensitive mark.' });
    expect(plain).not.toContain('sensitive-remove');
    expect(plain).toContain('data-testid="sensitive-error"');
    // Unmarked: Mark sensitive, as before.
    expect(view({ mark: undefined, canManage: false })).toContain('data-testid="sensitive-mark"');
  });

  it('the board: a supervisor the server withheld the category from sees "sensitive" and no Listen on that call; one with it sees the category and Listen', async () => {
    const { socket, store, html } = await renderSignedInShell(supervisorUser);
    const agentRow = (interactions: unknown[]) => ({ userId: 'u-agent1', username: 'agent1', displayName: 'Agent One', presence: 'busy', activity: 'call', interactions, since: new Date(1_000_000).toISOString() });
    socket.serverSend({ type: 'board', queues: [], agents: [agentRow([{ id: 'c-1', kind: 'call', status: 'active', sensitive: { category: null } }])], at: new Date(1_000_000).toISOString() });
    store.getState().setView('board');
    let markup = html();
    expect(markup).toMatch(/Call \(active, sensitive\)/);
    expect(markup).not.toContain('data-testid="monitor-start"');

    socket.serverSend({ type: 'board', queues: [], agents: [agentRow([{ id: 'c-1', kind: 'call', status: 'active', sensitive: { category: 'health' } }])], at: new Date(1_000_000).toISOString() });
    markup = html();
    expect(markup).toMatch(/Call \(active, sensitive: health\)/);
    expect(markup).toContain('data-testid="monitor-start"');
  });
});
