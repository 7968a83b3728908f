import { expect, test } from './fixtures';
import { startLinkProxy, type LinkProxy } from './support/link-proxy';
import { submitSignIn } from './support/sign-in';
import { takeWidgetChat } from './support/widget';

// The wrap-up must outlast the outage; a late one is applied too, but that is another rule.
test.use({ serverOptions: { graceMs: 1500, env: { VEILDESK_WRAPUP_MS: '600000' } } });

const stamp = () => Math.random().toString(36).slice(2, 8);

async function getJson<T>(url: string, token: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
}

let proxy: LinkProxy | null = null;
test.afterEach(async () => {
  await proxy?.close();
  proxy = null;
});

test('network loss: a black-holed link mid-wrap-up shows offline within 10 s, keeps the wrap-up waiting through an offline reload, and delivers it exactly once', async ({ browser, server }) => {
  test.setTimeout(150_000);
  const id = stamp();
  const customer = `Nadia Netloss ${id}`;
  const lines = [`my router ${id} keeps dropping`, `since ${id} yesterday`];
  const wrapupNotes = `link died while wrapping up ${id}`;

  // The agent reaches the server only through the proxy; the customer goes direct.
  proxy = await startLinkProxy(server.url);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${proxy.url}/`);
  await expect(page.getByTestId('login-server')).toHaveValue(proxy.url);
  await submitSignIn(page, 'agent1');
  // The app shell is precached by the service worker before the network goes.
  expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL)).toBe(`${proxy.url}/sw.js`);

  const widget = await takeWidgetChat(browser, server.url, page, customer);
  for (const text of lines) {
    await widget.getByTestId('widget-chat-input').fill(text);
    await widget.getByTestId('widget-chat-send').click();
  }
  await expect(page.getByTestId('chat-message')).toHaveCount(lines.length);
  await page.getByTestId('chat-end').click();
  await expect(page.getByTestId('wrapup-form')).toBeVisible();

  // The interaction and its transcript are in the local database (pulled after the server's nudge).
  await page.getByTestId('nav-history').click();
  const row = page.getByTestId('history-row').filter({ hasText: customer });
  await expect(row).toHaveCount(1);
  const interactionId = (await row.getAttribute('data-interaction-id'))!;
  await row.click();
  await expect(page.getByTestId('history-transcript')).toContainText(lines[1]!);
  await expect(page.getByTestId('sync-status')).toContainText('Up to date');
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('veildesk.session') ?? '{}').token as string);

  // ---- the link dies mid-wrap-up: no close frame, nothing arrives, the socket still looks open ----
  await page.getByTestId('nav-work').click();
  await page.getByTestId('wrapup-disposition').selectOption('Resolved');
  await page.getByTestId('wrapup-notes').fill(wrapupNotes);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
  proxy.cut();
  const cutAt = Date.now();
  await page.getByTestId('wrapup-submit').click();
  // Kept in the outbox at once: no button left on "Submitting…".
  await expect(page.getByTestId('wrapup-form')).toHaveCount(0);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-waiting', '1');
  await expect(page.getByTestId('sync-status')).toContainText('Offline: 1 change waiting', { timeout: 10_000 });
  const detectedMs = Date.now() - cutAt;
  expect(detectedMs).toBeLessThan(10_000);
  console.log(`[network-loss] offline shown ${detectedMs} ms after the link was cut`);
  await expect(page.getByTestId('connection-state')).not.toHaveAttribute('data-state', 'open');

  // HTTP fails as well now, as the browser reports it offline; the reload comes from the app shell.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('sync-status')).toContainText('Offline: 1 change waiting', { timeout: 20_000 });
  // The page came from the service worker's precache: the network gave nothing.
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${proxy.url}/sw.js`);
  await page.getByTestId('nav-history').click();
  await expect(row).toHaveAttribute('data-pending', 'true');
  await row.click();
  await expect(page.getByTestId('history-transcript')).toContainText(lines[0]!);
  await expect(page.getByTestId('history-wrapup')).toContainText(wrapupNotes);
  await expect(page.getByTestId('history-wrapup')).toHaveAttribute('data-pending', 'true');

  // ---- back online: the held packets flow again and the app sends what waited ----
  const connectionsBefore = proxy.connections;
  proxy.restore();
  await context.setOffline(false);
  await expect(page.getByTestId('sync-status')).toContainText('Up to date', { timeout: 45_000 });
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
  expect(proxy.connections).toBeGreaterThan(connectionsBefore);
  await expect(page.getByTestId('history-wrapup')).toHaveAttribute('data-pending', 'false');
  await expect(page.getByTestId('history-wrapup')).toContainText(wrapupNotes);

  // The server holds the wrap-up exactly once: one wrap-up record, one timeline entry, one mutation answer.
  const held = await getJson<{ changes: { kind: string; op: string; data: Record<string, unknown> }[] }>(`${server.url}/api/sync/interactions/${interactionId}`, token);
  const wrapups = held.changes.filter((c) => c.kind === 'wrapup' && c.op === 'upsert');
  expect(wrapups).toHaveLength(1);
  expect(wrapups[0]!.data).toMatchObject({ disposition: 'Resolved', notes: wrapupNotes, timedOut: false });
  const conflictCopies = held.changes.filter((c) => c.kind === 'note' && c.op === 'upsert');
  expect(conflictCopies).toHaveLength(0);
  const detail = await getJson<{ timeline: { type: string }[]; status: string }>(`${server.url}/api/interactions/${interactionId}`, token);
  expect(detail.timeline.filter((e) => e.type === 'wrapup_submitted')).toHaveLength(1);
  expect(detail.status).toBe('closed');
  await expect(page.getByTestId('wrapup-form')).toHaveCount(0);
  await context.close();
});

test('network loss: a chat message sent into a black-holed link waits on the computer through an offline reload and reaches the customer exactly once', async ({ browser, server }) => {
  test.setTimeout(150_000);
  const id = stamp();
  const customer = `Omar Outage ${id}`;
  const reply = `agent reply sent into the void ${id}`;

  proxy = await startLinkProxy(server.url);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${proxy.url}/`);
  await submitSignIn(page, 'agent1');
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  const widget = await takeWidgetChat(browser, server.url, page, customer);
  await widget.getByTestId('widget-chat-input').fill(`hello ${id}`);
  await widget.getByTestId('widget-chat-send').click();
  await expect(page.getByTestId('chat-message')).toHaveCount(1);
  await expect(page.getByTestId('sync-status')).toContainText('Up to date');

  // ---- the link dies; the agent answers anyway ----
  proxy.cut();
  const cutAt = Date.now();
  await page.getByTestId('chat-input').fill(reply);
  await page.getByTestId('chat-send').click();
  await expect(page.getByTestId('chat-message').filter({ hasText: reply })).toHaveAttribute('data-pending', 'true');
  await expect(page.getByTestId('sync-status')).toContainText('Offline: 1 change waiting', { timeout: 10_000 });
  const detectedMs = Date.now() - cutAt;
  expect(detectedMs).toBeLessThan(10_000);
  console.log(`[network-loss] chat: offline shown ${detectedMs} ms after the link was cut`);

  await context.setOffline(true);
  await page.reload();
  // Still waiting on this computer after the reload, with no connection at all.
  await expect(page.getByTestId('sync-status')).toContainText('Offline: 1 change waiting', { timeout: 20_000 });

  // ---- back online: the chat reopens and the waiting message goes out under its first id ----
  proxy.restore();
  await context.setOffline(false);
  await expect(page.getByTestId('sync-status')).toContainText('Up to date', { timeout: 45_000 });
  // Delivered: a transcript line with the server's seq, no longer a pending one.
  await expect(page.getByTestId('chat-message').filter({ hasText: reply })).toHaveAttribute('data-seq', /\d+/);
  await expect(widget.getByTestId('widget-message').filter({ hasText: reply })).toHaveCount(1);
  await expect(page.getByTestId('chat-message').filter({ hasText: reply })).toHaveCount(1);

  // The server stored it once.
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('veildesk.session') ?? '{}').token as string);
  const interactionId = (await page.getByTestId('chat-tab').filter({ hasText: customer }).getAttribute('data-interaction-id'))!;
  const held = await getJson<{ changes: { kind: string; op: string; data: Record<string, unknown> }[] }>(`${server.url}/api/sync/interactions/${interactionId}`, token);
  expect(held.changes.filter((c) => c.kind === 'message' && c.op === 'upsert' && c.data.text === reply)).toHaveLength(1);
  await context.close();
});
