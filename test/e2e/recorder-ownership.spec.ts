import type { Page, Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { CALL_PAGE, CUSTOMER_CALL, connectCall, finishedRecording, hangUp } from './support/recording';
import { signInAs, submitSignIn } from './support/sign-in';
import { openWidget } from './support/widget';

/** The recorder's upload queue in the page's IndexedDB: whose each chunk and close is. */
async function recorderQueue(page: Page): Promise<{ chunks: (string | null)[]; closes: (string | null)[] }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('veildesk-recorder');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = (store: string) =>
      new Promise<{ userId?: string }[]>((resolve, reject) => {
        const req = db.transaction(store).objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result as { userId?: string }[]);
        req.onerror = () => reject(req.error);
      });
    try {
      return { chunks: (await all('chunks')).map((c) => c.userId ?? null), closes: (await all('closes')).map((c) => c.userId ?? null) };
    } finally {
      db.close();
    }
  });
}

test('queued recorder chunks belong to their agent: kept through another agent’s session on the same machine, uploaded at their next sign-in', async ({ browser, server }) => {
  test.setTimeout(120_000);
  // Who is signed in in this browser while a recording request leaves it.
  let phase: 'agent1' | 'agent2' | 'agent1 again' = 'agent1';
  let blockUploads = true;
  const uploads: string[] = [];
  const agent = await signInAs(browser, server.url, 'agent1', {
    ...CALL_PAGE,
    beforeLoad: async (context) => {
      // The recording server is unreachable during agent1's call, so every chunk waits in the queue.
      await context.route('**/api/recordings/**', async (route) => {
        if (blockUploads && route.request().method() === 'POST') return route.abort('internetdisconnected');
        return route.continue();
      });
    },
  });
  const { page } = agent;
  page.on('request', (request: Request) => {
    if (request.method() === 'POST' && request.url().includes('/api/recordings/')) uploads.push(`${phase} ${new URL(request.url()).pathname}`);
  });
  const agent1Id = await page.evaluate(() => (JSON.parse(sessionStorage.getItem('veildesk.session') ?? '{}') as { user?: { id: string } }).user?.id ?? null);
  expect(agent1Id).not.toBeNull();

  const widget = await openWidget(browser, server.url, CUSTOMER_CALL);
  const { interactionId } = await connectCall(page, widget);
  await expect.poll(async () => (await recorderQueue(page)).chunks.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
  await hangUp(page);
  await expect.poll(async () => (await recorderQueue(page)).closes.length, { timeout: 20_000 }).toBe(1);
  const queued = await recorderQueue(page);
  expect(new Set([...queued.chunks, ...queued.closes])).toEqual(new Set([agent1Id]));

  // agent1 signs out; agent2 signs in on the same machine (same browser profile) and the server is reachable.
  await page.getByTestId('signout').click();
  phase = 'agent2';
  blockUploads = false;
  await submitSignIn(page, 'agent2');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open', { timeout: 20_000 });
  await expect(page.getByTestId('sync-status')).toContainText('Up to date', { timeout: 20_000 });
  // Nothing of agent1's went out with agent2's session, and nothing was dropped.
  expect(uploads.filter((u) => u.startsWith('agent2'))).toEqual([]);
  expect(await recorderQueue(page)).toEqual(queued);

  // agent1's next sign-in sends every chunk and then the close, with agent1's session.
  await page.getByTestId('signout').click();
  phase = 'agent1 again';
  await submitSignIn(page, 'agent1');
  const { meta } = await finishedRecording(server.url, server.dataDir, interactionId);
  expect(meta.missingChunks).toBe(0);
  expect(meta.chunks).toBe(queued.chunks.length);
  await expect.poll(async () => recorderQueue(page)).toEqual({ chunks: [], closes: [] });
  expect(uploads.filter((u) => u.startsWith('agent1 again')).at(-1)).toMatch(/\/close$/);
  console.log(`[recorder-ownership] ${queued.chunks.length} chunks kept through agent2's session, all stored after agent1 signed in again`);
  await widget.context().close();
  await agent.close();
});
