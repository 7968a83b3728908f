import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { apiSession } from './support/api';
import { heardBy, toneJudge, waitHeardBy, type HeardWindow } from './support/monitor-audio';
import { listenFromBoard, useTone } from './support/monitor-call';
import { noMediasoupWorker } from './support/sfu';
import { signInAs, signInWithTone } from './support/sign-in';
import { takeWidgetCall } from './support/widget';

const AGENT_HZ = 660;
const SUPERVISOR_HZ = 1000;
const TONES = [440, AGENT_HZ, SUPERVISOR_HZ] as const;
// All the tones play at one level: within 20 dB of the loudest is a voice heard, not a glitch's splatter (support/monitor-audio.ts).
const { carries, describe } = toneJudge(TONES, -20);
/** What the customer's widget receives of the call. */
const CUSTOMER_IN = '[data-testid="widget-remote-audio"]';

type HoldWindow = { __holdMonitorState?: boolean; __heldMonitorState?: { deliver(): void; data: string }[] };

/**
 * Init script: while `window.__holdMonitorState` is set, the app's socket keeps monitor.state
 * frames back (in `__heldMonitorState`) instead of handing them on; `deliver()` hands one on.
 */
function holdableMonitorState(): void {
  const proto = WebSocket.prototype;
  const desc = Object.getOwnPropertyDescriptor(proto, 'onmessage')!;
  Object.defineProperty(proto, 'onmessage', {
    configurable: true,
    get() {
      return desc.get!.call(this) as unknown;
    },
    set(handler: ((event: MessageEvent) => void) | null) {
      const w = window as unknown as HoldWindow;
      desc.set!.call(
        this,
        handler &&
          function (this: WebSocket, event: MessageEvent) {
            if (w.__holdMonitorState && typeof event.data === 'string' && event.data.includes('"type":"monitor.state"')) {
              (w.__heldMonitorState ??= []).push({ data: event.data, deliver: () => handler.call(this, event) });
              return;
            }
            handler.call(this, event);
          },
      );
    },
  });
}

type AuditEntries = { entries: { actorName: string | null; target: string; details: Record<string, unknown> }[] };

/** The admin's Admin → monitoring policy: ticks or unticks "supervisors may barge" and saves. */
async function setSupervisorBarge(admin: Page, on: boolean): Promise<void> {
  const form = admin.getByTestId('monitoring-policy');
  const box = form.getByTestId('monitoring-policy-barge-supervisor');
  await box.setChecked(on);
  await form.getByTestId('monitoring-policy-save').click();
  await expect(form.getByTestId('monitoring-policy-status')).toContainText('Saved');
  await expect(box).toBeChecked({ checked: on });
}

test(
  "admin unticks barge for supervisors in the app: super1 barging goes back to listening at once (the customer stops hearing them), the Barge button goes, a click still in flight is refused by the server with the policy's words; all audited",
  { tag: '@sfu' },
  async ({ browser, server }) => {
    const missing = noMediasoupWorker();
    test.skip(missing !== null, `no usable mediasoup worker on this machine, so there is no SFU to barge through: ${missing}`);
    // Three signed-in apps, a widget and the SFU on a 2-core machine shared with other work.
    test.setTimeout(300_000);

    // The admin's policy screen, as shipped: supervisors may whisper and barge.
    const admin = (await signInAs(browser, server.url, 'admin')).page;
    await admin.getByTestId('nav-admin').click();
    await expect(admin.getByTestId('monitoring-policy-barge-supervisor')).toBeChecked();
    await expect(admin.getByTestId('monitoring-policy-whisper-supervisor')).toBeChecked();

    // The customer calls; agent1 (660 Hz) answers.
    const agent = await signInWithTone(browser, server.url, 'agent1');
    await useTone(agent, AGENT_HZ);
    const { widget, interactionId } = await takeWidgetCall(browser, server.url, agent);

    // super1 (1000 Hz): their app's connection can hold back the server's monitor.state frames
    // (in the page, as a slow link would), so a click can race a policy change.
    const super1 = await signInAs(browser, server.url, 'super1', { testHooks: true, tone: true, beforeLoad: async (context) => void (await context.addInitScript(holdableMonitorState)) });
    const supervisor = super1.page;
    await useTone(supervisor, SUPERVISOR_HZ);
    const status = await listenFromBoard(supervisor);
    const bargeButton = supervisor.getByTestId('monitor-mode-barge');
    const notice = agent.getByTestId('monitor-notice');

    // super1 barges: the customer hears them.
    await bargeButton.click();
    await expect(status).toHaveAttribute('data-mode', 'barge');
    await expect(notice).toHaveAttribute('data-mode', 'barge');
    const barging = await waitHeardBy(widget, CUSTOMER_IN, TONES, (w) => carries(w, SUPERVISOR_HZ) && carries(w, AGENT_HZ));

    // The admin unticks barge for supervisors: super1 is back to listening at once, no Barge button
    // (whisper stays), agent1 told, and the customer no longer hears super1.
    await setSupervisorBarge(admin, false);
    await expect(status).toHaveAttribute('data-mode', 'listen');
    await expect(bargeButton).toHaveCount(0);
    await expect(supervisor.getByTestId('monitor-mode-whisper')).toBeVisible();
    await expect(status).toHaveAttribute('data-status', 'live');
    await expect(notice).toHaveAttribute('data-mode', 'listen');
    await expect(notice).toHaveText(/super1 is listening/);
    await waitHeardBy(widget, CUSTOMER_IN, TONES, (w) => carries(w, AGENT_HZ) && !carries(w, SUPERVISOR_HZ));
    const after: HeardWindow[] = [];
    for (let i = 0; i < 3; i += 1) after.push(await heardBy(widget, CUSTOMER_IN, TONES));
    for (const w of after) expect(carries(w, SUPERVISOR_HZ), `customer, after the policy change: ${describe(w)}`).toBe(false);

    // Barge allowed again: the button is back.
    await setSupervisorBarge(admin, true);
    await expect(bargeButton).toBeVisible();

    // Unticked again while super1's link is slow: their app still shows Barge when they click it.
    await supervisor.evaluate(() => void ((window as unknown as HoldWindow).__holdMonitorState = true));
    await setSupervisorBarge(admin, false);
    await expect
      .poll(() => supervisor.evaluate((id) => ((window as unknown as HoldWindow).__heldMonitorState ?? []).some((f) => f.data.includes(id)), interactionId), { timeout: 10_000 })
      .toBe(true);
    await expect(bargeButton).toBeVisible();
    await bargeButton.click();
    // The server refuses it in words the supervisor can act on; nothing changes on the call.
    await expect(supervisor.getByTestId('notice').filter({ hasText: "The org's monitoring policy does not let supervisors barge into calls. An admin can change it." })).toBeVisible();
    await expect(status).toHaveAttribute('data-mode', 'listen');
    await expect(notice).toHaveAttribute('data-mode', 'listen');
    // The held frames arrive: the button goes.
    await supervisor.evaluate(() => {
      const w = window as unknown as HoldWindow;
      w.__holdMonitorState = false;
      for (const f of (w.__heldMonitorState ?? []).splice(0)) f.deliver();
    });
    await expect(bargeButton).toHaveCount(0);
    const refusedWindow = await heardBy(widget, CUSTOMER_IN, TONES);
    expect(carries(refusedWindow, SUPERVISOR_HZ), `customer, after the refused barge: ${describe(refusedWindow)}`).toBe(false);

    console.log(`[monitor-policy-modes] customer while barging: ${describe(barging)}; after the policy change: ${after.map(describe).join(' | ')}`);

    // Audited: the policy changes with before and after, the forced switch back with the reason, the refusal.
    const asAdmin = await apiSession(server.url, 'admin');
    const policyChanges = ((await asAdmin('/api/audit?action=monitoring.policy_changed')) as AuditEntries).entries;
    expect(policyChanges.map((e) => [e.actorName, (e.details.before as { bargeRoles: string[] }).bargeRoles, (e.details.after as { bargeRoles: string[] }).bargeRoles])).toEqual(
      expect.arrayContaining([
        ['admin', ['supervisor', 'admin'], ['admin']],
        ['admin', ['admin'], ['supervisor', 'admin']],
      ]),
    );
    expect(policyChanges).toHaveLength(3);
    const modeChanges = ((await asAdmin('/api/audit?action=monitoring.mode_changed')) as AuditEntries).entries.filter((e) => e.target === interactionId);
    expect(modeChanges.map((e) => [e.actorName, e.details.from, e.details.to, e.details.reason ?? null])).toEqual([
      ['super1', 'listen', 'barge', null],
      [null, 'barge', 'listen', 'policy'],
    ]);
    const refusals = ((await asAdmin('/api/audit?action=monitoring.refused')) as AuditEntries).entries.filter((e) => e.target === interactionId);
    expect(refusals.map((e) => [e.actorName, e.details.mode, e.details.reason])).toEqual([['super1', 'barge', 'policy']]);
  },
);
