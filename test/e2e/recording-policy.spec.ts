import { expect, test } from './fixtures';
import { apiToken } from './support/api';
import { signInWithTone } from './support/sign-in';
import { answerWidgetCall } from './support/widget';

async function apiAs(url: string, username: string, route: string): Promise<{ status: number; body: unknown }> {
  const token = await apiToken(url, username);
  const res = await fetch(`${url}${route}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

test('an admin turns call recording off in the app: audited, and the next call is not recorded', async ({ browser, server }) => {
  test.setTimeout(120_000);
  const admin = await signInWithTone(browser, server.url, 'admin');
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
  const supervisor = await signInWithTone(browser, server.url, 'super1');
  await expect(supervisor.getByTestId('nav-board')).toBeVisible();
  await expect(supervisor.getByTestId('nav-admin')).toHaveCount(0);

  // The next call is not recorded: no indicator, no secure pause, nothing stored.
  const agent = await signInWithTone(browser, server.url, 'agent1');
  const interactionId = await answerWidgetCall(browser, server.url, agent);
  await expect(agent.getByTestId('recording-indicator')).toHaveCount(0);
  await expect(agent.getByTestId('secure-pause')).toHaveCount(0);
  expect((await apiAs(server.url, 'super1', `/api/recordings?interactionId=${interactionId}`)).body).toEqual({ recordings: [] });
});
