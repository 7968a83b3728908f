import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { receivedAudio } from './support/audio';
import { signInWithTone } from './support/sign-in';
import { openWidget, startWidgetCall } from './support/widget';

/*
 * Consult (warm) transfer of a call, with real pages: agent1 answers a widget call, consults agent2
 * (the customer on hold hears the hold tone, never agent1), cancels (back with the customer), then
 * consults again and completes: agent2 and the customer hear each other.
 *
 * Levels: the agents' and the customer's microphones are oscillators at amplitude 0.5
 * (support/audio.ts); the hold tone is a quiet chime (renderer/media/hold-tone.ts, gain 0.12).
 * The energy received over one second tells them apart by more than an order of magnitude.
 */

/** Energy of a voice (an oscillator at 0.5) over one second is well above this. */
const VOICE = 0.05;
/** The hold tone's energy over one second lies between these: not silence, far below a voice. */
const TONE_MIN = 0.001;
const TONE_MAX = 0.04;

const energy = async (page: Page, hook: '__veildeskCallPeer' | '__veildeskWidgetPeer' | '__veildeskConsultPeer') => (await receivedAudio(page, hook)).energy;

async function openConsult(agent1: Page, agent2: Page): Promise<void> {
  await agent1.getByTestId('call-transfer').click();
  await agent1.getByTestId('transfer-kind-agent').check();
  const list = agent1.getByTestId('transfer-agent-list');
  const option = list.locator('[data-testid="transfer-agent-option"][data-username="agent2"]');
  // The list shows agent2's live state: available and able to take a call.
  await expect(option).toHaveAttribute('data-presence', 'available');
  await expect(option).toHaveAttribute('data-can-take', 'true');
  await option.locator('input').check();
  await agent1.getByTestId('consult-start').click();
  await expect(agent2.getByTestId('consult-panel')).toHaveAttribute('data-state', 'ringing');
  await agent2.getByTestId('consult-accept').click();
  await expect(agent1.getByTestId('consult-panel')).toHaveAttribute('data-state', 'talking');
  await expect(agent2.getByTestId('consult-panel')).toHaveAttribute('data-state', 'talking');
}

test('consult transfer: the customer hears hold while the agents talk; cancel brings agent1 back, complete hands the call to agent2', async ({ browser, server }) => {
  test.setTimeout(240_000);
  const agent1 = await signInWithTone(browser, server.url, 'agent1');

  const widget = await openWidget(browser, server.url, { tone: true, ready: 'widget-call-start' });
  await startWidgetCall(widget);
  await agent1.getByTestId('offer-accept').click();
  await expect(agent1.getByTestId('call-state')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await expect.poll(() => energy(widget, '__veildeskWidgetPeer'), { timeout: 20_000 }).toBeGreaterThan(VOICE);
  // agent2 signs in once agent1 has the call (both work General).
  const agent2 = await signInWithTone(browser, server.url, 'agent2');

  // ---- consult, then cancel ----
  await openConsult(agent1, agent2);
  await expect(widget.getByTestId('widget-state')).toContainText(/on hold/i);
  // The customer hears the hold tone: not silence, and not agent1's voice.
  await expect.poll(() => energy(widget, '__veildeskWidgetPeer'), { timeout: 15_000 }).toBeLessThan(TONE_MAX);
  expect(await energy(widget, '__veildeskWidgetPeer')).toBeGreaterThan(TONE_MIN);
  // The two agents hear each other on the consult.
  await expect.poll(() => energy(agent2, '__veildeskConsultPeer'), { timeout: 20_000 }).toBeGreaterThan(VOICE);
  await expect.poll(() => energy(agent1, '__veildeskConsultPeer'), { timeout: 20_000 }).toBeGreaterThan(VOICE);
  // Still on hold, still only the tone while they talk.
  const whileTalking = await energy(widget, '__veildeskWidgetPeer');
  expect(whileTalking).toBeGreaterThan(TONE_MIN);
  expect(whileTalking).toBeLessThan(TONE_MAX);

  await agent1.getByTestId('consult-cancel').click();
  await expect(agent1.getByTestId('consult-panel')).toHaveCount(0);
  await expect(agent2.getByTestId('consult-panel')).toHaveCount(0);
  await expect(widget.getByTestId('widget-state')).toContainText('Connected');
  await expect.poll(() => energy(widget, '__veildeskWidgetPeer'), { timeout: 15_000 }).toBeGreaterThan(VOICE);
  await expect(agent1.getByTestId('call-panel')).toHaveAttribute('data-phase', 'connected');

  // ---- consult again, then complete ----
  await openConsult(agent1, agent2);
  await expect.poll(() => energy(widget, '__veildeskWidgetPeer'), { timeout: 15_000 }).toBeLessThan(TONE_MAX);
  await agent1.getByTestId('consult-complete').click();

  // agent1 is done with it (no wrap-up); agent2 has the call and hears the customer.
  await expect(agent1.getByTestId('call-panel')).toHaveCount(0);
  await expect(agent1.getByTestId('wrapup-disposition')).toHaveCount(0);
  await expect(agent2.getByTestId('call-state')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await expect.poll(() => energy(agent2, '__veildeskCallPeer'), { timeout: 30_000 }).toBeGreaterThan(VOICE);
  await expect(widget.getByTestId('widget-state')).toContainText('Connected');
  await expect.poll(() => energy(widget, '__veildeskWidgetPeer'), { timeout: 30_000 }).toBeGreaterThan(VOICE);

  // agent2 hangs up and owes the wrap-up.
  await agent2.getByTestId('call-hangup').click();
  await expect(widget.getByTestId('widget-state')).toContainText('Ended');
  await expect(agent2.getByTestId('wrapup-disposition')).toBeVisible();
});
