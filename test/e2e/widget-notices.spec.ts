import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { apiToken } from './support/api';
import { receivedAudio } from './support/audio';
import { CALL_PAGE, CUSTOMER_CALL, connectCall } from './support/recording';
import { signInAs } from './support/sign-in';
import { openWidget, startWidgetCall } from './support/widget';

// Issue 16: the widget tells the customer what applies under the org's own settings before a
// call, and during it whether the call is being recorded now (changing with secure pause).

async function putPolicy(url: string, path: string, body: unknown): Promise<void> {
  const token = await apiToken(url, 'admin');
  const res = await fetch(`${url}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.text()).toBe(200);
}

/** Everything the widget page says, as the customer reads it. */
const pageText = (widget: Page) => widget.locator('main').innerText();

test('recording on and monitoring allowed: said before the call; the recording line follows secure pause and resume', async ({ browser, server }) => {
  test.setTimeout(120_000);
  const agent = await signInAs(browser, server.url, 'agent1', CALL_PAGE);
  const widget = await openWidget(browser, server.url, CUSTOMER_CALL);

  // Before the call: recorded, a supervisor may listen, the agent can pause, the privacy notice linked.
  const notices = widget.getByTestId('widget-notices');
  await expect(notices.getByTestId('widget-notice-call-recorded')).toHaveText(/^Calls are recorded\./);
  await expect(notices.getByTestId('widget-notice-call-listen')).toContainText('A supervisor may listen to a call');
  await expect(notices.getByTestId('widget-notice-call-pause')).toContainText('The agent can pause the recording');
  // The notice is linked once on the form, with its version (the consent fieldset right below the notices).
  await expect(widget.getByRole('link', { name: 'privacy notice' })).toHaveCount(1);
  await expect(widget.getByTestId('widget-privacy-link')).toHaveAttribute('href', /^https:\/\//);
  await expect(widget.getByTestId('widget-privacy-notice')).toContainText(/\(version [^)]+\)/);
  expect(await pageText(widget)).not.toMatch(/private/i);

  // During the call: the line says it is being recorded now.
  await connectCall(agent.page, widget);
  const line = widget.getByTestId('widget-recording-notice');
  await expect(line).toHaveText('This call is being recorded.');
  await expect(line).toHaveAttribute('data-state', 'recording');
  // During the call the notice stays a click away.
  await expect(widget.getByTestId('widget-notices-privacy').getByRole('link', { name: 'privacy notice' })).toHaveAttribute('href', /^https:\/\//);
  expect(await pageText(widget)).not.toMatch(/private/i);

  // The agent pauses: the customer's line changes; resumes: it changes back.
  await agent.page.getByTestId('secure-pause').click();
  await expect(agent.page.getByTestId('secure-pause')).toHaveAttribute('aria-pressed', 'true');
  await expect(line).toHaveAttribute('data-state', 'paused');
  await expect(line).toHaveText('Recording is paused: this part of the call is not recorded.');
  await agent.page.getByTestId('secure-pause').click();
  await expect(agent.page.getByTestId('secure-pause')).toHaveAttribute('aria-pressed', 'false');
  await expect(line).toHaveAttribute('data-state', 'recording');
  await expect(line).toHaveText('This call is being recorded.');

  // Hung up: the line goes with the call.
  await widget.getByTestId('widget-hangup').click();
  await expect(widget.getByTestId('widget-call-status')).toHaveText('The call has ended.');
  await expect(line).toHaveCount(0);
});

test('recording off and monitoring not allowed: the widget says neither, before or during the call', async ({ browser, server }) => {
  test.setTimeout(120_000);
  await putPolicy(server.url, '/api/admin/recording-policy', { recordCalls: false, agentsMayPlayOwn: false, reminderAfterSeconds: 60 });
  await putPolicy(server.url, '/api/admin/monitoring-policy', { showNoticeToAgent: true, securePauseStopsMonitoring: true, rolesAllowed: [], whisperRoles: [], bargeRoles: [] });
  const agent = await signInAs(browser, server.url, 'agent1', CALL_PAGE);
  const widget = await openWidget(browser, server.url, CUSTOMER_CALL);

  const notices = widget.getByTestId('widget-notices');
  await expect(notices.getByTestId('widget-notice-call-not-recorded')).toHaveText('Calls are not recorded.');
  await expect(notices.getByTestId('widget-notice-call-no-listen')).toHaveText('Supervisors do not listen to calls while they happen.');
  for (const id of ['widget-notice-call-recorded', 'widget-notice-call-listen', 'widget-notice-call-pause']) await expect(widget.getByTestId(id)).toHaveCount(0);
  const before = await pageText(widget);
  expect(before).not.toMatch(/calls are recorded|may listen|pause|private/i);

  await startWidgetCall(widget);
  await agent.page.getByTestId('offer-accept').click();
  await expect(agent.page.getByTestId('call-state')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await expect.poll(async () => (await receivedAudio(agent.page, '__veildeskCallPeer')).energy, { timeout: 20_000 }).toBeGreaterThan(0.01);
  const line = widget.getByTestId('widget-recording-notice');
  await expect(line).toHaveText('This call is not being recorded.');
  await expect(line).toHaveAttribute('data-state', 'off');
  // The agent has no secure pause to offer on an unrecorded, unmonitored call.
  await expect(agent.page.getByTestId('secure-pause')).toHaveCount(0);
  expect(await pageText(widget)).not.toMatch(/is being recorded|may listen|paused|private/i);
});
