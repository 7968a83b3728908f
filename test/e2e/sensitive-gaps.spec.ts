import { expect, test } from './fixtures';
import { apiToken } from './support/api';

// Issue 15, the gaps closed after the first pass: the admin's child-protection screen, the age
// question on the leave-a-message path, and changing or removing a sensitive mark in History.

interface Listed {
  id: string;
  kind: string;
  childProtected?: boolean;
  customer: { name?: string };
}

test('the admin turns on the age question in Admin; with nobody online a child leaving a message gives no name and only metadata is kept', async ({ browser, server, signIn }) => {
  const admin = await signIn('admin');
  await admin.page.getByTestId('nav-admin').click();
  const ask = admin.page.getByTestId('child-protection-ask-birth-year');
  await expect(ask).not.toBeChecked();
  await expect(admin.page.getByTestId('child-protection-save')).toBeDisabled();
  await ask.check();
  await admin.page.getByTestId('child-protection-save').click();
  await expect(admin.page.getByTestId('child-protection-status')).toContainText('Saved');

  // Nobody of the General queue is signed in: the widget offers to leave a message, and asks the year first.
  const widget = await (await browser.newContext()).newPage();
  await widget.goto(`${server.url}/widget/`);
  await expect(widget.getByTestId('widget-birth-year')).toBeVisible();
  // Its option reads "General (nobody online)".
  await widget.getByTestId('widget-queue').selectOption('general');
  await expect(widget.getByTestId('widget-leave')).toBeVisible();
  await widget.getByTestId('widget-name').fill('Robin Marigold');
  await widget.getByTestId('widget-birth-year').fill(String(new Date().getFullYear() - 9));
  await expect(widget.getByTestId('widget-name')).toHaveCount(0);
  await expect(widget.getByTestId('widget-leave-child')).toContainText('not read');
  await widget.getByTestId('widget-leave-text').fill('I live on Marigold Lane');
  await widget.getByTestId('widget-leave-send').click();
  await expect(widget.getByTestId('widget-leave-confirmation')).toContainText('do not keep messages from children under 13');

  const headers = { authorization: `Bearer ${await apiToken(server.url, 'super1')}` };
  const list = (await (await fetch(`${server.url}/api/interactions?limit=5`, { headers })).json()) as { interactions: Listed[] };
  const left = list.interactions.find((i) => i.kind === 'message')!;
  expect(left).toMatchObject({ childProtected: true, customer: {} });
  const detail = (await (await fetch(`${server.url}/api/interactions/${left.id}`, { headers })).json()) as { messages: unknown[] };
  expect(detail.messages).toEqual([]);
  expect(JSON.stringify(detail)).not.toContain('Marigold');
});

test('super1 changes a sensitive mark’s category and removes it in History (both audited); super2 then finds it in History again', async ({ server, signIn }) => {
  // A message left for the queue, marked by the admin over the API.
  const left = await fetch(`${server.url}/api/widget/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ queueId: 'general', customer: { name: 'Hana Health' }, text: 'about my treatment' }),
  });
  const { interactionId: id } = (await left.json()) as { interactionId: string };
  const admin = await apiToken(server.url, 'admin');
  const mark = await fetch(`${server.url}/api/interactions/${id}/sensitive`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'health' }),
  });
  expect(mark.status).toBe(200);

  const super1 = await signIn('super1');
  await super1.page.getByTestId('nav-history').click();
  await super1.page.getByTestId('history-row').filter({ hasText: 'Hana Health' }).click();
  const detail = super1.page.getByTestId('history-detail');
  await expect(detail.getByTestId('sensitive-badge')).toHaveText('Sensitive: health');

  await detail.getByTestId('sensitive-change').click();
  await expect(detail.getByTestId('sensitive-confirm')).toBeDisabled();
  await detail.getByTestId('sensitive-category').selectOption('religion');
  await detail.getByTestId('sensitive-confirm').click();
  await expect(detail.getByTestId('sensitive-badge')).toHaveText('Sensitive: religion');

  await detail.getByTestId('sensitive-remove').click();
  await expect(detail.getByTestId('sensitive-remove-notice')).toContainText('will see this interaction again');
  await detail.getByTestId('sensitive-confirm').click();
  await expect(detail.getByTestId('sensitive-badge')).toHaveCount(0);
  await expect(detail.getByTestId('sensitive-mark')).toBeVisible();

  const audit = async (action: string) =>
    ((await (await fetch(`${server.url}/api/audit?action=${action}&limit=20`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { entries: { actorName: string; details: object }[] }).entries;
  expect(await audit('interaction.marked_sensitive')).toEqual(
    expect.arrayContaining([expect.objectContaining({ actorName: 'super1', details: { interactionId: id, category: 'religion', previous: 'health' } })]),
  );
  expect(await audit('interaction.unmarked_sensitive')).toEqual([expect.objectContaining({ actorName: 'super1', details: { interactionId: id, previous: 'religion' } })]);

  // super2 (no permission) now finds it in History again.
  const super2 = await signIn('super2');
  await super2.page.getByTestId('nav-history').click();
  await expect(super2.page.getByTestId('history-row').filter({ hasText: 'Hana Health' })).toBeVisible();
});
