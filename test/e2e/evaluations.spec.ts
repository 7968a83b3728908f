import fs from 'node:fs';
import { expect, test } from './fixtures';
import { takeWidgetChat } from './support/widget';

test('an admin defines a scorecard, a supervisor evaluates an ended chat, the agent sees the score and comments, the report shows the average', async ({ browser, server, signIn }) => {
  // The admin's scorecard: a yes/no question of weight 2 and a 1–5 question of weight 1.
  const admin = await signIn('admin');
  await admin.page.getByTestId('nav-evaluations').click();
  await admin.page.getByTestId('scorecard-name').fill('Chat quality');
  const questions = admin.page.getByTestId('scorecard-question');
  await questions.nth(0).getByTestId('scorecard-question-text').fill('Greeted the customer?');
  await questions.nth(0).getByTestId('scorecard-question-weight').fill('2');
  await admin.page.getByTestId('scorecard-question-add').click();
  await questions.nth(1).getByTestId('scorecard-question-text').fill('Tone');
  await questions.nth(1).getByTestId('scorecard-question-scale').selectOption('one_to_five');
  await questions.nth(1).getByTestId('scorecard-question-labels').fill('Poor, Weak, Fair, Good, Great');
  await admin.page.getByTestId('scorecard-save').click();
  await expect(admin.page.getByTestId('scorecard-item')).toContainText('Chat quality');

  // A chat happens and ends.
  const agent = await signIn('agent1');
  const widget = await takeWidgetChat(browser, server.url, agent.page, 'Eve Evaluated');
  await widget.getByTestId('widget-chat-input').fill('where is my parcel');
  await widget.getByTestId('widget-chat-send').click();
  await expect(agent.page.getByTestId('chat-message').last()).toContainText('where is my parcel');
  await agent.page.getByTestId('chat-end').click();
  await agent.page.getByTestId('wrapup-disposition').selectOption('Resolved');
  await agent.page.getByTestId('wrapup-submit').click();
  await expect(agent.page.getByTestId('wrapup-form')).toHaveCount(0);

  // The supervisor evaluates it from its history detail: (2·Yes + 1·Good) / 3 = 91.7.
  const supervisor = await signIn('super1');
  const page = supervisor.page;
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-row').filter({ hasText: 'Eve Evaluated' }).click();
  await page.getByTestId('evaluate-start').click();
  const answers = page.getByTestId('evaluation-answer');
  await expect(answers).toHaveCount(2);
  await answers.nth(0).selectOption({ label: 'Yes' });
  await answers.nth(1).selectOption({ label: 'Good' });
  await page.getByTestId('evaluation-notes-input').fill('Friendly, could confirm the address');
  await page.getByTestId('evaluation-submit').click();
  await expect(page.getByTestId('history-evaluations').getByTestId('evaluation-score')).toHaveText('91.7');

  // The agent sees the score in My evaluations and comments.
  await agent.page.getByTestId('nav-evaluations').click();
  const mine = agent.page.getByTestId('my-evaluations');
  await expect(mine.getByTestId('evaluation-score')).toHaveText('91.7');
  await expect(mine.getByTestId('evaluation-notes')).toHaveText('Friendly, could confirm the address');
  await agent.page.getByTestId('evaluation-comment').fill('Will confirm addresses from now on');
  await agent.page.getByTestId('evaluation-comment-submit').click();
  await expect(mine.getByTestId('evaluation-comment-text')).toContainText('Will confirm addresses from now on');
  // …and exports their own evaluations.
  const [download] = await Promise.all([agent.page.waitForEvent('download'), agent.page.getByTestId('evaluations-export').click()]);
  expect(download.suggestedFilename()).toBe('veildesk-my-evaluations.json');
  const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { items: { score: number; comment: { text: string } | null }[] };
  expect(exported.items.map((e) => [e.score, e.comment?.text])).toEqual([[91.7, 'Will confirm addresses from now on']]);

  // The supervisor's report shows the average per agent and per queue.
  await page.getByTestId('nav-reports').click();
  await page.getByTestId('report-run').click();
  const agentRow = page.locator('[data-testid="report-eval-row"][data-kind="agent"]');
  await expect(agentRow).toHaveCount(1);
  await expect(agentRow.getByTestId('report-eval-score')).toHaveText('91.7');
  await expect(page.locator('[data-testid="report-eval-row"][data-kind="queue"]').filter({ hasText: 'General' }).getByTestId('report-eval-score')).toHaveText('91.7');

  // The supervisor sees the agent's comment in the history.
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-row').filter({ hasText: 'Eve Evaluated' }).click();
  await expect(page.getByTestId('history-evaluations').getByTestId('evaluation-comment-text')).toContainText('Will confirm addresses');
});
