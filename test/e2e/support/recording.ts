import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { readTones, s16leToFloat } from '../../support/fft';
import { apiToken } from './api';
import { receivedAudio } from './audio';
import { startWidgetCall } from './widget';

/**
 * The recording E2E's shared steps: a call with oscillator microphones on both sides (the customer
 * 440 Hz, the agent 660 Hz, 3 kHz for what must not be recorded), tone switches in the pages, and
 * the stored file read back and analysed with an FFT.
 */

export const RATE = 16_000;
export const CUSTOMER_HZ = 440;
export const AGENT_HZ = 660;
export const PAUSE_HZ = 3000;
/** A tone counts as present when it stands this far above the window's noise floor. */
export const PRESENT_OVER_FLOOR = 10;

/** The agent's and supervisor's pages: test hooks on, an oscillator for a microphone. */
export const CALL_PAGE = { testHooks: true, tone: true } as const;
/** The customer's page: a 440 Hz microphone, ready to call. */
export const CUSTOMER_CALL = { tone: true, ready: 'widget-call-start' } as const;

/** The customer calls, the agent answers; resolves once audio flows and recording runs, with the moment media connected. */
export async function connectCall(agent: Page, widget: Page): Promise<{ interactionId: string; connectedAt: number }> {
  await agent.evaluate((hz) => ((window as unknown as { __toneHz: number }).__toneHz = hz), AGENT_HZ);
  await startWidgetCall(widget);
  // The page notes the moment its call turns connected (the recorder starts then), on the page's own clock.
  await agent.evaluate(() => {
    const w = window as unknown as { __connectedAt?: number };
    delete w.__connectedAt;
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-testid="call-state"]')?.getAttribute('data-state') === 'connected') {
        w.__connectedAt = Date.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  });
  await agent.getByTestId('offer-accept').click();
  const panel = agent.getByTestId('call-panel');
  await expect(panel).toBeVisible();
  await expect(agent.getByTestId('call-state')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  const connectedAt = await agent.evaluate(() => (window as unknown as { __connectedAt: number }).__connectedAt);
  await expect(agent.getByTestId('recording-indicator')).toHaveAttribute('data-paused', 'false');
  await expect.poll(async () => (await receivedAudio(agent, '__veildeskCallPeer')).energy, { timeout: 20_000 }).toBeGreaterThan(0.01);
  return { interactionId: (await panel.getAttribute('data-interaction-id'))!, connectedAt };
}

export type ToneWindow = { __setToneHz(hz: number): void };

export async function setTone(page: Page, hz: number): Promise<void> {
  await page.evaluate((f) => (window as unknown as ToneWindow).__setToneHz(f), hz);
}

/** Sets the page's own microphone tone and clicks, in one task (the tone changes exactly at the click); resolves with the page's time of the click. */
export async function clickWithTone(page: Page, testId: string, hz: number): Promise<number> {
  return page.evaluate(
    ([id, f]) => {
      (window as unknown as ToneWindow).__setToneHz(f as number);
      const at = Date.now();
      (document.querySelector(`[data-testid="${id as string}"]`) as HTMLButtonElement).click();
      return at;
    },
    [testId, hz] as const,
  );
}

/** Sets the page's microphone tone at an instant (epoch ms) of the shared clock. */
export async function setToneAt(page: Page, hz: number, at: number): Promise<void> {
  await page.evaluate(
    ([f, t]) => new Promise<void>((resolve) => setTimeout(() => resolve((window as unknown as ToneWindow).__setToneHz(f)), t - Date.now())),
    [hz, at] as const,
  );
}

/** Clicks at an instant of the shared clock; resolves with when the click actually ran. */
export async function clickAt(page: Page, testId: string, at: number): Promise<number> {
  return page.evaluate(
    ([id, t]) =>
      new Promise<number>((resolve) =>
        setTimeout(() => {
          const ran = Date.now();
          (document.querySelector(`[data-testid="${id}"]`) as HTMLButtonElement).click();
          resolve(ran);
        }, t - Date.now()),
      ),
    [testId, at] as const,
  );
}

/** When this page's recorder run started capturing (page clock; the app's test hook). */
export async function recorderStartedAt(page: Page): Promise<number> {
  const read = () => page.evaluate(() => window.__veildeskRecorderRuns?.at(-1)?.startedAt ?? null);
  await expect.poll(read, { timeout: 20_000 }).not.toBeNull();
  return (await read())!;
}

/** Hangs up; resolves with the moment of the click on the page's clock. */
export async function hangUp(agent: Page): Promise<number> {
  const at = await clickWithTone(agent, 'call-hangup', AGENT_HZ);
  await expect(agent.getByTestId('recording-indicator')).toHaveCount(0);
  return at;
}

export interface RecordingMeta {
  id: string;
  kind?: 'audio' | 'screen';
  mimeType?: string;
  status: string;
  chunks: number;
  bytes: number;
  missingChunks: number;
  segments: { segment: number; chunks: number; missingSeqs: number[] }[];
  assembly: string;
  assemblyNote: string | null;
  pauses: { startedAt: string; endedAt: string | null; actor: string }[];
  durationMs: number | null;
  /** Where the file's media starts, ms after `startedAt` (null: 0). */
  mediaOffsetMs: number | null;
  startedAt: string;
  endedAt: string | null;
}

/** Waits until the agent's app uploaded and closed the recording (the call's audio, or its screen) and the server assembled every chunk (no change for 1.5 s). */
export async function finishedRecording(url: string, dataDir: string, interactionId: string, kind: 'audio' | 'screen' = 'audio'): Promise<{ meta: RecordingMeta; file: string }> {
  const supervisor = await apiToken(url, 'super1');
  let meta: RecordingMeta | undefined;
  let stableSince = 0;
  let last = '';
  await expect
    .poll(
      async () => {
        const res = await fetch(`${url}/api/recordings?interactionId=${interactionId}`, { headers: { authorization: `Bearer ${supervisor}` } });
        meta = ((await res.json()) as { recordings: RecordingMeta[] }).recordings.find((r) => (r.kind ?? 'audio') === kind);
        if (!meta || meta.status !== 'closed' || meta.chunks === 0 || meta.missingChunks > 0) return `waiting for chunks: ${JSON.stringify(meta && { status: meta.status, chunks: meta.chunks, segments: meta.segments })}`;
        const file = path.join(dataDir, 'recordings', `${meta.id}.webm`);
        if (meta.assembly === 'pending' || !fs.existsSync(file)) return 'waiting for assembly';
        const now = `${meta.chunks}/${meta.assembly}/${fs.statSync(file).size}`;
        if (now !== last) {
          last = now;
          stableSince = Date.now();
        }
        return Date.now() - stableSince >= 1500 ? 'done' : 'settling';
      },
      { timeout: 40_000, intervals: [250] },
    )
    .toBe('done');
  return { meta: meta!, file: path.join(dataDir, 'recordings', `${meta!.id}.webm`) };
}

export function decode(file: string): Float64Array {
  return s16leToFloat(execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 's16le', '-ac', '1', '-ar', String(RATE), '-'], { maxBuffer: 256 * 1024 * 1024 }));
}

export interface Analysis {
  seconds: number;
  windows: number;
  with440: number;
  with3000: number;
  /** ms of 3 kHz found with 16 ms windows. */
  ms3000: number;
  /** Where (s into the file) those windows are. */
  at3000: number[];
}

export function analyse(samples: Float64Array): Analysis {
  const win = RATE / 4; // 250 ms
  let windows = 0;
  let with440 = 0;
  let with3000 = 0;
  for (let start = 0; start + win <= samples.length; start += win) {
    const r = readTones(samples.subarray(start, start + win), RATE, [CUSTOMER_HZ, AGENT_HZ, PAUSE_HZ]);
    windows += 1;
    if (r.tones[CUSTOMER_HZ]! > PRESENT_OVER_FLOOR * r.noiseFloor) with440 += 1;
    if (r.tones[PAUSE_HZ]! > PRESENT_OVER_FLOOR * r.noiseFloor && r.rms > 0.005) with3000 += 1;
  }
  const small = 256; // 16 ms
  const at3000: number[] = [];
  for (let start = 0; start + small <= samples.length; start += small) {
    const r = readTones(samples.subarray(start, start + small), RATE, [CUSTOMER_HZ, PAUSE_HZ], 100);
    if (r.tones[PAUSE_HZ]! > PRESENT_OVER_FLOOR * r.noiseFloor && r.rms > 0.005) at3000.push(Math.round(start / 16) / 1000);
  }
  return { seconds: samples.length / RATE, windows, with440, with3000, ms3000: (at3000.length * small * 1000) / RATE, at3000 };
}
