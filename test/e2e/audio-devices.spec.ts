import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { receivedAudio } from './support/audio';
import { deviceFaker } from './support/device-faker';
import { submitSignIn } from './support/sign-in';
import { openWidget, startWidgetCall } from './support/widget';

/**
 * Issue 19, Settings → Audio: the call uses the microphone and speaker the agent chose (Chromium's
 * fake devices); unplugged mid-call (support/device-faker.ts), both fall back to the default, the
 * agent is told, and the customer still hears the agent.
 */

/** The first device of a picker that is not "System default", preferring a label that matches. */
async function pick(page: Page, testId: string, label: RegExp): Promise<string> {
  const select = page.getByTestId(testId);
  await expect(select.locator('option')).not.toHaveCount(1);
  const options = await select.locator('option').evaluateAll((els) => els.map((el) => ({ value: (el as HTMLOptionElement).value, label: el.textContent ?? '' })));
  const chosen = options.find((o) => o.value && label.test(o.label)) ?? options.find((o) => o.value !== '');
  expect(chosen, JSON.stringify(options)).toBeDefined();
  await select.selectOption(chosen!.value);
  return chosen!.value;
}

const sinkOfCallAudio = (page: Page) => page.getByTestId('call-audio').evaluate((el) => (el as HTMLMediaElement & { sinkId: string }).sinkId);

test('the chosen microphone and speaker carry the call, and fall back to the default with a notice when unplugged', async ({ browser, server }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext();
  try {
    const agent = await context.newPage();
    await agent.addInitScript(deviceFaker);
    await agent.goto(`${server.url}/`);
    await submitSignIn(agent, 'agent1');

    await agent.getByTestId('nav-settings').click();
    const mic = await pick(agent, 'settings-audio-mic', /Input 1/);
    const speaker = await pick(agent, 'settings-audio-speaker', /Output 2/);
    // Remembered on this machine: a reload shows the same choice.
    await agent.reload();
    await agent.getByTestId('nav-settings').click();
    await expect(agent.getByTestId('settings-audio-mic')).toHaveValue(mic);
    await expect(agent.getByTestId('settings-audio-speaker')).toHaveValue(speaker);
    await agent.getByTestId('nav-work').click();

    const widget = await openWidget(browser, server.url, { tone: true, ready: 'widget-call-start' });
    await startWidgetCall(widget);
    await agent.getByTestId('offer-accept').click();
    await expect(agent.getByTestId('call-state')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
    expect(await agent.evaluate(() => (window as unknown as { __micRequests: string[] }).__micRequests)).toContain(JSON.stringify({ deviceId: { exact: mic } }));
    await expect.poll(() => sinkOfCallAudio(agent)).toBe(speaker);
    await expect.poll(async () => (await receivedAudio(widget, '__veildeskWidgetPeer')).bytes, { timeout: 20_000 }).toBeGreaterThan(0);

    // The headset is pulled out mid-call.
    await agent.evaluate(({ m, s }) => {
      const w = window as unknown as { __unplug: (id: string) => void };
      w.__unplug(m);
      w.__unplug(s);
    }, { m: mic, s: speaker });
    await expect(agent.getByTestId('device-fallback-notice')).toContainText(/using the system default/);
    await expect.poll(() => sinkOfCallAudio(agent)).toBe('');
    await expect.poll(() => agent.evaluate(() => (window as unknown as { __micRequests: string[] }).__micRequests.at(-1))).toBe('true');
    // The call goes on: the customer keeps receiving the agent's audio.
    await expect(agent.getByTestId('call-state')).toHaveAttribute('data-state', 'connected');
    const before = await receivedAudio(widget, '__veildeskWidgetPeer');
    expect(before.bytes).toBeGreaterThan(0);
    await widget.context().close();
  } finally {
    await context.close();
  }
});
