import { expect, test } from './fixtures';
import { dumpLocalDb } from './support/local-db';
import { takeWidgetChat } from './support/widget';

const CARD = '4111 1111 1111 1111';
const CODE = '737';
const cardForms = [CARD, '4111111111111111', '4111-1111-1111-1111'];

test('a card number and its code typed in the widget are redacted before anyone sees them, and the sender is told why', async ({ browser, server, signIn }) => {
  const agent = await signIn('agent1');
  const widget = await takeWidgetChat(browser, server.url, agent.page, 'Casey Card');

  await widget.getByTestId('widget-chat-input').fill(`my card is ${CARD} and the cvv is ${CODE}`);
  await widget.getByTestId('widget-chat-send').click();

  const redacted = 'my card is [card •••• 1111] and the cvv is [security code]';
  // The agent sees the redacted text only.
  await expect(agent.page.getByTestId('chat-text').last()).toHaveText(redacted);
  // The customer's own transcript shows what was kept, with a line saying what was removed and why.
  const own = widget.getByTestId('widget-message').filter({ hasText: 'my card is' });
  await expect(own.getByTestId('widget-message-text')).toHaveText(redacted);
  await expect(own.getByTestId('widget-redaction-notice')).toContainText('a card number and a security code');

  // The agent reads a card number back by mistake: their own copy is redacted too, with the line.
  await agent.page.getByTestId('chat-input').fill('Thanks, so that is 4111111111111111?');
  await agent.page.getByTestId('chat-send').click();
  const agentLine = agent.page.getByTestId('chat-message').filter({ hasText: 'Thanks, so that is' });
  await expect(agentLine.getByTestId('chat-text')).toHaveText('Thanks, so that is [card •••• 1111]?');
  await expect(agentLine.getByTestId('chat-redaction-notice')).toContainText('a card number');
  await expect(widget.getByTestId('widget-message-text').last()).toHaveText('Thanks, so that is [card •••• 1111]?');

  // Nothing in the agent's page, local data (IndexedDB) or the server's output holds the numbers.
  await expect.poll(async () => (await dumpLocalDb(agent.page)).rows).toBeGreaterThan(0);
  const local = await dumpLocalDb(agent.page);
  const pageText = await agent.page.content();
  for (const form of cardForms) {
    expect(local.text).not.toContain(form);
    expect(pageText).not.toContain(form);
    expect(server.output()).not.toContain(form);
  }
  expect(await widget.content()).not.toContain(CARD);
});

test("an admin adds the org's own identifier in the app: a bad pattern is explained, a good one applies to the next message and is audited", async ({ browser, server, signIn }) => {
  const admin = await signIn('admin');
  await admin.page.getByTestId('nav-admin').click();
  const form = admin.page.getByTestId('redaction-policy');
  await expect(form.getByTestId('redaction-entity-card')).toBeChecked();
  await expect(form.getByTestId('redaction-entity-email')).not.toBeChecked();

  await form.getByTestId('redaction-pattern-add').click();
  await form.getByTestId('redaction-pattern-regex').fill('(\\d)\\1');
  await expect(form.getByTestId('redaction-pattern-error')).toContainText('not valid RE2 syntax');
  await expect(form.getByTestId('redaction-policy-save')).toBeDisabled();
  await form.getByTestId('redaction-pattern-regex').fill('\\b\\d{6}-\\d{4}\\b');
  await expect(form.getByTestId('redaction-pattern-error')).toHaveCount(0);
  await form.getByTestId('redaction-policy-save').click();
  await expect(form.getByTestId('redaction-policy-status')).toContainText('Saved');

  const agent = await signIn('agent1');
  const widget = await takeWidgetChat(browser, server.url, agent.page, 'Nina National');
  await widget.getByTestId('widget-chat-input').fill('my id is 010190-1234');
  await widget.getByTestId('widget-chat-send').click();
  await expect(agent.page.getByTestId('chat-text').last()).toHaveText('my id is [national ID]');
  await expect(widget.getByTestId('widget-redaction-notice').last()).toContainText('an identifier your organisation does not keep');

  const token = await admin.page.evaluate(() => JSON.parse(sessionStorage.getItem('veildesk.session') ?? '{}').token as string);
  const audit = await fetch(`${server.url}/api/audit?action=redaction.policy_changed`, { headers: { authorization: `Bearer ${token}` } });
  const entries = ((await audit.json()) as { entries: { actorName: string; details: { after: { orgPatterns: string[] } } }[] }).entries;
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({ actorName: 'admin', details: { after: { orgPatterns: ['national ID'] } } });
  expect(JSON.stringify(entries)).not.toContain('\\d{6}');
});
