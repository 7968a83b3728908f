import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { readTones } from '../support/fft';
import { expect, test } from './fixtures';
import { AGENT_HZ, CALL_PAGE, CUSTOMER_CALL, CUSTOMER_HZ, PAUSE_HZ, RATE, type ToneWindow, analyse, connectCall, decode, finishedRecording, hangUp, recorderStartedAt } from './support/recording';
import { signInAs } from './support/sign-in';
import { openWidget } from './support/widget';

/**
 * Issue 22: secure pause takes effect within one audio frame, also for the agent's own microphone
 * and under load. One call, paused and resumed RUNS times while a burner keeps one core busy; at
 * each pause both microphones turn to 3 kHz (the agent's in the same task as the click, the
 * customer's in the test's next step), and back just before each resume (the agent's in the same
 * task as the resume click, the customer's CUSTOMER_BACK_BEFORE_RESUME_MS before). Every 3 kHz in the stored file is audio kept from a paused part.
 */

const RUNS = 20;
/** Recorded before the first pause and between pauses. */
const RECORDED_MS = 1500;
const PAUSED_MS = 1000;
/** The customer's tone goes back this long before the resume: their 3 kHz still on the network drains first. */
const CUSTOMER_BACK_BEFORE_RESUME_MS = 400;
/** The promise: at most one Opus frame of a paused part reaches the file. */
const MAX_LEAK_MS = 20;
/** 3 kHz farther than this from every pause (s of the file) would be a leak the pause positions cannot explain. */
const NEAR_PAUSE_S = 0.7;

/** One pause and resume, on the pages' shared clock (epoch ms). */
interface Run {
  pausedAt: number;
  resumedAt: number;
  /** When the customer's tone turned to 3 kHz, after the click. */
  customerOnAfterClick: number;
  /** The button showed the pause by the next animation frame after the click, and the resume likewise. */
  shownNextFrame: boolean;
}

/**
 * In the agent's page at instant `at`, in one task: the secure-pause click and the agent's
 * microphone turned to `hz`. Pausing, the tone turns right after the click; resuming, right before
 * it. (The other way round, the OS preempting the page's main thread between the two statements, as
 * it does on a loaded machine, would let the agent "speak" before the click was handled.) Resolves
 * with the click's time and whether the next animation frame shows the new state.
 */
async function clickSecurePause(page: Page, hz: number, at: number, action: 'pause' | 'resume'): Promise<{ at: number; shownNextFrame: boolean }> {
  return page.evaluate(
    async ({ f, t, pausing }) => {
      await new Promise((r) => setTimeout(r, t - Date.now()));
      const button = () => document.querySelector('[data-testid="secure-pause"]') as HTMLButtonElement;
      const setTone = (window as unknown as ToneWindow).__setToneHz;
      if (!pausing) setTone(f);
      button().click();
      if (pausing) setTone(f);
      const clickedAt = Date.now();
      await new Promise((r) => requestAnimationFrame(r));
      return { at: clickedAt, shownNextFrame: button().getAttribute('aria-pressed') === String(pausing) };
    },
    { f: hz, t: at, pausing: action === 'pause' },
  );
}

/** Sets a page's microphone tone at instant `at` (at once when past); resolves with when it did. */
async function toneAt(page: Page, hz: number, at: number): Promise<number> {
  return page.evaluate(
    async ({ f, t }) => {
      await new Promise((r) => setTimeout(r, t - Date.now()));
      (window as unknown as ToneWindow).__setToneHz(f);
      return Date.now();
    },
    { f: hz, t: at },
  );
}

/** A burner: one Node process spinning on one core for the whole test. */
function burnOneCore(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

/** 3 kHz in the 16 ms window at `at` s stands above 2.5 and 3.5 kHz by this much for a tone. */
const NARROW_OVER_NEIGHBOURS = 4;

function isNarrowTone(samples: Float64Array, at: number): boolean {
  const start = Math.round(at * RATE);
  const r = readTones(samples.subarray(start, start + 256), RATE, [2500, PAUSE_HZ, 3500], 100);
  return r.tones[PAUSE_HZ]! > NARROW_OVER_NEIGHBOURS * Math.max(r.tones[2500]!, r.tones[3500]!);
}

function partition<T>(items: T[], keep: (item: T) => boolean): [T[], T[]] {
  return [items.filter(keep), items.filter((item) => !keep(item))];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

test('secure pause latency: at most one audio frame of either microphone after the click, 20 pauses in a row with one core busy', async ({ browser, server }) => {
  test.setTimeout(180_000);
  const burner = burnOneCore();
  try {
    const agent = await signInAs(browser, server.url, 'agent1', CALL_PAGE);
    const widget = await openWidget(browser, server.url, CUSTOMER_CALL);
    const { interactionId } = await connectCall(agent.page, widget);
    const recorderAt = await recorderStartedAt(agent.page);
    await expect(agent.page.getByTestId('secure-pause')).toHaveAttribute('aria-pressed', 'false');

    // Run by run: the agent's tone and click in one task; the customer's tone from the click's next
    // step (no earlier: a click handled late on a loaded machine is not what this measures), back
    // to 440 Hz before the resume, and the resume only once that has had time to drain.
    const runs: Run[] = [];
    let pauseAt = Date.now() + RECORDED_MS;
    for (let i = 0; i < RUNS; i += 1) {
      const pause = await clickSecurePause(agent.page, PAUSE_HZ, pauseAt, 'pause');
      const customerOn = await toneAt(widget, PAUSE_HZ, 0);
      const customerOff = await toneAt(widget, CUSTOMER_HZ, pause.at + PAUSED_MS - CUSTOMER_BACK_BEFORE_RESUME_MS);
      const resume = await clickSecurePause(agent.page, AGENT_HZ, Math.max(pause.at + PAUSED_MS, customerOff + CUSTOMER_BACK_BEFORE_RESUME_MS), 'resume');
      runs.push({ pausedAt: pause.at, resumedAt: resume.at, customerOnAfterClick: customerOn - pause.at, shownNextFrame: pause.shownNextFrame && resume.shownNextFrame });
      pauseAt = resume.at + RECORDED_MS;
    }
    await expect(agent.page.getByTestId('secure-pause')).toHaveAttribute('aria-pressed', 'false');
    await agent.page.waitForTimeout(RECORDED_MS); // recorded after the last resume
    await hangUp(agent.page);

    const { meta, file } = await finishedRecording(server.url, server.dataDir, interactionId);
    const samples = decode(file);
    const a = analyse(samples);
    // Kept with the test's results for a second look.
    fs.copyFileSync(file, test.info().outputPath('recording.webm'));
    // A 3 kHz window of the analysis is a tone (what the pause must keep out) when 3 kHz stands well
    // above 2.5 and 3.5 kHz. Others are reported apart: a glitch of a starved audio thread spreads
    // over the whole band, and where Opus left the band empty (noise floor near 0) a trace of 3 kHz
    // 70 dB under the call's tones passes the analysis's 10× floor.
    const [toneAt3000, notTone] = partition(a.at3000, (t) => isNarrowTone(samples, t));
    const lags = runs.map((run) => run.customerOnAfterClick);
    // Where each pause sits in the file: the paused parts are not in it.
    let pausedBefore = 0;
    const boundaries = runs.map((run) => {
      const at = (run.pausedAt - recorderAt - pausedBefore) / 1000;
      pausedBefore += run.resumedAt - run.pausedAt;
      return at;
    });
    const windowMs = 16;
    const leakMs = boundaries.map(() => 0);
    /** Each 3 kHz window by run, in ms from the pause's place in the file: before it the pause was late, after it the resume let old audio in. */
    const offsets: string[] = [];
    const stray: number[] = [];
    for (const t of toneAt3000) {
      let nearest = 0;
      for (let i = 1; i < boundaries.length; i += 1) if (Math.abs(boundaries[i]! - t) < Math.abs(boundaries[nearest]! - t)) nearest = i;
      if (Math.abs(boundaries[nearest]! - t) > NEAR_PAUSE_S) stray.push(t);
      else {
        leakMs[nearest] = leakMs[nearest]! + windowMs;
        offsets.push(`#${nearest + 1} ${Math.round((t - boundaries[nearest]!) * 1000)} ms`);
      }
    }
    console.log(
      `[secure-pause-latency] ${RUNS} pauses, one core burnt; 3 kHz per pause (ms, 16 ms windows): min ${Math.min(...leakMs)}, median ${median(leakMs)}, max ${Math.max(...leakMs)}; ` +
        `per run ${JSON.stringify(leakMs)}${offsets.length ? ` (${offsets.join('; ')})` : ''}${stray.length ? `; away from any pause at ${JSON.stringify(stray)} s` : ''}; ` +
        `3 kHz windows that are no tone (not counted) at: ${notTone.length ? `${JSON.stringify(notTone)} s` : 'none'}; ` +
        `customer's 3 kHz after the click (ms): min ${Math.min(...lags)}, median ${median(lags)}, max ${Math.max(...lags)}; ` +
        `file ${a.seconds.toFixed(2)} s, ${a.with440}/${a.windows} windows with 440 Hz; server pauses ${meta.pauses.length}`,
    );
    for (const [i, ms] of leakMs.entries()) expect(ms, `3 kHz at pause ${i + 1}`).toBeLessThanOrEqual(MAX_LEAK_MS);
    expect(stray).toEqual([]);
    // The state shown to the agent changes with the gate: by the next frame after each click.
    expect(runs.every((r) => r.shownNextFrame)).toBe(true);
    expect(a.with440 / a.windows).toBeGreaterThan(0.8);
    expect(meta.pauses).toHaveLength(RUNS);
    expect(meta.missingChunks).toBe(0);
  } finally {
    burner.kill();
  }
});
