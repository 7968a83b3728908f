import { expect, test } from './fixtures';
import { takeWidgetChat } from './support/widget';

/** Canned responses (issue 19): saved in the Replies view, chosen with "/" in the reply box by keyboard, editable before sending. */
test('an agent saves a reply, picks it with / and the keyboard in a chat, edits it and sends it; the org reply is listed too', async ({ browser, server, signIn }) => {
  const admin = await signIn('admin');
  await admin.page.getByTestId('nav-replies').click();
  await admin.page.getByTestId('canned-title').fill('Greeting');
  await admin.page.getByTestId('canned-text').fill('Hi {customer.name}, this is {agent.name} from {queue}.');
  await admin.page.getByTestId('canned-scope').selectOption('org');
  await admin.page.getByTestId('canned-save').click();
  await expect(admin.page.getByTestId('canned-row').filter({ hasText: 'Greeting' })).toHaveAttribute('data-scope', 'org');

  const agent = await signIn('agent1');
  await agent.page.getByTestId('nav-replies').click();
  await expect(agent.page.getByTestId('canned-row').filter({ hasText: 'Greeting' })).toBeVisible();
  // The org's reply is not the agent's to change.
  await expect(agent.page.getByTestId('canned-row').filter({ hasText: 'Greeting' }).getByTestId('canned-edit')).toHaveCount(0);
  await agent.page.getByTestId('canned-title').fill('Refunds');
  await agent.page.getByTestId('canned-text').fill('Refunds take 5 working days, {customer.name}.');
  await agent.page.getByTestId('canned-save').click();
  await expect(agent.page.getByTestId('canned-row').filter({ hasText: 'Refunds' })).toHaveAttribute('data-scope', 'personal');
  await agent.page.getByTestId('nav-work').click();

  const widget = await takeWidgetChat(browser, server.url, agent.page, 'Casey Customer');
  const input = agent.page.getByTestId('chat-input');
  await input.fill('/');
  const list = agent.page.getByTestId('canned-list');
  await expect(list.getByTestId('canned-option')).toHaveText([/Greeting/, /Refunds/]);
  await input.pressSequentially('refund');
  await expect(list.getByTestId('canned-option')).toHaveText([/Refunds/]);
  await input.press('Enter');
  await expect(input).toHaveValue('Refunds take 5 working days, Casey Customer.');
  await expect(list).toHaveCount(0);

  // Editable before sending; Enter now sends.
  await input.press('End');
  await input.pressSequentially(' Sorry for the wait.');
  await input.press('Enter');
  await expect(widget.getByTestId('widget-message-text').last()).toHaveText('Refunds take 5 working days, Casey Customer. Sorry for the wait.');

  // Arrow keys choose among several; Escape closes the list and keeps what was typed.
  await input.fill('/');
  await expect(list.getByTestId('canned-option')).toHaveCount(2);
  await input.press('ArrowDown');
  await input.press('ArrowUp');
  await input.press('Enter');
  await expect(input).toHaveValue('Hi Casey Customer, this is Ada Agent from General.');
  await input.fill('/nothing');
  await expect(list).toContainText('No reply matches');
  await input.press('Escape');
  await expect(list).toHaveCount(0);
  await expect(input).toHaveValue('/nothing');
});
