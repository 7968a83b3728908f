import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import { openWidget, startWidgetChat } from './support/widget';

/*
 * A supervisor moves interactions from the live board, with real pages: a chat waiting in General
 * (agent1, its only agent signed in, is away) goes to agent3 by name, who answers it; then, live, it
 * goes from agent3 to agent1 (available again), who answers it in turn while agent3's copy closes. The customer stays in one
 * conversation throughout and sees who has it.
 */

/** Opens the Move form of the interaction, picks the option whose label contains `text`, submits. */
async function moveTo(scope: Locator, text: string): Promise<void> {
  await scope.getByTestId('board-move').click();
  const select = scope.getByTestId('board-move-target');
  const option = select.locator('option', { hasText: text });
  await expect(option).toBeEnabled();
  await select.selectOption((await option.getAttribute('value'))!);
  await scope.getByTestId('board-move-submit').click();
  await expect(scope.getByTestId('board-move-target')).toHaveCount(0);
}

test('a supervisor moves a waiting chat to a named agent, then the live chat to another agent', async ({ browser, server, signIn }) => {
  test.setTimeout(120_000);
  const supervisor = await signIn('super1');
  await supervisor.page.getByTestId('nav-board').click();
  const board = supervisor.page;
  const agentRow = (username: string) => board.locator(`[data-testid="board-agent-row"][data-username="${username}"]`);
  const agent1 = await signIn('agent1');
  await agent1.page.getByTestId('presence-select').selectOption('away');
  await expect(board.locator('[data-testid="board-agent-row"][data-username="agent1"] .pill')).toHaveText('Away');
  const agent3 = await signIn('agent3');
  await expect(agentRow('agent3')).toHaveAttribute('data-activity', 'idle');

  // ---- waiting: agent1 is away (and agent3 is not in General), so the chat waits on the board ----
  const widget = await openWidget(browser, server.url, { ready: 'widget-chat-start' });
  await startWidgetChat(widget, 'Casey Customer');
  const general = board.getByTestId('queue-row').filter({ hasText: 'General' });
  await expect(general.getByTestId('queue-waiting')).toHaveText('1');
  await moveTo(general, '(agent3)');

  await expect(agent3.page.getByTestId('offer')).toContainText('Casey Customer');
  await agent3.page.getByTestId('offer-accept').click();
  await expect(widget.getByTestId('widget-state')).toContainText('Connected');
  await expect(widget.getByTestId('widget-state')).toContainText('Cleo');
  await expect(general.getByTestId('queue-waiting')).toHaveText('0');
  await expect(agentRow('agent3')).toHaveAttribute('data-activity', 'chat');

  // ---- live: agent1 is back; the supervisor moves the chat from agent3's row to agent1 ----
  await agent1.page.getByTestId('presence-select').selectOption('available');
  await expect(board.locator('[data-testid="board-agent-row"][data-username="agent1"] .pill')).toHaveText('Available');
  await moveTo(agentRow('agent3'), '(agent1)');

  await expect(agent1.page.getByTestId('offer')).toContainText('Casey Customer');
  // agent3's copy closes without a wrap-up: the chat is no longer theirs.
  await expect(agentRow('agent3')).toHaveAttribute('data-activity', 'idle');
  await agent1.page.getByTestId('offer-accept').click();
  await expect(widget.getByTestId('widget-state')).toContainText('Ada');
  await expect(agentRow('agent1')).toHaveAttribute('data-activity', 'chat');

  // One conversation throughout: what the customer writes now reaches agent1.
  await widget.getByTestId('widget-chat-input').fill('Still me');
  await widget.getByTestId('widget-chat-send').click();
  await expect(agent1.page.getByTestId('chat-message').last()).toContainText('Still me');
});
