import { expect, test } from './fixtures';
import { openWidget, startWidgetChat } from './support/widget';

/**
 * Issue 19: the agent's whole chat path by keyboard only. After the page loads, the agent's page
 * gets nothing but key presses (no clicks, no fill): sign in, accept the offer by its shortcut,
 * reply, see the help overlay, end the chat and submit the wrap-up.
 */
test('an agent signs in, accepts, replies, ends and wraps up a chat by keyboard alone', async ({ browser, server }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await expect(page.getByTestId('login-server')).toHaveValue(server.url);

  // Sign in: the username field has the focus; Tab to the password, Enter submits.
  await expect(page.getByTestId('login-username')).toBeFocused();
  await page.keyboard.type('agent1');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('login-password')).toBeFocused();
  await page.keyboard.type('demo');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('signout')).toBeVisible({ timeout: 15_000 });

  const widget = await openWidget(browser, server.url, { ready: 'widget-chat-start' });
  await startWidgetChat(widget, 'Kim Keyboard');
  await expect(page.getByTestId('offer')).toContainText('Kim Keyboard');

  // Accept by shortcut; the reply box of the new chat takes the focus.
  await page.keyboard.press('Alt+a');
  await expect(widget.getByTestId('widget-state')).toContainText('Connected');
  const input = page.getByTestId('chat-input');
  await expect(input).toBeFocused();

  // "?" while typing is a question mark, not the help.
  await page.keyboard.type('Hello Kim, how can I help?');
  await expect(page.getByTestId('shortcuts-help')).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(widget.getByTestId('widget-message-text').last()).toHaveText('Hello Kim, how can I help?');

  // Outside a field, "?" opens the help; the focus stays inside it and comes back on Escape.
  await page.keyboard.press('Shift+Tab');
  await expect(input).not.toBeFocused();
  const before = await page.evaluate(() => document.activeElement?.outerHTML);
  await page.keyboard.press('?');
  const help = page.getByTestId('shortcuts-help');
  await expect(help).toBeVisible();
  await expect(help).toContainText('Alt + A');
  await expect(page.getByTestId('shortcuts-help-close')).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  expect(await help.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  // Desk shortcuts are off while the help is open.
  await page.keyboard.press('Alt+h');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  expect(await page.evaluate(() => document.activeElement?.outerHTML)).toBe(before);
  await expect(page.getByTestId('chat-ended')).toHaveCount(0);

  // Back to the reply box by shortcut, then the customer answers.
  await page.keyboard.press('Alt+r');
  await expect(input).toBeFocused();
  await widget.getByTestId('widget-chat-input').fill('My order is late');
  await widget.getByTestId('widget-chat-input').press('Enter');
  await expect(page.getByTestId('chat-text').last()).toHaveText('My order is late');
  await page.keyboard.type('I will check it now.');
  await page.keyboard.press('Enter');
  await expect(widget.getByTestId('widget-message-text').last()).toHaveText('I will check it now.');

  // End the chat by shortcut: the wrap-up takes the focus.
  await page.keyboard.press('Alt+h');
  await expect(page.getByTestId('chat-ended')).toBeVisible();
  const disposition = page.getByTestId('wrapup-disposition');
  await expect(disposition).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(disposition).toHaveValue('Resolved');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('wrapup-notes')).toBeFocused();
  await page.keyboard.type('Order delayed, checked by keyboard.');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('wrapup-submit')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('wrapup-form')).toHaveCount(0);
  await context.close();
});
