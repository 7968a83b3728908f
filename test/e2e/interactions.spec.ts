import { expect, test } from './fixtures';
import { receivedAudio } from './support/audio';
import { signInAs } from './support/sign-in';
import { openWidget, startWidgetCall, startWidgetChat } from './support/widget';

test.use({ serverOptions: { graceMs: 1500 } });

test('a customer chats and calls; agent1 answers, wraps up and finds both in history; super1 watches the board', async ({ browser, server, signIn }) => {
  test.setTimeout(120_000);
  const supervisor = await signIn('super1');
  await supervisor.page.getByTestId('nav-board').click();
  const generalRow = supervisor.page.getByTestId('queue-row').filter({ hasText: 'General' });
  await expect(generalRow).toBeVisible();
  const agentOnBoard = supervisor.page.locator('[data-testid="board-agent-row"][data-username="agent1"]');

  const agent = await signInAs(browser, server.url, 'agent1', { testHooks: true, tone: true });
  await expect(agentOnBoard).toHaveAttribute('data-activity', 'idle');
  // The customer's page: the widget with its microphone replaced by a 440 Hz oscillator.
  const widget = await openWidget(browser, server.url, { tone: true, ready: 'widget-chat-start' });

  // ---- chat ----
  await startWidgetChat(widget, 'Casey Customer');

  const offer = agent.page.getByTestId('offer');
  await expect(offer).toContainText('Casey Customer');
  await agent.page.getByTestId('offer-accept').click();
  await expect(agent.page.getByTestId('chat-tab')).toHaveCount(1);
  await expect(widget.getByTestId('widget-state')).toContainText('Connected');
  await expect(agentOnBoard).toHaveAttribute('data-activity', 'chat');

  const lines = ['Hello, my bill looks wrong', 'Reply from agent', 'It says <b>twice</b> https://example.com/bill', 'Thanks!'];
  await widget.getByTestId('widget-chat-input').fill(lines[0]!);
  await widget.getByTestId('widget-chat-send').click();
  await expect(agent.page.getByTestId('chat-message').last()).toContainText(lines[0]!);
  await agent.page.getByTestId('chat-input').fill(lines[1]!);
  await agent.page.getByTestId('chat-send').click();
  await expect(widget.getByTestId('widget-message').last()).toContainText(lines[1]!);
  for (const text of lines.slice(2)) {
    await widget.getByTestId('widget-chat-input').fill(text);
    await widget.getByTestId('widget-chat-input').press('Enter');
  }
  // Both sides show every message once, in the same order; markup stays text.
  await expect(agent.page.getByTestId('chat-message')).toHaveCount(lines.length);
  await expect(widget.getByTestId('widget-message')).toHaveCount(lines.length);
  for (const [i, text] of lines.entries()) {
    await expect(agent.page.getByTestId('chat-message').nth(i)).toContainText(text);
    await expect(widget.getByTestId('widget-message').nth(i)).toContainText(text);
  }
  await expect(agent.page.locator('[data-testid="chat-message"] b')).toHaveCount(0);

  await agent.page.getByTestId('chat-end').click();
  await expect(widget.getByTestId('widget-state')).toContainText('Ended');
  await expect(agentOnBoard).toHaveAttribute('data-activity', 'wrapup');
  await agent.page.getByTestId('wrapup-disposition').selectOption('Resolved');
  await agent.page.getByTestId('wrapup-notes').fill('Explained the duplicate line on the bill.');
  await agent.page.getByTestId('wrapup-submit').click();
  await expect(agent.page.getByTestId('wrapup-form')).toHaveCount(0);
  await expect(agentOnBoard).toHaveAttribute('data-activity', 'idle');

  // ---- call ----
  await widget.getByTestId('widget-new').click();
  await startWidgetCall(widget);
  await expect(offer).toContainText(/call/i);
  await agent.page.getByTestId('offer-accept').click();
  await expect(agent.page.getByTestId('call-panel')).toBeVisible();
  await expect(widget.getByTestId('widget-state')).toContainText('Connected');
  await expect(agentOnBoard).toHaveAttribute('data-activity', 'call');

  // Audio flows both ways.
  await expect.poll(async () => (await receivedAudio(agent.page, '__veildeskCallPeer')).bytes, { timeout: 20_000 }).toBeGreaterThan(0);
  await expect.poll(async () => (await receivedAudio(widget, '__veildeskWidgetPeer')).bytes, { timeout: 20_000 }).toBeGreaterThan(0);
  await expect.poll(async () => (await receivedAudio(widget, '__veildeskWidgetPeer')).energy, { timeout: 20_000 }).toBeGreaterThan(0.01);
  await expect.poll(async () => (await receivedAudio(agent.page, '__veildeskCallPeer')).energy, { timeout: 20_000 }).toBeGreaterThan(0.01);

  // Mute silences what the agent sends; the customer still reaches the agent.
  await agent.page.getByTestId('call-mute').click();
  await expect(agent.page.getByTestId('call-mute')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await receivedAudio(widget, '__veildeskWidgetPeer')).energy, { timeout: 10_000 }).toBeLessThan(0.001);
  expect((await receivedAudio(agent.page, '__veildeskCallPeer')).energy).toBeGreaterThan(0.01);
  await agent.page.getByTestId('call-mute').click();
  await expect.poll(async () => (await receivedAudio(widget, '__veildeskWidgetPeer')).energy, { timeout: 10_000 }).toBeGreaterThan(0.01);

  // Hold: the customer hears the quiet hold tone instead of the agent (energy far below a voice, not
  // silence), the agent hears nothing, and the customer is told.
  await agent.page.getByTestId('call-hold').click();
  await expect(widget.getByTestId('widget-state')).toContainText(/on hold/i);
  await expect.poll(async () => (await receivedAudio(widget, '__veildeskWidgetPeer')).energy, { timeout: 10_000 }).toBeLessThan(0.04);
  expect((await receivedAudio(widget, '__veildeskWidgetPeer')).energy).toBeGreaterThan(0.001);
  await expect.poll(async () => (await receivedAudio(agent.page, '__veildeskCallPeer')).energy, { timeout: 10_000 }).toBeLessThan(0.001);
  await agent.page.getByTestId('call-hold').click();
  await expect(widget.getByTestId('widget-state')).toContainText('Connected');
  await expect.poll(async () => (await receivedAudio(agent.page, '__veildeskCallPeer')).energy, { timeout: 10_000 }).toBeGreaterThan(0.01);

  // Hang up ends both sides.
  await agent.page.getByTestId('call-hangup').click();
  await expect(widget.getByTestId('widget-state')).toContainText('Ended');
  await agent.page.getByTestId('wrapup-disposition').selectOption('Follow-up needed');
  await agent.page.getByTestId('wrapup-submit').click();
  await expect(agent.page.getByTestId('wrapup-form')).toHaveCount(0);

  // ---- history ----
  await agent.page.getByTestId('nav-history').click();
  const rows = agent.page.getByTestId('history-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'Resolved' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Follow-up needed' })).toHaveCount(1);
  await rows.filter({ hasText: 'Resolved' }).click();
  await expect(agent.page.getByTestId('history-transcript')).toContainText(lines[0]!);
  await expect(agent.page.getByTestId('history-detail')).toContainText('Explained the duplicate line');
});
