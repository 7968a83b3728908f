import { expect, test } from './fixtures';
import { signInAs } from './support/sign-in';
import { openWidget, startWidgetChat } from './support/widget';

// The demo queues' offer timeout (the queue config seeded from VEILDESK_OFFER_TIMEOUT_MS): short
// enough to watch an offer time out, long enough to click Decline on a loaded machine.
const OFFER_TIMEOUT_MS = 6000;
test.use({ serverOptions: { env: { VEILDESK_OFFER_TIMEOUT_MS: String(OFFER_TIMEOUT_MS) } } });

test('offers end with a reason: declined, withdrawn and timed out, in the agent’s history and counted on the board', async ({ browser, server, signIn }) => {
  test.setTimeout(120_000);
  const supervisor = await signIn('super1');
  await supervisor.page.getByTestId('nav-board').click();
  const generalOutcomes = supervisor.page.getByTestId('queue-row').filter({ hasText: 'General' }).getByTestId('board-offer-outcomes');
  await expect(generalOutcomes).toHaveText('0 declined · 0 timed out · 0 taken by another · 0 withdrawn');

  const agent = await signInAs(browser, server.url, 'agent1');
  const agentOutcomes = supervisor.page.locator('[data-testid="board-agent-row"][data-username="agent1"]').getByTestId('board-offer-outcomes');
  await expect(agentOutcomes).toHaveAttribute('data-declined', '0');
  const reasons = agent.page.getByTestId('history-offer-reason');
  const rowsWith = (text: string) => agent.page.getByTestId('history-offer-row').filter({ has: agent.page.getByTestId('history-offer-reason').getByText(text, { exact: true }) });

  // ---- declined: the agent turns the chat down ----
  const widget = await openWidget(browser, server.url, { ready: 'widget-chat-start' });
  await startWidgetChat(widget, 'Casey Customer');
  const offer = agent.page.getByTestId('offer');
  await expect(offer).toContainText('Casey Customer');
  await agent.page.getByTestId('offer-decline').click();
  await agent.page.getByTestId('nav-history').click();
  await expect(rowsWith('Declined')).toHaveCount(1);
  await expect(rowsWith('Declined')).toContainText('General');
  await expect(generalOutcomes).toHaveAttribute('data-declined', '1');
  await expect(agentOutcomes).toHaveAttribute('data-declined', '1');

  // ---- withdrawn: agent1 is the only agent, so the chat came back to them; the customer leaves ----
  await widget.getByTestId('widget-end').click();
  await expect(widget.getByTestId('widget-new')).toBeVisible();
  await expect(rowsWith('Withdrawn')).toHaveCount(1);
  await expect(generalOutcomes).toHaveAttribute('data-withdrawn', '1');

  // ---- timed out: another chat, left unanswered past the queue's offer timeout ----
  await widget.getByTestId('widget-new').click();
  await startWidgetChat(widget, 'Dana Customer');
  await expect(rowsWith('Timed out').first()).toBeVisible({ timeout: OFFER_TIMEOUT_MS + 15_000 });
  await expect(rowsWith('Timed out').first()).toContainText('Chat');
  await expect(generalOutcomes).not.toHaveAttribute('data-timed-out', '0');
  await expect(agentOutcomes).not.toHaveAttribute('data-timed-out', '0');
  await expect(generalOutcomes).toContainText('1 declined');
  await widget.getByTestId('widget-end').click();
  await expect(widget.getByTestId('widget-new')).toBeVisible();
  await expect(rowsWith('Withdrawn')).toHaveCount(2);

  // Every row says how its offer ended, in words; none was accepted.
  for (const text of await reasons.allTextContents()) expect(['Declined', 'Timed out', 'Withdrawn']).toContain(text);
  await expect(rowsWith('Accepted')).toHaveCount(0);
  await agent.close();
  await widget.context().close();
});
