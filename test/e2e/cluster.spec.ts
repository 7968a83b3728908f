import { expect, test } from './fixtures';
import { clusterAvailable, leaseMovedToB, twoNodes, until, type TwoNodes } from '../support/two-nodes';
import { startFailoverProxy, type FailoverProxy } from './support/failover-proxy';
import { signInAs } from './support/sign-in';
import { answerWidgetCall, openWidget, startWidgetChat } from './support/widget';

/**
 * Issue 18, in real browsers: two backend nodes on one PostgreSQL and one Redis. agent1's app goes
 * through a load balancer (support/failover-proxy.ts: first node that answers), which lands it on
 * node A, the routing lease holder; customers and super1 use node B. Node A is killed (SIGKILL)
 * mid-chat: the app reconnects through the balancer to node B, the lease moves, and the chat goes
 * on with every message once, in order. In CI PostgreSQL and Redis always run (a missing one fails
 * the run); on a machine without them the test says why it is skipped.
 */

const available = await clusterAvailable('cluster.spec.ts');
/**
 * The default lease (3 s TTL): node B takes it when it expires, at most a TTL after the kill (the
 * last renewal came before it), and serves once its recovery ran. Until then B relays the app's new
 * socket to A, not yet known to be dead, and holds it when the lease moves (its hello unanswered).
 */
const LEASE_MOVED_WITHIN_MS = 5_000;
/** From the kill to agent1's app live again (issue 18): the TTL, B's recovery, the hello's answer. */
const RECONNECTED_WITHIN_MS = 5_000;

const cleanups: (() => Promise<void>)[] = [];
let balancer: FailoverProxy | null = null;
test.afterEach(async () => {
  await balancer?.close();
  balancer = null;
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

test('two nodes: agent1 on node A answers node B’s customers (call and chat); node A dies mid-chat, the app is back on node B, nothing lost or doubled', async ({ browser }) => {
  test.skip(!available, 'PostgreSQL or Redis does not answer (see the printed reason)');
  test.setTimeout(180_000);
  const nodes: TwoNodes = await twoNodes(cleanups);
  const { a, b } = nodes;
  expect((await until(nodes.lease, 15_000, 'a lease holder')).nodeId).toBe('node-a');
  balancer = await startFailoverProxy([a.url, b.url]);

  const supervisor = await signInAs(browser, b.url, 'super1');
  cleanups.push(() => supervisor.close());
  await supervisor.page.getByTestId('nav-board').click();
  const agentOnBoard = supervisor.page.locator('[data-testid="board-agent-row"][data-username="agent1"]');

  const agent = await signInAs(browser, balancer.url, 'agent1', { testHooks: true, tone: true });
  cleanups.push(() => agent.close());
  await expect(agent.page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
  expect(balancer.routed.every((node) => node === a.url)).toBe(true);
  // super1 on node B sees agent1, signed in on node A, live.
  await expect(agentOnBoard).toHaveAttribute('data-activity', 'idle');

  // ---- a customer of node B calls; agent1 on node A answers and hears them ----
  await answerWidgetCall(browser, b.url, agent.page);
  await expect(agentOnBoard).toHaveAttribute('data-activity', 'call');
  await agent.page.getByTestId('call-hangup').click();
  await agent.page.getByTestId('wrapup-disposition').selectOption('Resolved');
  await agent.page.getByTestId('wrapup-submit').click();
  await expect(agent.page.getByTestId('wrapup-form')).toHaveCount(0);
  await expect(agentOnBoard).toHaveAttribute('data-activity', 'idle');

  // ---- a chat from node B, both ways in order ----
  const widget = await openWidget(browser, b.url, { ready: 'widget-chat-start' });
  cleanups.push(() => widget.context().close());
  await startWidgetChat(widget, 'Casey Customer');
  await expect(agent.page.getByTestId('offer')).toContainText('Casey Customer');
  await agent.page.getByTestId('offer-accept').click();
  await expect(widget.getByTestId('widget-state')).toContainText('Connected');
  await expect(agentOnBoard).toHaveAttribute('data-activity', 'chat');
  const say = async (text: string) => {
    await widget.getByTestId('widget-chat-input').fill(text);
    await widget.getByTestId('widget-chat-send').click();
  };
  const reply = async (text: string) => {
    await agent.page.getByTestId('chat-input').fill(text);
    await agent.page.getByTestId('chat-send').click();
  };
  await say('c1 my parcel is late');
  await expect(agent.page.getByTestId('chat-message').last()).toContainText('c1 my parcel is late');
  await reply('a1 let me check');
  await expect(widget.getByTestId('widget-message').last()).toContainText('a1 let me check');

  // ---- node A dies mid-chat ----
  // The moment the app shows itself connected again, taken in the page (the locator's polling would add up to a second).
  await agent.page.evaluate(() => {
    const w = window as unknown as { backOpenAt?: number };
    let left = false;
    new MutationObserver(() => {
      const state = document.querySelector('[data-testid="connection-state"]')?.getAttribute('data-state');
      if (state !== 'open') left = true;
      else if (left) w.backOpenAt ??= Date.now();
    }).observe(document.body, { attributes: true, attributeFilter: ['data-state'], subtree: true, childList: true });
  });
  const killedAt = Date.now();
  a.process.kill('SIGKILL');
  // Watched from now, beside the app's way back.
  const leaseMoved = leaseMovedToB(nodes, killedAt, LEASE_MOVED_WITHIN_MS);
  leaseMoved.catch(() => undefined);
  // Written while the app has no server: kept on this computer and sent once it is back.
  await reply('a2 still here');
  await say('c2 are you there?');
  const backOpenAt = await agent.page.waitForFunction(() => (window as unknown as { backOpenAt?: number }).backOpenAt, null, { timeout: killedAt + RECONNECTED_WITHIN_MS + 1_000 - Date.now() });
  const reconnectedMs = (await backOpenAt.jsonValue())! - killedAt;
  expect(reconnectedMs).toBeLessThan(RECONNECTED_WITHIN_MS);
  await expect(agent.page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
  expect(balancer.routed.at(-1)).toBe(b.url);
  const { takeoverMs } = await leaseMoved;
  await say('c3 thanks');
  await reply('a3 you are welcome');

  // Every message once, in the order each side sent them, on both sides.
  const agentLines = ['c1 my parcel is late', 'a1 let me check', 'c2 are you there?', 'a2 still here', 'c3 thanks', 'a3 you are welcome'];
  for (const page of [agent.page, widget]) {
    const items = page === widget ? widget.getByTestId('widget-message') : agent.page.getByTestId('chat-message');
    await expect(items).toHaveCount(agentLines.length, { timeout: 10_000 });
    const texts = await items.allTextContents();
    for (const line of agentLines) expect(texts.filter((t) => t.includes(line))).toHaveLength(1);
    // Each side's own messages keep their order, and so do the other side's.
    for (const prefix of ['c', 'a']) {
      const mine = texts.map((t) => agentLines.find((l) => t.includes(l))!).filter((l) => l.startsWith(prefix));
      expect(mine).toEqual(agentLines.filter((l) => l.startsWith(prefix)));
    }
  }
  await expect(agentOnBoard).toHaveAttribute('data-activity', 'chat');
  console.log(`[cluster] node A killed mid-chat: agent1's app live on node B after ${reconnectedMs} ms; lease on node B after ${takeoverMs} ms`);
});
