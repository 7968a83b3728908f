import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { type StoreApi } from 'zustand/vanilla';
import { createPrivacyParts } from '../../../../renderer/features/privacy/PrivacyView';
import { PrivacySections } from '../../../../renderer/features/privacy/PrivacySections';
import { fakePrivacyServer, match, request } from './fake-privacy-server';

/** Server rendering reads a store's initial state; point it at the live one. */
function live<S>(store: StoreApi<S>): void {
  store.getInitialState = store.getState;
}

async function setup() {
  const server = fakePrivacyServer();
  const parts = createPrivacyParts('http://server.test', 'tok-1', vi.fn(), server.fetchImpl);
  live(parts.store);
  live(parts.list.store);
  const html = () => renderToStaticMarkup(<PrivacySections parts={parts} retention={null} />);
  return { server, parts, html };
}

/** The markup of every element carrying this test id (attributes and text). */
function rows(html: string, testId: string): string[] {
  return html.split(`data-testid="${testId}"`).slice(1);
}

const ADA_CHAT = match({ interactionId: 'aaaaaaaa-0000-4000-8000-000000000001' });
const ADA_CALL = match({
  interactionId: 'aaaaaaaa-0000-4000-8000-000000000002',
  kind: 'call',
  queueName: 'Billing',
  agentName: 'Agent Two',
  counts: [
    { store: 'chat_messages', count: 0 },
    { store: 'recordings', count: 1 },
    { store: 'recording_pauses', count: 2 },
  ],
});

describe('Privacy view markup', () => {
  it('lists each match with its date, queue, agent, customer and per-store counts, and marks the live one', async () => {
    const { server, parts, html } = await setup();
    server.state.search = { matches: [ADA_CHAT, { ...ADA_CALL, live: true, endedAt: null }], elsewhere: [{ store: 'audit_log', count: 2 }], tookMs: 12 };
    parts.store.getState().setText('ada@example.com');
    await parts.store.getState().search();
    const markup = html();
    const matches = rows(markup, 'privacy-match');
    expect(matches).toHaveLength(2);
    expect(matches[0]).toContain('General');
    expect(matches[0]).toContain('Agent One');
    expect(matches[0]).toContain('Ada Lovelace');
    expect(matches[0]).toContain('ada@example.com');
    expect(matches[0]).toContain('12 chat messages, 1 interaction notes');
    expect(matches[0]).not.toContain('privacy-match-live');
    expect(matches[1]).toContain('data-live="true"');
    expect(matches[1]).toContain('data-testid="privacy-match-live"');
    expect(matches[1]).toContain('2 recording pauses, 1 recordings');
    expect(markup).toContain('Also mentioned outside these interactions: 2 audit log.');
    for (const id of ['privacy-export', 'privacy-rectify', 'privacy-erase']) expect(markup).toContain(`data-testid="${id}"`);
    expect(markup).not.toContain('privacy-erase-confirm');
  });

  it('the erase confirmation names the counts per store and every interaction, and sends nothing until confirmed', async () => {
    const { server, parts, html } = await setup();
    server.state.search = { matches: [ADA_CHAT, ADA_CALL], elsewhere: [], tookMs: 3 };
    parts.store.getState().setText('ada@example.com');
    await parts.store.getState().search();
    parts.store.getState().openErase();
    const markup = html();
    expect(markup).toContain('Erase for good 12 chat messages, 2 recording pauses, 1 interaction notes, 1 recordings from 2 interactions');
    expect(markup).toContain('This cannot be undone.');
    const listed = rows(markup, 'privacy-erase-interactions')[0]!;
    expect(listed).toContain('aaaaaaaa-0000-4000-8000-000000000001');
    expect(listed).toContain('Call');
    expect(listed).toContain('aaaaaaaa-0000-4000-8000-000000000002');
    expect(markup).toMatch(/data-testid="privacy-erase-confirm"(?![^>]*disabled)/);
    expect(server.calls.filter((c) => c.method === 'POST')).toEqual([]);

    // Untick the call: the confirmation closes (what it named changed); reopened, it names one interaction.
    parts.store.getState().toggle(ADA_CALL.interactionId);
    expect(html()).not.toContain('privacy-erase-confirm');
    parts.store.getState().openErase();
    const one = html();
    expect(one).toContain('Erase for good 12 chat messages, 1 interaction notes from 1 interaction,');
    expect(one).toContain('Only the ticked interactions are erased');
    expect(rows(one, 'privacy-erase-interactions')[0]!.split('</ul>')[0]).not.toContain('aaaaaaaa-0000-4000-8000-000000000002');
  });

  it('once the erase is sent, the matches are cleared and the view says what happens next', async () => {
    const { parts, html } = await setup();
    parts.store.getState().setText('ada@example.com');
    await parts.store.getState().search();
    parts.store.getState().openErase();
    await parts.store.getState().confirmErase();
    const markup = html();
    expect(markup).not.toContain('data-testid="privacy-match"');
    expect(markup).not.toContain('privacy-erase-dialog');
    expect(rows(markup, 'privacy-action-status')[0]).toContain('Erase requested');
  });

  it('a live interaction in the erase is named as refused, and the confirm button is off', async () => {
    const { server, parts, html } = await setup();
    server.state.search = { matches: [{ ...ADA_CHAT, live: true }], elsewhere: [], tookMs: 3 };
    parts.store.getState().setText('ada@example.com');
    await parts.store.getState().search();
    parts.store.getState().openErase();
    const markup = html();
    expect(rows(markup, 'privacy-erase-live')[0]).toContain('still in progress');
    expect(markup).toMatch(/data-testid="privacy-erase-confirm"[^>]*disabled/);
  });

  it('renders each request with its status, progress while working, counts, error, and downloads only when complete', async () => {
    const { server, parts, html } = await setup();
    server.state.lists = [
      [
        request({ id: 'r-work', type: 'erase', status: 'working', progress: { done: 3, total: 10 }, createdAt: '2026-12-04T21:05:00.000Z' }),
        request({
          id: 'r-export',
          type: 'export',
          status: 'completed',
          exportReady: true,
          subject: null,
          tookMs: 1500,
          stores: [{ store: 'chat_messages', found: 12, done: 12 }],
          createdAt: '2026-12-04T21:04:00.000Z',
        }),
        request({ id: 'r-failed', type: 'rectify', status: 'failed', error: 'The database was locked. Start the request again.', createdAt: '2026-12-04T21:03:00.000Z' }),
        request({ id: 'r-received', type: 'export', status: 'received', createdAt: '2026-12-04T21:02:00.000Z' }),
      ],
    ];
    await parts.list.start();
    parts.list.stop();
    const all = rows(html(), 'privacy-request-row');
    expect(all.map((r) => /^ data-status="(\w+)"/.exec(r)?.[1])).toEqual(['working', 'completed', 'failed', 'received']);
    const [working, exported, failed, received] = all as [string, string, string, string];
    expect(working).toContain('data-testid="privacy-request-progress"');
    expect(working).toContain('3 of 10');
    expect(working).toContain('ada@example.com');
    expect(working).not.toContain('privacy-download');
    expect(exported).toContain('data-testid="privacy-download"');
    expect(exported).toContain('data-testid="privacy-receipt"');
    expect(exported).toContain('chat messages 12 found, 12 exported');
    expect(exported).toContain('1 identifier (kept hashed)');
    expect(exported).toContain('took 1.5 s');
    expect(failed).toContain('The database was locked. Start the request again.');
    expect(failed).not.toContain('privacy-receipt');
    expect(received).not.toContain('privacy-download');
    expect(received).not.toContain('privacy-request-progress');
  });

  it('downloads the export archive with the session, as the recordings’ audio is', async () => {
    const { server, parts } = await setup();
    const blob = await parts.http.exportArchive('r-export');
    expect(blob.size).toBe(4);
    expect(server.calls.at(-1)).toMatchObject({ method: 'GET', url: 'http://server.test/api/privacy/requests/r-export/export', authorization: 'Bearer tok-1' });
  });
});
