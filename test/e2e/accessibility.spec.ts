import { type Browser, type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { oscillatorMicrophone } from './support/audio';
import { seriousViolations } from './support/axe';
import { submitSignIn } from './support/sign-in';
import { chooseGeneral } from './support/widget';

/**
 * Issue 19: axe-core on every view of the app and the widget, with no serious or critical
 * violation. No rule is turned off. Each view is checked once what it loads has arrived (nothing
 * busy, no "Loading…") and its animations have ended. The views checked, in order:
 *
 * widget (nobody online): leave a message, message left; sign-in; agent: work (empty), history,
 * replies, settings, settings while choosing a key (with a refusal), local data panel; widget: start
 * form, waiting; agent: work with an offer, chat, chat with the transfer chooser, chat with the saved
 * replies list, keyboard shortcuts help, chat wrap-up; widget: chat, ended; agent: history detail;
 * widget: call; agent: call, call wrap-up; supervisor: work, board, training, reports, history;
 * admin: admin, privacy; privacy officer: privacy; a staff member: the privacy notice at sign-in.
 */

// bypassCSP: the app's own CSP refuses the injected axe script (and must keep doing so for real pages).
async function openPage(browser: Browser, path: string, options: { tone?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  if (options.tone) await page.addInitScript(oscillatorMicrophone);
  await page.goto(path);
  return page;
}

async function signedIn(browser: Browser, url: string, username: string): Promise<Page> {
  const page = await openPage(browser, `${url}/`);
  await expect(page.getByTestId('login-server')).toHaveValue(url);
  await submitSignIn(page, username);
  return page;
}

async function goTo(page: Page, view: string): Promise<void> {
  await page.getByTestId(`nav-${view}`).click();
  await expect(page.getByTestId(`nav-${view}`)).toHaveAttribute('aria-current', 'page');
}

test('axe finds no serious or critical violation on any view of the app or the widget', async ({ browser, server }) => {
  test.setTimeout(240_000);
  const found: Record<string, string[]> = {};
  const check = async (view: string, page: Page) => {
    // What the view loads has arrived: a half-loaded view is not the one people use.
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0, { timeout: 15_000 });
    await expect(page.getByText(/^Loading/)).toHaveCount(0, { timeout: 15_000 });
    found[view] = await seriousViolations(page);
  };

  // Nobody is signed in yet: the widget offers to leave a message.
  const leaving = await openPage(browser, `${server.url}/widget/`);
  // Its option reads "General (nobody online)".
  await leaving.getByTestId('widget-queue').selectOption('general');
  await expect(leaving.getByTestId('widget-leave')).toBeVisible();
  await check('widget: leave a message', leaving);
  await leaving.getByTestId('widget-name').fill('Lee Later');
  await leaving.getByTestId('widget-leave-text').fill('Please call me back tomorrow.');
  await leaving.getByTestId('widget-leave-send').click();
  await expect(leaving.getByTestId('widget-leave-confirmation')).toBeVisible();
  await check('widget: message left', leaving);
  await leaving.context().close();

  // Sign-in.
  const login = await openPage(browser, `${server.url}/`);
  await expect(login.getByTestId('login-username')).toBeVisible();
  await check('sign-in', login);
  await login.context().close();

  // The agent: every view of the desk, Settings last (the key remapping below starts there), local data.
  const agent = await signedIn(browser, server.url, 'agent1');
  await expect(agent.getByTestId('work-empty')).toBeVisible();
  await check('agent: work (empty)', agent);
  for (const view of ['history', 'replies', 'evaluations', 'account', 'settings'] as const) {
    await goTo(agent, view);
    await check(`agent: ${view}`, agent);
  }
  const muteRow = agent.locator('[data-testid="shortcut-row"][data-action="mute"]');
  await muteRow.getByTestId('shortcut-edit').click();
  await agent.keyboard.press('Alt+a');
  await expect(muteRow.getByTestId('shortcut-error')).toBeVisible();
  await check('agent: settings while choosing a key', agent);
  await agent.keyboard.press('Escape');
  await goTo(agent, 'work');
  await agent.getByTestId('nav-local-data').click();
  await expect(agent.getByTestId('local-data')).toBeVisible();
  await check('agent: local data panel', agent);
  await agent.getByTestId('nav-local-data').click();

  // A chat, from the offer to the wrap-up.
  const widget = await openPage(browser, `${server.url}/widget/`);
  await expect(widget.getByTestId('widget-chat-start')).toBeEnabled();
  await check('widget: start form', widget);
  await chooseGeneral(widget);
  await widget.getByTestId('widget-name').fill('Avery Axe');
  await widget.getByTestId('widget-chat-start').click();
  await expect(agent.getByTestId('offer')).toContainText('Avery Axe');
  await check('widget: waiting', widget);
  await check('agent: work with an offer', agent);
  await agent.getByTestId('offer-accept').click();
  await expect(widget.getByTestId('widget-state')).toContainText('Connected');
  await widget.getByTestId('widget-chat-input').fill('Hello, is anyone there?');
  await widget.getByTestId('widget-chat-input').press('Enter');
  await expect(agent.getByTestId('chat-text').last()).toHaveText('Hello, is anyone there?');
  await agent.getByTestId('chat-input').fill('Yes, how can I help?');
  await agent.getByTestId('chat-input').press('Enter');
  await expect(widget.getByTestId('widget-message-text').last()).toHaveText('Yes, how can I help?');
  await check('agent: chat', agent);
  await check('widget: chat', widget);
  await agent.getByTestId('chat-transfer').click();
  await check('agent: chat with the transfer chooser', agent);
  await agent.getByTestId('chat-transfer').click();
  await agent.getByTestId('chat-input').fill('/');
  await expect(agent.getByTestId('canned-list')).toBeVisible();
  await check('agent: chat with the saved replies list', agent);
  await agent.getByTestId('chat-input').press('Escape');
  await agent.getByTestId('chat-input').fill('');
  await agent.getByTestId('nav-work').focus();
  await agent.keyboard.press('?');
  await expect(agent.getByTestId('shortcuts-help')).toBeVisible();
  await check('agent: keyboard shortcuts help', agent);
  await agent.keyboard.press('Escape');
  await agent.getByTestId('chat-end').click();
  await expect(agent.getByTestId('wrapup-form')).toBeVisible();
  await check('agent: chat wrap-up', agent);
  await check('widget: ended', widget);
  await agent.getByTestId('wrapup-disposition').selectOption({ index: 1 });
  await agent.getByTestId('wrapup-submit').click();
  await expect(agent.getByTestId('wrapup-form')).toHaveCount(0);
  await widget.context().close();
  await goTo(agent, 'history');
  await agent.getByTestId('history-row').first().click();
  await expect(agent.getByTestId('history-detail')).toBeVisible();
  await check('agent: history detail', agent);
  await goTo(agent, 'work');

  // A call.
  const caller = await openPage(browser, `${server.url}/widget/?testHooks=1`, { tone: true });
  await expect(caller.getByTestId('widget-call-start')).toBeEnabled();
  await chooseGeneral(caller);
  await caller.getByTestId('widget-call-start').click();
  await agent.getByTestId('offer-accept').click();
  await expect(agent.getByTestId('call-state')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await expect(caller.getByTestId('widget-call')).toBeVisible();
  await check('agent: call', agent);
  await check('widget: call', caller);
  await agent.getByTestId('call-hangup').click();
  await expect(agent.getByTestId('wrapup-form')).toBeVisible();
  await check('agent: call wrap-up', agent);
  await agent.getByTestId('wrapup-disposition').selectOption({ index: 1 });
  await agent.getByTestId('wrapup-submit').click();
  await expect(agent.getByTestId('wrapup-form')).toHaveCount(0);
  await caller.context().close();
  await agent.context().close();

  // The supervisor.
  const supervisor = await signedIn(browser, server.url, 'super1');
  await check('supervisor: work', supervisor);
  for (const view of ['board', 'training', 'reports', 'history', 'evaluations'] as const) {
    await goTo(supervisor, view);
    await check(`supervisor: ${view}`, supervisor);
  }
  await supervisor.context().close();

  // The admin and the privacy officer.
  const admin = await signedIn(browser, server.url, 'admin');
  for (const view of ['admin', 'evaluations', 'privacy'] as const) {
    await goTo(admin, view);
    await check(`admin: ${view}`, admin);
  }
  const privacy = await signedIn(browser, server.url, 'privacy1');
  await check('privacy officer: privacy', privacy);
  await privacy.context().close();

  // A material privacy notice: staff see it at sign-in before anything else.
  await goTo(admin, 'admin');
  const policy = admin.getByTestId('admin-policy');
  await policy.getByTestId('policy-text').fill('From today we keep chat transcripts for 30 days.');
  await policy.getByTestId('policy-publish').click();
  await expect(policy.getByTestId('policy-publish-status')).toContainText('Published version 1');
  await admin.context().close();
  const staff = await openPage(browser, `${server.url}/`);
  await expect(staff.getByTestId('login-server')).toHaveValue(server.url);
  await staff.getByTestId('login-username').fill('super2');
  await staff.getByTestId('login-password').fill('demo');
  await staff.getByTestId('login-submit').click();
  await expect(staff.getByTestId('policy-notice')).toBeVisible({ timeout: 15_000 });
  await check('staff: privacy notice at sign-in', staff);
  await staff.context().close();

  console.log(`[axe] ${Object.keys(found).length} views checked: ${Object.keys(found).join('; ')}`);
  expect(Object.entries(found).filter(([, v]) => v.length > 0)).toEqual([]);
});
