import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { apiToken } from './support/api';
import { dumpLocalDb } from './support/local-db';
import { CALL_PAGE, CUSTOMER_CALL, connectCall } from './support/recording';
import { signInAs } from './support/sign-in';
import { chooseGeneral, openWidget, takeWidgetChat } from './support/widget';

// Issue 15: children under 13. The agent learns mid-conversation that the customer is a child and
// presses child-flag; afterwards nothing of the conversation is left on the server or in the
// agent's local data (only metadata on the server).

/** The recorder's upload queue in the page's IndexedDB: how many chunks wait for this recording. */
function queuedChunksOf(page: Page, recordingId: string): Promise<number> {
  return page.evaluate(async (id) => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'veildesk-recorder')) return 0;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('veildesk-recorder');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    try {
      if (!db.objectStoreNames.contains('chunks')) return 0;
      const rows = await new Promise<{ recordingId: string }[]>((resolve, reject) => {
        const all = db.transaction('chunks').objectStore('chunks').getAll();
        all.onsuccess = () => resolve(all.result as { recordingId: string }[]);
        all.onerror = () => reject(all.error);
      });
      return rows.filter((r) => r.recordingId === id).length;
    } finally {
      db.close();
    }
  }, recordingId);
}

async function pressChildFlag(agent: Page): Promise<void> {
  await agent.getByTestId('child-flag').click();
  // The confirmation says what will happen before anything does.
  await expect(agent.getByTestId('child-flag-confirm')).toContainText('what was recorded is deleted');
  await agent.getByTestId('child-flag-confirm-yes').click();
  await expect(agent.getByTestId('child-protected')).toContainText('Child-protected');
}

/** The agent's local database had the interaction (the cache worked), so its absence later means it was removed. */
async function expectCachedThenGone(agent: Page, interactionId: string, act: () => Promise<void>): Promise<void> {
  await expect.poll(async () => (await dumpLocalDb(agent)).text.includes(interactionId), { timeout: 20_000 }).toBe(true);
  await act();
  await expect.poll(async () => (await dumpLocalDb(agent)).text.includes(interactionId), { timeout: 20_000 }).toBe(false);
}

test('child flag mid-call: the recording and transcript are gone on the server and from the agent’s local data', async ({ browser, server }) => {
  test.setTimeout(120_000);
  const agent = await signInAs(browser, server.url, 'agent1', CALL_PAGE);
  const widget = await openWidget(browser, server.url, CUSTOMER_CALL);
  const { interactionId } = await connectCall(agent.page, widget);
  const headers = { authorization: `Bearer ${await apiToken(server.url, 'super1')}` };
  const recordings = async () =>
    ((await (await fetch(`${server.url}/api/recordings?interactionId=${interactionId}`, { headers })).json()) as { recordings: { id: string; chunks: number }[] }).recordings;
  // Recorded for a while: the server holds chunks of it.
  await expect.poll(async () => (await recordings())[0]?.chunks ?? 0, { timeout: 20_000 }).toBeGreaterThan(1);
  const recordingId = (await recordings())[0]!.id;
  const filesOf = () => (fs.existsSync(path.join(server.dataDir, 'recordings')) ? fs.readdirSync(path.join(server.dataDir, 'recordings')).filter((f) => f.startsWith(recordingId)) : []);
  expect(filesOf().length).toBeGreaterThan(0);

  await expectCachedThenGone(agent.page, interactionId, async () => {
    await pressChildFlag(agent.page);
    // The recorder stops (the call is no longer recorded) and the recording is deleted at once.
    await expect(agent.page.getByTestId('recording-indicator')).toHaveCount(0);
    await expect.poll(recordings).toEqual([]);
    expect((await fetch(`${server.url}/api/recordings/${recordingId}`, { headers })).status).toBe(404);
    await agent.page.getByTestId('call-hangup').click();
  });
  // Chunks the app still held were refused and dropped; none came back as a file.
  await expect.poll(() => queuedChunksOf(agent.page, recordingId), { timeout: 20_000 }).toBe(0);
  expect(filesOf()).toEqual([]);
  expect(await recordings()).toEqual([]);
  // On the server only metadata is left: no customer fields, no messages.
  const detail = (await (await fetch(`${server.url}/api/interactions/${interactionId}`, { headers })).json()) as { customer: object; messages: unknown[]; queueName: string };
  expect(detail).toMatchObject({ customer: {}, messages: [], queueName: 'General' });
});

test('child flag mid-chat: the transcript is gone on the server and from the agent’s local data when the chat ends', async ({ browser, server }) => {
  test.setTimeout(90_000);
  const agent = await signInAs(browser, server.url, 'agent1');
  const widget = await takeWidgetChat(browser, server.url, agent.page, 'Robin Small');
  const interactionId = (await agent.page.getByTestId('chat-tab').first().getAttribute('data-interaction-id'))!;
  await widget.getByTestId('widget-chat-input').fill('I am 9 and my school is Elm Primary');
  await widget.getByTestId('widget-chat-send').click();
  await expect(agent.page.getByTestId('chat-log')).toContainText('Elm Primary');

  await expectCachedThenGone(agent.page, interactionId, async () => {
    await pressChildFlag(agent.page);
    await agent.page.getByTestId('chat-end').click();
  });
  // The wrap-up still works; its notes go the same way when it closes.
  await agent.page.getByTestId('wrapup-disposition').selectOption('Resolved');
  await agent.page.getByTestId('wrapup-notes').fill('Robin from Elm Primary');
  await agent.page.getByTestId('wrapup-submit').click();
  await expect(agent.page.getByTestId('wrapup-form')).toHaveCount(0);
  const headers = { authorization: `Bearer ${await apiToken(server.url, 'super1')}` };
  const detail = async () => (await (await fetch(`${server.url}/api/interactions/${interactionId}`, { headers })).json()) as { status: string; customer: object; messages: unknown[]; wrapup: unknown };
  await expect.poll(async () => (await detail()).status).toBe('closed');
  expect(await detail()).toMatchObject({ customer: {}, messages: [] });
  expect(JSON.stringify(await detail())).not.toContain('Elm Primary');
  expect((await dumpLocalDb(agent.page)).text).not.toContain(interactionId);
});

test('age question: a customer whose year of birth could be under 13 gives no name, and the conversation leaves only metadata', async ({ browser, server }) => {
  test.setTimeout(90_000);
  const admin = await apiToken(server.url, 'admin');
  const put = await fetch(`${server.url}/api/admin/child-protection-policy`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ askBirthYear: true }),
  });
  expect(put.status).toBe(200);
  const agent = await signInAs(browser, server.url, 'agent1');
  const widget = await openWidget(browser, server.url, { ready: 'widget-chat-start' });
  await chooseGeneral(widget);
  const birthYear = widget.getByTestId('widget-birth-year');
  await expect(birthYear).toBeVisible();
  await expect(widget.getByTestId('widget-name')).toBeVisible();
  await widget.getByTestId('widget-name').fill('Robin Small');
  await birthYear.fill(String(new Date().getFullYear() - 9));
  // Under 13: the form no longer asks for a name or an e-mail, and sends neither.
  await expect(widget.getByTestId('widget-name')).toHaveCount(0);
  await expect(widget.getByTestId('widget-email')).toHaveCount(0);
  await widget.getByTestId('widget-chat-start').click();
  await expect(agent.page.getByTestId('offer')).toBeVisible();
  await expect(agent.page.getByTestId('offer-customer')).not.toContainText('Robin');
  await agent.page.getByTestId('offer-accept').click();
  await expect(widget.getByTestId('widget-state')).toContainText('Connected');
  await expect(agent.page.getByTestId('child-protected')).toBeVisible();
  await widget.getByTestId('widget-chat-input').fill('my school is Elm Primary');
  await widget.getByTestId('widget-chat-send').click();
  await expect(agent.page.getByTestId('chat-log')).toContainText('Elm Primary');
  const interactionId = (await agent.page.getByTestId('chat-tab').first().getAttribute('data-interaction-id'))!;
  await agent.page.getByTestId('chat-end').click();
  await expect(agent.page.getByTestId('wrapup-form')).toBeVisible();
  const headers = { authorization: `Bearer ${await apiToken(server.url, 'super1')}` };
  const detail = (await (await fetch(`${server.url}/api/interactions/${interactionId}`, { headers })).json()) as { customer: object; messages: unknown[] };
  expect(detail).toMatchObject({ customer: {}, messages: [] });
  await expect.poll(async () => (await dumpLocalDb(agent.page)).text.includes(interactionId), { timeout: 20_000 }).toBe(false);
});
