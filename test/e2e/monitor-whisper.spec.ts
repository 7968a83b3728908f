import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { apiToken } from './support/api';
import { heardBy, heardByMonitor, hears, SILENT_RMS, type HeardWindow } from './support/monitor-audio';
import { listenFromBoard, useTone } from './support/monitor-call';
import { noMediasoupWorker } from './support/sfu';
import { signInWithTone } from './support/sign-in';
import { takeWidgetCall } from './support/widget';

const CUSTOMER_HZ = 440;
const AGENT_HZ = 660;
// Not a harmonic or sum/difference of the other two (880, 1100, 220 are): Opus and mixing put faint ones there.
const SUPERVISOR_HZ = 1000;
const TONES = [CUSTOMER_HZ, AGENT_HZ, SUPERVISOR_HZ] as const;

/** What the agent receives of the supervisor (played by the call panel's notice). */
const AGENT_VOICE = '[data-testid="monitor-voice-audio"]';
/** What the customer's widget receives of the call. */
const CUSTOMER_IN = '[data-testid="widget-remote-audio"]';

const loudest = (w: HeardWindow) => Math.max(...TONES.map((hz) => w.tones[hz] ?? 0));
/** dB of a tone below the loudest of the three in the window. */
const relDb = (w: HeardWindow, hz: number) => 20 * Math.log10(Math.max(w.tones[hz] ?? 0, 1e-12) / Math.max(loudest(w), 1e-12));
/**
 * A tone the stream carries: heard (above the window's noise floor) and within 40 dB of the loudest
 * tone. Pure tones through Opus leave faint products 60-75 dB down at every frequency measured (the
 * noise floor of a clean tone is tiny), so "above the floor" alone would find the absent tone too.
 */
const carries = (w: HeardWindow, hz: number) => hears(w, hz) && relDb(w, hz) > -40;
const describe = (w: HeardWindow) => `rms ${w.rms.toFixed(4)}, ${TONES.map((hz) => `${hz} Hz ${relDb(w, hz).toFixed(0)} dB`).join(', ')}`;

/** Polls `page`'s element until `want` holds for what it hears; returns that window. */
async function waitHeard(page: Page, selector: string, want: (w: HeardWindow) => boolean, timeout = 20_000): Promise<HeardWindow> {
  let last: HeardWindow | undefined;
  await expect
    .poll(
      async () => {
        last = await heardBy(page, selector, TONES);
        return want(last);
      },
      { timeout, intervals: [100] },
    )
    .toBe(true);
  return last!;
}

/** Secure pause on, in the current mode: the supervisor's inbound audio goes silent and stays so; then resume brings the call back. */
async function pauseSilencesSupervisor(agent: Page, supervisor: Page, mode: string): Promise<number> {
  const status = supervisor.getByTestId('monitor-status');
  const pause = agent.getByTestId('secure-pause');
  await pause.click();
  await expect(pause).toHaveAttribute('aria-pressed', 'true');
  await expect(status).toHaveAttribute('data-status', 'paused');
  await expect(status).toHaveAttribute('data-mode', mode);
  // Audio already in the jitter buffer drains first; then it stays silent.
  await expect.poll(async () => (await heardByMonitor(supervisor, TONES)).rms, { timeout: 10_000, intervals: [100] }).toBeLessThan(SILENT_RMS);
  let loudest = 0;
  for (let i = 0; i < 3; i += 1) {
    const w = await heardByMonitor(supervisor, TONES);
    expect(w.rms, `${mode}, paused: ${describe(w)}`).toBeLessThan(SILENT_RMS);
    expect(TONES.some((hz) => hears(w, hz)), `${mode}, paused: ${describe(w)}`).toBe(false);
    loudest = Math.max(loudest, w.rms);
  }
  await pause.click();
  await expect(pause).toHaveAttribute('aria-pressed', 'false');
  await expect(status).toHaveAttribute('data-status', 'live');
  await expect.poll(async () => hears(await heardByMonitor(supervisor, TONES), CUSTOMER_HZ), { timeout: 15_000, intervals: [100] }).toBe(true);
  return loudest;
}

test(
  'whisper and barge over the SFU: whisper reaches agent1 only, barge the customer too, the notice names super1 and the mode, each switch audited; secure pause silences the call for super1 in every mode',
  { tag: '@sfu' },
  async ({ browser, server }) => {
    const missing = noMediasoupWorker();
    test.skip(missing !== null, `no usable mediasoup worker on this machine, so there is no SFU to whisper through: ${missing}`);
    // Two signed-in apps, a widget and the SFU on a 2-core machine shared with other work (about 1 min idle, 4 at load 40).
    test.setTimeout(420_000);

    // The customer (440 Hz) calls; agent1 (660 Hz) answers a recorded call.
    const agent = await signInWithTone(browser, server.url, 'agent1');
    await useTone(agent, AGENT_HZ);
    const { widget, interactionId } = await takeWidgetCall(browser, server.url, agent);
    await expect(agent.getByTestId('recording-indicator')).toHaveAttribute('data-paused', 'false');

    // super1 (1000 Hz microphone) listens.
    const supervisor = await signInWithTone(browser, server.url, 'super1');
    await useTone(supervisor, SUPERVISOR_HZ);
    const status = await listenFromBoard(supervisor);
    await expect(status).toHaveAttribute('data-mode', 'listen');
    const notice = agent.getByTestId('monitor-notice');
    await expect(notice).toHaveText(/super1 is listening/);
    await expect.poll(async () => carries(await heardByMonitor(supervisor, TONES), CUSTOMER_HZ), { timeout: 20_000, intervals: [100] }).toBe(true);
    // Listening: nothing of the supervisor reaches either side.
    await expect(agent.locator(AGENT_VOICE)).toHaveCount(0);
    const before = await waitHeard(widget, CUSTOMER_IN, (w) => carries(w, AGENT_HZ));
    expect(carries(before, SUPERVISOR_HZ), `customer, listen: ${describe(before)}`).toBe(false);

    // Whisper: agent1 hears super1; the customer does not.
    await supervisor.getByTestId('monitor-mode-whisper').click();
    await expect(status).toHaveAttribute('data-mode', 'whisper');
    await expect(supervisor.getByTestId('monitor-mode-whisper')).toHaveAttribute('aria-pressed', 'true');
    await expect(notice).toHaveAttribute('data-mode', 'whisper');
    await expect(notice).toContainText('super1 is whispering to you (the customer cannot hear)');
    const agentWhisper = await waitHeard(agent, AGENT_VOICE, (w) => carries(w, SUPERVISOR_HZ));
    const customerWhisper: HeardWindow[] = [];
    for (let i = 0; i < 3; i += 1) customerWhisper.push(await heardBy(widget, CUSTOMER_IN, TONES));
    for (const w of customerWhisper) {
      expect(carries(w, AGENT_HZ), `customer, whisper: ${describe(w)}`).toBe(true);
      expect(carries(w, SUPERVISOR_HZ), `customer, whisper: ${describe(w)}`).toBe(false);
    }
    // super1 still hears the call, not themselves.
    const supWhisper = await heardByMonitor(supervisor, TONES);
    expect(carries(supWhisper, CUSTOMER_HZ), `supervisor, whisper: ${describe(supWhisper)}`).toBe(true);

    // Barge: the customer hears super1 too, with agent1; agent1 still hears super1.
    await supervisor.getByTestId('monitor-mode-barge').click();
    await expect(status).toHaveAttribute('data-mode', 'barge');
    await expect(notice).toHaveAttribute('data-mode', 'barge');
    await expect(notice).toContainText('super1 has joined the call (barge): the customer hears them too');
    const customerBarge = await waitHeard(widget, CUSTOMER_IN, (w) => carries(w, SUPERVISOR_HZ) && carries(w, AGENT_HZ));
    const agentBarge = await waitHeard(agent, AGENT_VOICE, (w) => carries(w, SUPERVISOR_HZ));

    // Secure pause in every mode: nothing of the call reaches super1.
    const pausedRms: Record<string, number> = {};
    pausedRms.barge = await pauseSilencesSupervisor(agent, supervisor, 'barge');
    await supervisor.getByTestId('monitor-mode-whisper').click();
    await expect(status).toHaveAttribute('data-mode', 'whisper');
    pausedRms.whisper = await pauseSilencesSupervisor(agent, supervisor, 'whisper');
    // Back from barge to whisper: the customer no longer hears super1.
    await waitHeard(widget, CUSTOMER_IN, (w) => carries(w, AGENT_HZ) && !carries(w, SUPERVISOR_HZ));
    await supervisor.getByTestId('monitor-mode-listen').click();
    await expect(status).toHaveAttribute('data-mode', 'listen');
    await expect(notice).toHaveAttribute('data-mode', 'listen');
    await expect(notice).toHaveText(/super1 is listening/);
    await expect(agent.locator(AGENT_VOICE)).toHaveCount(0);
    pausedRms.listen = await pauseSilencesSupervisor(agent, supervisor, 'listen');

    console.log(
      `[monitor-whisper] agent hears in whisper: ${describe(agentWhisper)}; customer in whisper (1000 Hz at most ${Math.max(...customerWhisper.map((w) => relDb(w, SUPERVISOR_HZ))).toFixed(0)} dB below the loudest); ` +
        `customer in barge: ${describe(customerBarge)}; agent in barge: ${describe(agentBarge)}; supervisor paused rms max: ${Object.entries(pausedRms)
          .map(([m, r]) => `${m} ${r.toFixed(5)}`)
          .join(', ')}`,
    );

    // Each switch audited, ids only.
    const adminToken = await apiToken(server.url, 'admin');
    const entries = async () =>
      ((await (await fetch(`${server.url}/api/audit?action=monitoring.mode_changed`, { headers: { authorization: `Bearer ${adminToken}` } })).json()) as { entries: { actorName: string; target: string; details: Record<string, unknown> }[] }).entries;
    const changes = (await entries()).filter((e) => e.target === interactionId);
    expect(changes.map((e) => [e.actorName, e.details.from, e.details.to])).toEqual([
      ['super1', 'listen', 'whisper'],
      ['super1', 'whisper', 'barge'],
      ['super1', 'barge', 'whisper'],
      ['super1', 'whisper', 'listen'],
    ]);
  },
);
