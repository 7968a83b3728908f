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

/** Settings → Keyboard: a shortcut is remapped (a key another action has is refused), kept across a reload, and reset. */
test('an agent remaps the accept shortcut in Settings; it is kept on this machine and works, the old key does not', async ({ browser, server, signIn }) => {
  const { page } = await signIn('agent1');
  await page.getByTestId('nav-settings').click();
  const row = page.locator('[data-testid="shortcut-row"][data-action="accept"]');
  await expect(row.getByTestId('shortcut-keys')).toHaveText('Alt + A');

  await row.getByTestId('shortcut-edit').press('Enter');
  await expect(row.getByTestId('shortcut-edit')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Alt+d');
  await expect(row.getByTestId('shortcut-error')).toContainText('Decline the oldest offer');
  await expect(row.getByTestId('shortcut-keys')).toHaveText('Alt + A');
  await page.keyboard.press('Control+Shift+y');
  await expect(row.getByTestId('shortcut-keys')).toHaveText('Ctrl + Shift + Y');
  await expect(row.getByTestId('shortcut-error')).toHaveCount(0);

  // Kept on this machine: a reload reads it back.
  await page.reload();
  await expect(page.getByTestId('signout')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('nav-settings').click();
  await expect(row.getByTestId('shortcut-keys')).toHaveText('Ctrl + Shift + Y');
  await page.getByTestId('nav-work').click();

  const widget = await openWidget(browser, server.url, { ready: 'widget-chat-start' });
  await startWidgetChat(widget, 'Remy Remap');
  await expect(page.getByTestId('offer')).toContainText('Remy Remap');
  await page.getByTestId('nav-work').focus();
  await page.keyboard.press('?');
  await expect(page.locator('[data-testid="shortcuts-help-row"][data-action="accept"]')).toContainText('Ctrl + Shift + Y');
  await page.keyboard.press('Escape');
  // The old key does nothing now (the offer waits); the new one accepts.
  await page.keyboard.press('Alt+a');
  // An accept would mark the card "Accepting…" at once: let the page render one frame, then look.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  await expect(page.getByTestId('offer-accept')).toHaveText('Accept chat');
  await expect(page.getByTestId('offer-accept')).toBeEnabled();
  await expect(page.getByTestId('chat-panel')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+y');
  await expect(widget.getByTestId('widget-state')).toContainText('Connected');
  await expect(page.getByTestId('chat-input')).toBeFocused();

  await page.getByTestId('nav-settings').click();
  await row.getByTestId('shortcut-reset').click();
  await expect(row.getByTestId('shortcut-keys')).toHaveText('Alt + A');
  expect(await page.evaluate(() => localStorage.getItem('veildesk.shortcuts'))).toBeNull();
});
