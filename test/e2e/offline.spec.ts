import type { Browser, Page, WebSocketRoute } from '@playwright/test';
import { expect, test } from './fixtures';
import { submitSignIn } from './support/sign-in';
import { takeWidgetChat } from './support/widget';
import { dumpLocalDb } from './support/local-db';

// Wrap-ups must outlast the offline stretch; the server applies late ones too, but that is another rule.
test.use({ serverOptions: { graceMs: 1500, env: { VEILDESK_WRAPUP_MS: '600000' } } });

const stamp = () => Math.random().toString(36).slice(2, 8);

/**
 * The agent's browser with a switch between it and the server: while cut, every /api request fails
 * as if the network were down and the WebSocket is closed and refused (Playwright's setOffline
 * would leave an open WebSocket open). The page's own files still load, as from a cache.
 */
async function agentWithCable(browser: Browser, url: string) {
  const context = await browser.newContext();
  let cut = false;
  const sockets: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  await context.routeWebSocket(/\/ws$/, (ws) => {
    if (cut) return void ws.close({ code: 1012, reason: 'cut' });
    sockets.push({ page: ws, server: ws.connectToServer() });
  });
  const blockApi = (route: { abort(code: string): Promise<void> }) => route.abort('internetdisconnected');
  const page = await context.newPage();
  await page.goto(url);
  await submitSignIn(page, 'agent1');
  return {
    context,
    page,
    async unplug() {
      cut = true;
      await context.route('**/api/**', blockApi);
      for (const s of sockets.splice(0)) {
        await s.server.close({ code: 1012, reason: 'cut' }).catch(() => undefined);
        await s.page.close({ code: 1012, reason: 'cut' }).catch(() => undefined);
      }
    },
    async plugIn() {
      cut = false;
      await context.unroute('**/api/**', blockApi);
    },
  };
}

async function customerChat(browser: Browser, url: string, name: string, lines: string[], agent: Page): Promise<Page> {
  const widget = await takeWidgetChat(browser, url, agent, name);
  for (const text of lines) {
    await widget.getByTestId('widget-chat-input').fill(text);
    await widget.getByTestId('widget-chat-send').click();
  }
  await expect(agent.getByTestId('chat-message')).toHaveCount(lines.length);
  return widget;
}

async function serverView(page: Page, url: string, interactionId: string) {
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('veildesk.session') ?? '{}').token as string);
  const res = await fetch(`${url}/api/sync/interactions/${interactionId}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as { changes: { kind: string; op: string; data: Record<string, unknown> }[] };
}

test('offline: notes and a wrap-up written offline survive a reload, reach the server exactly once, and nothing sensitive is stored in plaintext', async ({ browser, server }) => {
  test.setTimeout(120_000);
  const id = stamp();
  const customer = `Quincy Offline ${id}`;
  const lines = [`my parcel ${id} never came`, `tracking ${id} says delivered`];
  const noteTexts = [`offline note one ${id}`, `offline note two ${id}`];
  const wrapupNotes = `wrapped up offline ${id}`;

  const agent = await agentWithCable(browser, server.url);
  const page = agent.page;
  await customerChat(browser, server.url, customer, lines, page);
  await page.getByTestId('chat-end').click();
  await expect(page.getByTestId('wrapup-form')).toBeVisible();

  // The interaction and its transcript reach the local database (pulled after the server's nudge).
  await page.getByTestId('nav-history').click();
  const row = page.getByTestId('history-row').filter({ hasText: customer });
  await expect(row).toHaveCount(1);
  const interactionId = (await row.getAttribute('data-interaction-id'))!;
  await row.click();
  await expect(page.getByTestId('history-transcript')).toContainText(lines[1]!);
  await expect(page.getByTestId('sync-status')).toContainText('Up to date');

  // ---- offline ----
  await agent.unplug();
  await expect(page.getByTestId('sync-status')).toContainText('Offline: 0 changes waiting');
  await page.getByTestId('nav-work').click();
  await page.getByTestId('wrapup-disposition').selectOption('Resolved');
  await page.getByTestId('wrapup-notes').fill(wrapupNotes);
  await page.getByTestId('wrapup-submit').click();
  await expect(page.getByTestId('wrapup-form')).toHaveCount(0);
  await expect(page.getByTestId('sync-status')).toContainText('Offline: 1 change waiting');

  await page.getByTestId('nav-history').click();
  await row.click();
  for (const text of noteTexts) {
    await page.getByTestId('note-input').fill(text);
    await page.getByTestId('note-add').click();
    await expect(page.getByTestId('note').filter({ hasText: text })).toHaveAttribute('data-pending', 'true');
  }
  await expect(page.getByTestId('sync-status')).toContainText('Offline: 3 changes waiting');

  // Reload without the server: history, transcript and the pending changes are all still there.
  await page.reload();
  await expect(page.getByTestId('sync-status')).toContainText('Offline: 3 changes waiting', { timeout: 15_000 });
  await page.getByTestId('nav-history').click();
  await expect(row).toHaveAttribute('data-pending', 'true');
  await row.click();
  await expect(page.getByTestId('history-transcript')).toContainText(lines[0]!);
  await expect(page.getByTestId('history-wrapup')).toContainText(wrapupNotes);
  await expect(page.getByTestId('history-wrapup')).toHaveAttribute('data-pending', 'true');
  await expect(page.getByTestId('note').and(page.locator('[data-pending="true"]'))).toHaveCount(2);

  // Straight from IndexedDB: rows are there, the sensitive text is not (only ciphertext).
  const dump = await dumpLocalDb(page);
  expect(dump.names).toHaveLength(1);
  expect(dump.rows).toBeGreaterThan(5);
  expect(dump.text).toContain('General'); // plain, non-sensitive fields are readable: the dump works
  for (const secret of [...lines, ...noteTexts, wrapupNotes, customer]) expect(dump.text).not.toContain(secret);

  // ---- back online; the first push's answer is lost on the way back, so it is sent twice ----
  let pushes = 0;
  await agent.context.route('**/api/sync/push', async (route) => {
    pushes += 1;
    if (pushes === 1) {
      await route.fetch(); // the server applies it…
      return route.abort('connectionreset'); // …and the app never hears
    }
    return route.continue();
  });
  await agent.plugIn();
  await expect(page.getByTestId('sync-status')).toContainText('Up to date', { timeout: 45_000 });
  expect(pushes).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('note').and(page.locator('[data-pending="false"]'))).toHaveCount(2);
  await expect(page.getByTestId('history-wrapup')).toHaveAttribute('data-pending', 'false');

  // The server holds each change exactly once.
  const held = await serverView(page, server.url, interactionId);
  const notes = held.changes.filter((c) => c.kind === 'note' && c.op === 'upsert').map((c) => c.data.text);
  expect(notes.sort()).toEqual([...noteTexts].sort());
  const wrapups = held.changes.filter((c) => c.kind === 'wrapup' && c.op === 'upsert');
  expect(wrapups).toHaveLength(1);
  expect(wrapups[0]!.data).toMatchObject({ disposition: 'Resolved', notes: wrapupNotes, timedOut: false });
  await expect(page.getByTestId('wrapup-form')).toHaveCount(0);
  await agent.context.close();
});
