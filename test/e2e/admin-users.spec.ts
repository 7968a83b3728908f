import { expect, test } from './fixtures';
import { apiSession } from './support/api';
import { submitSignIn } from './support/sign-in';

/** Issue 19: Admin → Users in the app, the forced password change, and a disabled user signed out. */

test('an admin creates a user in the app; the user must change the password at first sign-in, then works', async ({ browser, server, signIn }) => {
  const admin = await signIn('admin');
  await admin.page.getByTestId('nav-admin').click();
  const users = admin.page.getByTestId('admin-users');
  const form = users.getByTestId('admin-user-create');
  await form.getByTestId('admin-user-create-username').fill('newagent');
  await form.getByTestId('admin-user-create-display-name').fill('Nia Newcomer');
  await form.getByTestId('admin-user-create-role').selectOption('agent');
  await form.getByTestId('admin-user-create-password').fill('first-pass-1');
  await form.getByTestId('admin-user-create-queues').locator('input[data-queue-id="general"]').check();
  await form.getByTestId('admin-user-create-submit').click();
  const row = users.locator('[data-testid="admin-user-row"][data-username="newagent"]');
  await expect(row).toContainText('Nia Newcomer', { timeout: 10_000 });
  await expect(row).toContainText('General');
  await expect(row.getByTestId('admin-user-state')).toContainText('must change password');
  // The queue screen lists the new member at once (no restart).
  const general = admin.page.locator('[data-testid="admin-queue-row"][data-queue-id="general"]');
  await expect(general).toContainText('3 members');

  // The new user signs in from another browser: the change-password screen, nothing else.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await expect(page.getByTestId('login-server')).toHaveValue(server.url);
  await page.getByTestId('login-username').fill('newagent');
  await page.getByTestId('login-password').fill('first-pass-1');
  await page.getByTestId('login-submit').click();
  const change = page.getByTestId('change-password-form');
  await expect(change).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('signout')).toHaveCount(0);
  await expect(page.getByTestId('presence-select')).toHaveCount(0);

  // A wrong current password is refused with the server's words; the right one opens the app.
  await change.getByTestId('change-password-current').fill('not-the-one');
  await change.getByTestId('change-password-new').fill('my-own-pass-2');
  await change.getByTestId('change-password-submit').click();
  await expect(change.getByTestId('change-password-status')).toContainText('current password is wrong', { timeout: 15_000 });
  await change.getByTestId('change-password-current').fill('first-pass-1');
  await change.getByTestId('change-password-submit').click();
  await expect(page.getByTestId('signout')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('user-name')).toHaveText('Nia Newcomer');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open', { timeout: 15_000 });
  await page.getByTestId('presence-select').selectOption('available');
  // The admin's roster (Work view) sees the new agent live.
  await admin.page.getByTestId('nav-work').click();
  await expect(admin.page.locator('[data-testid="agent-row"][data-username="newagent"]')).toHaveAttribute('data-presence', 'available', { timeout: 10_000 });

  // Signing in again takes the new password only.
  await page.getByTestId('signout').click();
  await submitSignIn(page, 'newagent', 'my-own-pass-2');
  await expect(page.getByTestId('change-password-form')).toHaveCount(0);

  const asAdmin = await apiSession(server.url, 'admin');
  const created = (await asAdmin('/api/audit?action=user.created&limit=50')) as { entries: { actorName: string; target: string }[] };
  expect(created.entries).toEqual([expect.objectContaining({ actorName: 'admin', target: 'newagent' })]);
  const changed = (await asAdmin('/api/audit?action=auth.password_changed&limit=50')) as { entries: { target: string; details: { forced: boolean } }[] };
  expect(changed.entries).toEqual([expect.objectContaining({ target: 'newagent', details: expect.objectContaining({ forced: true }) })]);
  await context.close();
});

test('an admin disables a user whose app is open: that app is signed out within 5 s', async ({ signIn }) => {
  const admin = await signIn('admin');
  const agent = await signIn('agent2');
  await expect(agent.page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open', { timeout: 15_000 });

  await admin.page.getByTestId('nav-admin').click();
  const row = admin.page.locator('[data-testid="admin-user-row"][data-username="agent2"]');
  await expect(row.getByTestId('admin-user-state')).toHaveText('Active');
  const disable = row.getByTestId('admin-user-disable');
  await expect(disable).toHaveText('Disable');
  const clickedAt = Date.now();
  await disable.click();
  await expect(agent.page.getByTestId('login-error')).toContainText('administrator', { timeout: 5_000 });
  const signedOutMs = Date.now() - clickedAt;
  console.log(`[admin-users] disable clicked → agent2's app at the sign-in screen in ${signedOutMs} ms`);
  expect(signedOutMs).toBeLessThan(5_000);
  await expect(agent.page.getByTestId('login-submit')).toBeVisible();
  await expect(row.getByTestId('admin-user-state')).toHaveText('Disabled');

  // A disabled account cannot sign in again; enabled, it can.
  await agent.page.getByTestId('login-username').fill('agent2');
  await agent.page.getByTestId('login-password').fill('demo');
  await agent.page.getByTestId('login-submit').click();
  await expect(agent.page.getByTestId('login-error')).toContainText('Wrong username or password', { timeout: 15_000 });
  await row.getByTestId('admin-user-disable').click();
  await expect(row.getByTestId('admin-user-state')).toHaveText('Active');
  await submitSignIn(agent.page, 'agent2');
});
