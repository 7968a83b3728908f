import { expect, test } from './fixtures';
import { startLinkProxy, type LinkProxy } from './support/link-proxy';
import { signInAs } from './support/sign-in';
import { putBrowserToSleep } from './support/sleep';
import { answerWidgetCall } from './support/widget';

/**
 * Issue 19, waking and roaming: the first offer after the computer wakes from sleep can be answered.
 * Sleep is made of its two halves as the page lives them: the page's processes are stopped
 * (SIGSTOP on every Chromium process: no timer, no task runs, as on a sleeping machine) and every
 * connection it had goes silent for good without a close (the black-hole proxy strands them, as
 * Wi-Fi that came back on another address). On waking the app must notice the timer gap, open a new socket
 * at once and be offered the next customer, a call whose audio then flows.
 */

// Short server grace: the server gives up on the sleeping agent's silent socket quickly.
test.use({ serverOptions: { graceMs: 1500 } });

/** Longer than the app's sleep threshold (10 s without a 2 s tick, browser/net/wake-detector.ts). */
const SLEEP_MS = 12_000;
/** From waking to the call's audio at the agent. */
const ANSWERED_WITHIN_MS = 20_000;

let proxy: LinkProxy | null = null;
test.afterEach(async () => {
  await proxy?.close();
  proxy = null;
});

test('waking from sleep: the app notices, reconnects through a new link and answers the first call', async ({ browser, server }) => {
  test.setTimeout(120_000);
  proxy = await startLinkProxy(server.url);
  const wakeLogs: string[] = [];
  const { context, page } = await signInAs(browser, proxy.url, 'agent1', {
    // The microphone is Chromium's fake device, opened by the app when the call starts.
    testHooks: true,
    beforeLoad: async (fresh) =>
      void fresh.on('console', (message) => {
        if (message.text().includes('woke up')) wakeLogs.push(message.text());
      }),
  });
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');

  // ---- the computer sleeps: the page stops and its links die silently ----
  const connectionsBefore = proxy.connections;
  const sleeper = await putBrowserToSleep(browser);
  proxy.strandExisting();
  const sleptAt = Date.now();
  // The sleep's length is the scenario, not a wait for something (the server meanwhile gives up on
  // the silent socket after its heartbeat and grace).
  await new Promise((resolve) => setTimeout(resolve, SLEEP_MS));

  // ---- it wakes ----
  sleeper.wake();
  const wokeAt = Date.now();
  await expect.poll(() => wakeLogs.length, { timeout: 10_000 }).toBeGreaterThan(0);
  expect(wakeLogs[0]).toMatch(/the computer woke up after about 1\d s/);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open', { timeout: 10_000 });
  expect(proxy.connections).toBeGreaterThan(connectionsBefore);

  // The first customer after waking calls; the agent answers and hears them.
  await answerWidgetCall(browser, server.url, page);
  const answeredMs = Date.now() - wokeAt;
  console.log(`[wake] slept ${wokeAt - sleptAt} ms; the first call after waking answered with audio ${answeredMs} ms after waking`);
  expect(answeredMs).toBeLessThan(ANSWERED_WITHIN_MS);
  await context.close();
});
