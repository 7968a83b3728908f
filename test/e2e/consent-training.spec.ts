import { expect, test } from './fixtures';
import { apiToken } from './support/api';
import { chooseGeneral, openWidget } from './support/widget';

test('the customer ticks the training purpose, super1 adds the ended chat to training, the customer withdraws and the item is gone', async ({ browser, server, signIn }) => {
  const agent = await signIn('agent1');
  const widget = await openWidget(browser, server.url, { ready: 'widget-chat-start' });

  // The start form shows the notice (version and https link) and each purpose unticked.
  await expect(widget.getByTestId('widget-privacy-link')).toHaveAttribute('href', /^https:\/\//);
  await expect(widget.getByTestId('widget-privacy-notice')).toContainText('version 2026-01');
  const training = widget.getByTestId('widget-consent-training');
  await expect(training).not.toBeChecked();
  await expect(widget.getByTestId('widget-consent-training-sensitive')).not.toBeChecked();
  await training.check();

  await chooseGeneral(widget);
  await widget.getByTestId('widget-name').fill('Tina Trainee');
  await widget.getByTestId('widget-chat-start').click();
  await expect(agent.page.getByTestId('offer')).toContainText('Tina Trainee');
  await agent.page.getByTestId('offer-accept').click();
  await expect(widget.getByTestId('widget-state')).toContainText('Connected');
  // The conversation lists what was agreed, with a withdraw button.
  await expect(widget.getByTestId('widget-consent-item')).toHaveCount(1);
  await expect(widget.getByTestId('widget-consent-item')).toHaveAttribute('data-purpose', 'training');

  await widget.getByTestId('widget-chat-input').fill('How do I reset my password?');
  await widget.getByTestId('widget-chat-send').click();
  await expect(agent.page.getByTestId('chat-message').last()).toContainText('How do I reset my password?');
  await agent.page.getByTestId('chat-end').click();
  await expect(widget.getByTestId('widget-state')).toContainText('Ended');
  await agent.page.getByTestId('wrapup-disposition').selectOption('Resolved');
  await agent.page.getByTestId('wrapup-submit').click();
  await expect(agent.page.getByTestId('wrapup-form')).toHaveCount(0);

  // super1 opens it in History: the consent line, then training-add.
  const super1 = await signIn('super1');
  await super1.page.getByTestId('nav-history').click();
  await super1.page.getByTestId('history-row').filter({ hasText: 'Tina Trainee' }).click();
  const detail = super1.page.getByTestId('history-detail');
  await expect(detail.getByTestId('history-consent')).toHaveAttribute('data-purpose', 'training');
  await expect(detail.getByTestId('history-consent')).toHaveAttribute('data-withdrawn', 'false');
  // Only admins withdraw from History.
  await expect(detail.getByTestId('consent-withdraw')).toHaveCount(0);
  await detail.getByTestId('training-add').click();
  await expect(detail.getByTestId('training-added')).toBeVisible();

  const admin = await apiToken(server.url, 'admin');
  const list = (await (await fetch(`${server.url}/api/interactions?limit=10`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { interactions: { id: string; customer: { name?: string } }[] };
  const id = list.interactions.find((i) => i.customer.name === 'Tina Trainee')!.id;

  await super1.page.getByTestId('nav-training').click();
  const item = super1.page.getByTestId('training-list').locator(`[data-interaction-id="${id}"]`);
  await expect(item).toHaveCount(1);
  await item.getByTestId('training-open').click();
  await expect(super1.page.getByTestId('training-detail')).toContainText('How do I reset my password?');

  // After the conversation the customer withdraws from the widget; the library drops it at once.
  await widget.getByTestId('widget-consent-withdraw-training').click();
  await expect(widget.getByTestId('widget-consent-item')).toHaveAttribute('data-withdrawn', 'true');
  await super1.page.getByTestId('training-refresh').click();
  await expect(item).toHaveCount(0);
  await expect(super1.page.getByTestId('training-detail')).toHaveCount(0);

  // History shows the withdrawal; adding it again is refused with why.
  await super1.page.getByTestId('nav-history').click();
  await super1.page.getByTestId('history-row').filter({ hasText: 'Tina Trainee' }).click();
  await expect(detail.getByTestId('history-consent')).toHaveAttribute('data-withdrawn', 'true');
  await detail.getByTestId('training-add').click();
  await expect(detail.getByTestId('training-error')).toContainText('did not consent');
});

test('an admin withdraws the consent from History and the item leaves the training list', async ({ browser, server, signIn }) => {
  const agent = await signIn('agent1');
  const widget = await openWidget(browser, server.url, { ready: 'widget-chat-start' });
  await widget.getByTestId('widget-consent-training').check();
  await chooseGeneral(widget);
  await widget.getByTestId('widget-name').fill('Olly Optin');
  await widget.getByTestId('widget-chat-start').click();
  await agent.page.getByTestId('offer-accept').click();
  await expect(widget.getByTestId('widget-state')).toContainText('Connected');
  await widget.getByTestId('widget-chat-input').fill('Thanks for the help');
  await widget.getByTestId('widget-chat-send').click();
  await expect(agent.page.getByTestId('chat-message').last()).toContainText('Thanks for the help');
  await agent.page.getByTestId('chat-end').click();
  await agent.page.getByTestId('wrapup-disposition').selectOption('Resolved');
  await agent.page.getByTestId('wrapup-submit').click();

  const super1 = await signIn('super1');
  await super1.page.getByTestId('nav-history').click();
  await super1.page.getByTestId('history-row').filter({ hasText: 'Olly Optin' }).click();
  await super1.page.getByTestId('history-detail').getByTestId('training-add').click();
  await expect(super1.page.getByTestId('training-added')).toBeVisible();
  await super1.page.getByTestId('nav-training').click();
  await expect(super1.page.getByTestId('training-item')).toHaveCount(1);

  const admin = await signIn('admin');
  await admin.page.getByTestId('nav-history').click();
  await admin.page.getByTestId('history-row').filter({ hasText: 'Olly Optin' }).click();
  const detail = admin.page.getByTestId('history-detail');
  await detail.getByTestId('consent-withdraw').click();
  await expect(detail.getByTestId('history-consent')).toHaveAttribute('data-withdrawn', 'true');
  await expect(detail.getByTestId('history-consent')).toContainText('by an admin');

  await super1.page.getByTestId('training-refresh').click();
  await expect(super1.page.getByTestId('training-item')).toHaveCount(0);
});

test('an admin publishes a new notice version: new forms show it, a form still showing the old one is asked to reload', async ({ browser, server, signIn }) => {
  // Someone is online, so the form offers a conversation (not a left message).
  await signIn('agent1');
  const stale = await openWidget(browser, server.url, { ready: 'widget-chat-start' });
  await expect(stale.getByTestId('widget-privacy-notice')).toContainText('version 2026-01');

  const admin = await signIn('admin');
  await admin.page.getByTestId('nav-admin').click();
  const form = admin.page.getByTestId('consent-settings');
  await expect(form.getByTestId('consent-notice-version')).toHaveValue('2026-01');
  await form.getByTestId('consent-notice-url').fill('http://plain.example/privacy');
  await expect(form.getByTestId('consent-settings-problem')).toContainText('https://');
  await expect(form.getByTestId('consent-settings-save')).toBeDisabled();
  await form.getByTestId('consent-notice-url').fill('https://veildesk.example/privacy-v2');
  await form.getByTestId('consent-notice-version').fill('2026-02');
  await form.getByTestId('consent-settings-save').click();
  await expect(form.getByTestId('consent-settings-status')).toContainText('Saved');

  const fresh = await openWidget(browser, server.url, { ready: 'widget-chat-start' });
  await expect(fresh.getByTestId('widget-privacy-notice')).toContainText('version 2026-02');
  await expect(fresh.getByTestId('widget-privacy-link')).toHaveAttribute('href', 'https://veildesk.example/privacy-v2');

  // The customer who read the old notice cannot agree under it: the start is refused with what to do.
  await stale.getByTestId('widget-consent-training').check();
  await chooseGeneral(stale);
  await stale.getByTestId('widget-chat-start').click();
  await expect(stale.getByTestId('widget-start-error')).toContainText('privacy notice has changed');
});
