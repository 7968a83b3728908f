import fs from 'node:fs';
import { expect, test } from './fixtures';
import { takeWidgetChat } from './support/widget';

test('a supervisor runs the report after a chat: General counts it with its disposition, no customer name on the page or in the CSV; agents have no Reports', async ({ browser, server, signIn }) => {
  const agent = await signIn('agent1');
  const widget = await takeWidgetChat(browser, server.url, agent.page, 'Rita Reportable');
  await widget.getByTestId('widget-chat-input').fill('my order number is late');
  await widget.getByTestId('widget-chat-send').click();
  await expect(agent.page.getByTestId('chat-message').last()).toContainText('my order number is late');
  await agent.page.getByTestId('chat-end').click();
  await agent.page.getByTestId('wrapup-disposition').selectOption('Resolved');
  await agent.page.getByTestId('wrapup-submit').click();
  await expect(agent.page.getByTestId('wrapup-form')).toHaveCount(0);
  await expect(agent.page.getByTestId('nav-reports')).toHaveCount(0);

  const super1 = await signIn('super1');
  const page = super1.page;
  await page.getByTestId('nav-reports').click();
  await page.getByTestId('report-by').selectOption('queue,day');
  await page.getByTestId('report-run').click();
  const row = page.getByTestId('report-row').filter({ hasText: 'General' });
  await expect(row).toHaveCount(1);
  // Queue, day, offered 1, answered 1, abandoned 0, …, dispositions "Resolved 1".
  await expect(row.locator('td').nth(2)).toHaveText('1');
  await expect(row.locator('td').nth(3)).toHaveText('1');
  await expect(row.locator('td').nth(4)).toHaveText('0');
  await expect(row.locator('td').nth(9)).toHaveText('Resolved 1');
  await expect(page.getByTestId('report-progress')).toHaveCount(0);
  const text = await page.getByTestId('report-table').innerText();
  expect(text).not.toContain('Rita');
  expect(text).not.toContain('order number');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^veildesk-report-queue-day-.*\.csv$/);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  expect(csv).toContain('"General","general"');
  expect(csv).toContain('"disposition: Resolved"');
  expect(csv).not.toContain('Rita');
  expect(csv).not.toContain('order number');
});
