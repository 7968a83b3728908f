import { expect, test } from './fixtures';
import { apiToken } from './support/api';
import { takeWidgetChat } from './support/widget';

interface AuditEntry {
  actorName: string | null;
  target: string | null;
  details: Record<string, unknown>;
}

test('a keyword suggests the mark and the agent marks a chat sensitive (health): a supervisor without the permission cannot see it, super1 opens it, both steps are audited', async ({ browser, server, signIn }) => {
  const agent = await signIn('agent1');
  const marked = await takeWidgetChat(browser, server.url, agent.page, 'Hana Health');
  await takeWidgetChat(browser, server.url, agent.page, 'Paul Plain');
  await marked.getByTestId('widget-chat-input').fill('it is about my diagnosis');
  await marked.getByTestId('widget-chat-send').click();

  // The agent marks the first chat in its panel: category, confirm, then the badge.
  await agent.page.getByTestId('chat-tab').filter({ hasText: 'Hana Health' }).click();
  const panel = agent.page.getByTestId('chat-panel');
  await expect(panel.getByTestId('chat-text').last()).toHaveText('it is about my diagnosis');
  // "diagnosis" is one of the demo org's health keywords: the panel suggests the mark, nothing is marked yet.
  await expect(panel.getByTestId('sensitive-suggestion')).toHaveAttribute('data-category', 'health');
  await expect(panel.getByTestId('sensitive-badge')).toHaveCount(0);
  await panel.getByTestId('sensitive-suggestion-mark').click();
  await expect(panel.getByTestId('sensitive-category')).toHaveValue('health');
  await expect(panel.getByTestId('sensitive-suggestion')).toHaveCount(0);
  await panel.getByTestId('sensitive-confirm').click();
  await expect(panel.getByTestId('sensitive-badge')).toHaveText('Sensitive: health');

  const admin = await apiToken(server.url, 'admin');
  const get = async (route: string, token = admin) => fetch(`${server.url}${route}`, { headers: { authorization: `Bearer ${token}` } });
  const list = (await (await get('/api/interactions?limit=10')).json()) as { interactions: { id: string; customer: { name?: string } }[] };
  const id = list.interactions.find((i) => i.customer.name === 'Hana Health')!.id;

  // super2 (no `sensitive` permission): History lists the other chat only; the detail answers 403.
  const super2 = await signIn('super2');
  await super2.page.getByTestId('nav-history').click();
  await expect(super2.page.getByTestId('history-row').filter({ hasText: 'Paul Plain' })).toBeVisible();
  await expect(super2.page.getByTestId('history-row').filter({ hasText: 'Hana Health' })).toHaveCount(0);
  expect((await get(`/api/interactions/${id}`, await apiToken(server.url, 'super2'))).status).toBe(403);

  // super1 holds the permission: opens it and sees the mark.
  const super1 = await signIn('super1');
  await super1.page.getByTestId('nav-history').click();
  await super1.page.getByTestId('history-row').filter({ hasText: 'Hana Health' }).click();
  await expect(super1.page.getByTestId('history-detail').getByTestId('sensitive-badge')).toHaveText('Sensitive: health');

  const audit = async (action: string) => ((await (await get(`/api/audit?action=${action}&limit=100`)).json()) as { entries: AuditEntry[] }).entries;
  const marks = await audit('interaction.marked_sensitive');
  expect(marks).toEqual([expect.objectContaining({ actorName: 'agent1', target: id, details: { interactionId: id, category: 'health' } })]);
  await expect.poll(async () => (await audit('interaction.sensitive_read')).some((e) => e.actorName === 'super1' && e.target === id)).toBe(true);
  const reads = await audit('interaction.sensitive_read');
  expect(reads.filter((e) => e.actorName === 'super2')).toEqual([]);
  // Ids only: no words of the customer in the audit log.
  expect(JSON.stringify([...marks, ...reads])).not.toContain('diagnosis');
});
