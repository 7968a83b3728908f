import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, type Browser, type Page } from '@playwright/test';
import { findWorkerBinary } from '../../../server/modules/media/worker-binary';
import { oscillatorMicrophone, receivedAudio } from './audio';

/** Why this machine cannot run the SFU (no usable mediasoup worker), or null when it can. */
export function noMediasoupWorker(): string | null {
  let dir: string;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve('mediasoup/package.json'));
  } catch {
    return 'the mediasoup package is not installed';
  }
  const found = findWorkerBinary(dir);
  return 'reason' in found ? found.reason : null;
}

/** A signed-in app page (test hooks on, an oscillator for a microphone). */
export async function signInWithTone(browser: Browser, url: string, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.addInitScript(oscillatorMicrophone);
  await page.goto(`${url}/?testHooks=1`);
  await expect(page.getByTestId('login-server')).toHaveValue(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill('demo');
  await page.getByTestId('login-submit').click();
  // scrypt on a loaded 2-core machine takes seconds.
  await expect(page.getByTestId('signout')).toBeVisible({ timeout: 15_000 });
  return page;
}

/** The customer calls from the widget; `agent` answers; resolves with the call's id once the customer's audio reaches the agent. */
export async function answerWidgetCall(browser: Browser, url: string, agent: Page): Promise<string> {
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

/** RTP packets the agent's monitoring producer has sent so far (outbound-rtp), or null before it exists. */
export async function monitorPacketsSent(agent: Page): Promise<number | null> {
  return agent.evaluate(async () => {
    const report = await window.__veildeskMonitorProducerStats?.();
    let sent: number | null = null;
    report?.forEach((s: { type: string; packetsSent?: number }) => {
      if (s.type === 'outbound-rtp' && typeof s.packetsSent === 'number') sent = (sent ?? 0) + s.packetsSent;
    });
    return sent;
  });
}

/** Signs in over HTTP and returns a GET helper with that session (for audit and policy checks). */
export async function apiSession(url: string, username: string): Promise<(route: string) => Promise<unknown>> {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
  const { token } = (await login.json()) as { token: string };
  return async (route) => (await fetch(`${url}${route}`, { headers: { authorization: `Bearer ${token}` } })).json();
}
