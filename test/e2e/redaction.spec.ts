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
