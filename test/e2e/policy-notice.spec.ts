import { expect, test } from './fixtures';
import { apiSession } from './support/api';

test('an admin publishes a material privacy notice; agent1 sees it at the next sign-in, declining signs out, the shell opens only after accept; the acceptance is audited', async ({ browser, server, signIn }) => {
  // Admin → Policy: publish a material version effective today.
  const admin = await signIn('admin');
  await admin.page.getByTestId('nav-admin').click();
  const policy = admin.page.getByTestId('admin-policy');
  await policy.getByTestId('policy-text').fill('From today we keep chat transcripts for 30 days.');
  await expect(policy.getByTestId('policy-material')).toBeChecked();
  await policy.getByTestId('policy-publish').click();
  await expect(policy.getByTestId('policy-publish-status')).toContainText('Published version 1');
  await expect(policy.getByTestId('policy-version')).toHaveCount(1);
  const today = new Date().toISOString().slice(0, 10);

  // agent1 signs in: the notice with its date, no shell.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await expect(page.getByTestId('login-server')).toHaveValue(server.url);
  const signInForm = async () => {
    await page.getByTestId('login-username').fill('agent1');
    await page.getByTestId('login-password').fill('demo');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('policy-notice')).toBeVisible({ timeout: 15_000 });
  };
  await signInForm();
  await expect(page.getByTestId('policy-notice')).toContainText('From today we keep chat transcripts for 30 days.');
  await expect(page.getByTestId('policy-notice-date')).toContainText(today);
  await expect(page.getByTestId('signout')).toHaveCount(0);

  // Decline: signed out, back at the sign-in form.
  await page.getByTestId('policy-decline').click();
  await expect(page.getByTestId('login-submit')).toBeVisible();
  await expect(page.getByTestId('policy-notice')).toHaveCount(0);

  // Next sign-in: the notice again; accept opens the shell and the live connection.
  await signInForm();
  await page.getByTestId('policy-accept').click();
  await expect(page.getByTestId('signout')).toBeVisible();
  await expect(page.getByTestId('policy-notice')).toHaveCount(0);
  await expect(page.getByTestId('presence-select')).toBeEnabled();

  // The acceptance is in the audit log (ids and version only) and on the admin's list.
  const asAdmin = await apiSession(server.url, 'admin');
  const audit = (await asAdmin('/api/audit?action=privacy_notice.accepted&limit=50')) as { entries: { actorName: string; details: { version: string } }[] };
  expect(audit.entries).toHaveLength(1);
  expect(audit.entries[0]).toMatchObject({ actorName: 'agent1', details: { version: '1' } });
  await admin.page.getByTestId('nav-work').click();
  await admin.page.getByTestId('nav-admin').click();
  await expect(admin.page.getByTestId('policy-acceptances')).toContainText('Ada Agent');
  await context.close();
});
