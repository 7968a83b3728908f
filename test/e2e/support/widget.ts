import { expect, type Browser, type Page } from '@playwright/test';
import { oscillatorMicrophone, receivedAudio } from './audio';

export interface WidgetOptions {
  /** The customer's microphone is a 440 Hz oscillator (support/audio.ts); implies the test hooks. */
  tone?: boolean;
  /** The button to wait for before the page counts as ready. */
  ready: 'widget-chat-start' | 'widget-call-start';
}

/** The customer's page: the widget in a fresh browser context, ready to start. */
export async function openWidget(browser: Browser, url: string, options: WidgetOptions): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (options.tone) await page.addInitScript(oscillatorMicrophone);
  await page.goto(`${url}/widget/${options.tone ? '?testHooks=1' : ''}`);
  await expect(page.getByTestId(options.ready)).toBeEnabled();
  return page;
}

/** Picks the General queue when the widget offers a choice (the demo org has several queues). */
export async function chooseGeneral(widget: Page): Promise<void> {
  const select = widget.getByTestId('widget-queue');
  if (await select.count()) await select.selectOption({ label: 'General' });
}

/** The customer starts a chat under `name` in the General queue. */
export async function startWidgetChat(widget: Page, name: string): Promise<void> {
  await chooseGeneral(widget);
  await widget.getByTestId('widget-name').fill(name);
  await widget.getByTestId('widget-chat-start').click();
}

/** The customer starts a call in the General queue. */
export async function startWidgetCall(widget: Page): Promise<void> {
  await chooseGeneral(widget);
  await widget.getByTestId('widget-call-start').click();
}

/** A customer opens the widget and starts a chat as `name`; `agent` accepts the offer; resolves with the widget once connected. */
export async function takeWidgetChat(browser: Browser, url: string, agent: Page, name: string): Promise<Page> {
  const widget = await openWidget(browser, url, { ready: 'widget-chat-start' });
  await startWidgetChat(widget, name);
  await expect(agent.getByTestId('offer')).toContainText(name);
  await agent.getByTestId('offer-accept').click();
  await expect(widget.getByTestId('widget-state')).toContainText('Connected');
  return widget;
}

/**
 * The customer (a 440 Hz microphone) calls from the widget; `agent` answers; resolves with the
 * widget and the call's id once the customer's audio reaches the agent.
 */
export async function takeWidgetCall(browser: Browser, url: string, agent: Page): Promise<{ widget: Page; interactionId: string }> {
  const widget = await openWidget(browser, url, { tone: true, ready: 'widget-call-start' });
  await startWidgetCall(widget);
  await agent.getByTestId('offer-accept').click();
  await expect(agent.getByTestId('call-state')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await expect.poll(async () => (await receivedAudio(agent, '__veildeskCallPeer')).energy, { timeout: 20_000 }).toBeGreaterThan(0.01);
  return { widget, interactionId: (await agent.getByTestId('call-panel').getAttribute('data-interaction-id'))! };
}

/** The customer calls from the widget; `agent` answers; resolves with the call's id once the customer's audio reaches the agent. */
export async function answerWidgetCall(browser: Browser, url: string, agent: Page): Promise<string> {
  return (await takeWidgetCall(browser, url, agent)).interactionId;
}
