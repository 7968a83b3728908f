import { expect, test } from './fixtures';

test.use({ serverOptions: { graceMs: 1500 } });

test('a supervisor sees an agent go busy live and offline after the grace period', async ({ signIn }) => {
  const supervisor = await signIn('super1');
  const agent = await signIn('agent1');

  // By attribute: a text filter for "agent1" would also match "Agent10s" (time in state) in other rows.
  const row = supervisor.page.locator('[data-testid="agent-row"][data-username="agent1"]');
  await expect(row).toContainText('available');

  await agent.page.getByTestId('presence-select').selectOption('busy');
  const changedAt = Date.now();
  await expect(row).toContainText('busy', { timeout: 1000 });
  expect(Date.now() - changedAt).toBeLessThan(1000);

  // Closing the tab drops the connection; the server waits out the grace period before offline.
  const closedAt = Date.now();
  await agent.page.close();
  await expect(row).toContainText('offline', { timeout: 10_000 });
  expect(Date.now() - closedAt).toBeGreaterThanOrEqual(1400);
});

test('wrong password shows the server message and keeps the sign-in screen', async ({ page, server }) => {
  await page.goto(server.url);
  await page.getByTestId('login-username').fill('agent1');
  await page.getByTestId('login-password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toContainText('Wrong username or password');
  await expect(page.getByTestId('signout')).toHaveCount(0);
});

test('agents do not see the team list; sign out returns to sign-in', async ({ signIn }) => {
  const agent = await signIn('agent2');
  await expect(agent.page.getByTestId('agent-list')).toHaveCount(0);
  await agent.page.getByTestId('signout').click();
  await expect(agent.page.getByTestId('login-submit')).toBeVisible();
});
