import type { Browser, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { oscillatorMicrophone, receivedAudio } from './support/audio';

async function signInPage(browser: Browser, url: string, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.addInitScript(oscillatorMicrophone);
  await page.goto(`${url}/?testHooks=1`);
  await expect(page.getByTestId('login-server')).toHaveValue(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill('demo');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('signout')).toBeVisible({ timeout: 15_000 });
  return page;
}

/** The customer calls from the widget and the agent answers; resolves once the call's audio flows. */
async function answeredCall(browser: Browser, url: string, agent: Page): Promise<string> {
  const widget = await (await browser.newContext()).newPage();
  await widget.addInitScript(oscillatorMicrophone);
  await widget.goto(`${url}/widget/?testHooks=1`);
  await expect(widget.getByTestId('widget-call-start')).toBeEnabled();
  const select = widget.getByTestId('widget-queue');
  if (await select.count()) await select.selectOption({ label: 'General' });
  await widget.getByTestId('widget-call-start').click();
  await agent.getByTestId('offer-accept').click();
  await expect(agent.getByTestId('call-state')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await expect.poll(async () => (await receivedAudio(agent, '__veildeskCallPeer')).energy, { timeout: 20_000 }).toBeGreaterThan(0.01);
  return (await agent.getByTestId('call-panel').getAttribute('data-interaction-id'))!;
}

async function apiAs(url: string, username: string, route: string): Promise<{ status: number; body: unknown }> {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
  const { token } = (await login.json()) as { token: string };
  const res = await fetch(`${url}${route}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

test('an admin turns call recording off in the app: audited, and the next call is not recorded', async ({ browser, server }) => {
  test.setTimeout(120_000);
  const admin = await signInPage(browser, server.url, 'admin');
  await admin.getByTestId('nav-admin').click();
  const form = admin.getByTestId('recording-policy');
  // The demo org records calls, supervisors and admins play, 60 s reminder.
  await expect(form.getByTestId('policy-record-calls')).toBeChecked();
  await expect(form.getByTestId('policy-agents-play-own')).not.toBeChecked();
  await expect(form.getByTestId('policy-reminder-seconds')).toHaveValue('60');
  await expect(form.getByTestId('policy-save')).toBeDisabled(); // nothing changed yet

  await form.getByTestId('policy-reminder-seconds').fill('2');
  await expect(form.getByText('Enter between 5 and 3600 seconds.')).toBeVisible();
  await expect(form.getByTestId('policy-save')).toBeDisabled();
  await form.getByTestId('policy-reminder-seconds').fill('30');
  await form.getByTestId('policy-record-calls').uncheck();
  await form.getByTestId('policy-agents-play-own').check();
  await form.getByTestId('policy-save').click();
  await expect(form.getByTestId('policy-status')).toContainText('Saved');

  // Stored on the server and audited with who, before and after.
  expect((await apiAs(server.url, 'admin', '/api/admin/recording-policy')).body).toEqual({ recordCalls: false, agentsMayPlayOwn: true, reminderAfterSeconds: 30 });
  const audit = (await apiAs(server.url, 'admin', '/api/audit?action=recording.policy_changed')).body as { entries: { actorName: string; details: unknown }[] };
  expect(audit.entries).toHaveLength(1);
  expect(audit.entries[0]).toMatchObject({ actorName: 'admin', details: { before: { recordCalls: true, agentsMayPlayOwn: false, reminderAfterSeconds: 60 }, after: { recordCalls: false, agentsMayPlayOwn: true, reminderAfterSeconds: 30 } } });

  // The screen shows what is stored after a reload.
  await admin.reload();
  await admin.getByTestId('nav-admin').click();
  await expect(admin.getByTestId('policy-record-calls')).not.toBeChecked();
  await expect(admin.getByTestId('policy-reminder-seconds')).toHaveValue('30');

  // Only admins have the screen.
  const supervisor = await signInPage(browser, server.url, 'super1');
  await expect(supervisor.getByTestId('nav-board')).toBeVisible();
  await expect(supervisor.getByTestId('nav-admin')).toHaveCount(0);

  // The next call is not recorded: no indicator, no secure pause, nothing stored.
  const agent = await signInPage(browser, server.url, 'agent1');
  const interactionId = await answeredCall(browser, server.url, agent);
  await expect(agent.getByTestId('recording-indicator')).toHaveCount(0);
  await expect(agent.getByTestId('secure-pause')).toHaveCount(0);
  expect((await apiAs(server.url, 'super1', `/api/recordings?interactionId=${interactionId}`)).body).toEqual({ recordings: [] });
});
