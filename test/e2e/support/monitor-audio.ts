import { expect, type Page } from '@playwright/test';
import { readTones, type ToneReading } from '../../support/fft';

/** What a page hears from one of its audio elements over one window (~0.68 s at 48 kHz). */
export interface HeardWindow extends ToneReading {
  sampleRate: number;
  /** False when the element has no stream yet. */
  playing: boolean;
}

/**
 * Taps the stream of the audio element `selector` (the supervisor's `monitor-audio`, the agent's
 * `monitor-voice-audio`, the widget's `widget-remote-audio`...) with a WebAudio analyser (made once
 * per element and stream) and returns the last window of samples, analysed here for the asked
 * tones. Waits one window so the analyser's buffer holds only audio from after the call.
 */
export async function heardBy(page: Page, selector: string, frequencies: readonly number[]): Promise<HeardWindow> {
  const raw = await page.evaluate(async (sel) => {
    const audio = document.querySelector(sel) as HTMLAudioElement | null;
    const stream = audio?.srcObject as MediaStream | null | undefined;
    if (!stream || stream.getAudioTracks().length === 0) return null;
    type Tap = { stream: MediaStream; ctx: AudioContext; analyser: AnalyserNode };
    const w = window as unknown as { __audioTaps?: Record<string, Tap> };
    const taps = (w.__audioTaps ??= {});
    if (taps[sel]?.stream !== stream) {
      void taps[sel]?.ctx.close();
      const ctx = new AudioContext();
      await ctx.resume();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 32768;
      ctx.createMediaStreamSource(stream).connect(analyser);
      taps[sel] = { stream, ctx, analyser };
    }
    const tap = taps[sel]!;
    // A measurement window, not a wait for a condition: the analyser holds the last fftSize samples.
    await new Promise((r) => setTimeout(r, Math.ceil((tap.analyser.fftSize / tap.ctx.sampleRate) * 1000) + 50));
    const samples = new Float32Array(tap.analyser.fftSize);
    tap.analyser.getFloatTimeDomainData(samples);
    return { samples: Array.from(samples), sampleRate: tap.ctx.sampleRate };
  }, selector);
  if (!raw) return { tones: Object.fromEntries(frequencies.map((f) => [f, 0])), noiseFloor: 0, rms: 0, sampleRate: 0, playing: false };
  return { ...readTones(raw.samples, raw.sampleRate, frequencies), sampleRate: raw.sampleRate, playing: true };
}

/** What a supervisor's page hears from `monitor-audio` over one window (~0.68 s at 48 kHz). */
export function heardByMonitor(page: Page, frequencies: readonly number[]): Promise<HeardWindow> {
  return heardBy(page, '[data-testid="monitor-audio"]', frequencies);
}

/** A tone counts as heard when it stands this far above the window's noise floor. */
export const HEARD_OVER_FLOOR = 10;
/** RMS below this is silence (a received tone here is ~0.1–0.4). */
export const SILENT_RMS = 0.002;

export const hears = (w: HeardWindow, hz: number): boolean => w.rms > SILENT_RMS && (w.tones[hz] ?? 0) > HEARD_OVER_FLOOR * w.noiseFloor;

/**
 * Starts sampling the level of `monitor-audio` every 20 ms in the page (RMS of the last 1024
 * samples, ~21 ms), with the page's clock, so a test can say when the audio stopped or came back
 * relative to a click in another page of the same machine.
 */
export async function traceMonitorLevel(page: Page): Promise<void> {
  await page.evaluate(async () => {
    // The stream can be re-created (the agent's app published anew after a reconnect): wait for one.
    const deadline = Date.now() + 30_000;
    let stream: MediaStream | null = null;
    while (!stream && Date.now() < deadline) {
      const audio = document.querySelector('[data-testid="monitor-audio"]') as HTMLAudioElement | null;
      stream = (audio?.srcObject as MediaStream | null | undefined) ?? null;
      if (!stream) await new Promise((r) => setTimeout(r, 50));
    }
    if (!stream) throw new Error('monitor-audio had no stream to trace within 30 s');
    const w = window as unknown as { __monitorLevels?: [number, number][]; __monitorTrace?: { ctx: AudioContext; timer: number } };
    if (w.__monitorTrace) {
      clearInterval(w.__monitorTrace.timer);
      void w.__monitorTrace.ctx.close();
    }
    const ctx = new AudioContext();
    await ctx.resume();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 1024;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    w.__monitorLevels = [];
    const timer = window.setInterval(() => {
      analyser.getFloatTimeDomainData(buf);
      let sum = 0;
      for (const x of buf) sum += x * x;
      w.__monitorLevels!.push([Date.now(), Math.sqrt(sum / buf.length)]);
    }, 20);
    w.__monitorTrace = { ctx, timer };
  });
}

/** The traced levels so far: [page time (epoch ms), rms]. */
export async function monitorLevels(page: Page): Promise<[number, number][]> {
  return page.evaluate(() => (window as unknown as { __monitorLevels?: [number, number][] }).__monitorLevels ?? []);
}

/** Milliseconds from `since` until the level crossed into silence (`silent`) or sound and stayed there; null if it never did. */
export function settledAfter(levels: [number, number][], since: number, want: 'silent' | 'sound'): number | null {
  const after = levels.filter(([t]) => t >= since);
  for (let i = 0; i < after.length; i += 1) {
    const ok = (rms: number) => (want === 'silent' ? rms < SILENT_RMS : rms > 0.05);
    if (after.slice(i).every(([, rms]) => ok(rms))) return after[i]![0] - since;
  }
  return null;
}

/**
 * Judging a window against a set of tones the test plays (customer, agent, supervisor...): pure
 * tones through Opus leave faint products 60-75 dB down at every frequency measured, so a tone is
 * carried only when it is heard (above the noise floor) and within `withinDb` (40 dB) of the loudest
 * of the set. A glitch of a loaded machine (a dropout, a click) splatters across the band 35-40 dB
 * down for a window: a test that needs a tone absent for long can ask for 20 dB (all the tones play
 * at one level, so a carried one stands within a few dB).
 */
export function toneJudge(tones: readonly number[], withinDb = -40) {
  const loudest = (w: HeardWindow) => Math.max(...tones.map((hz) => w.tones[hz] ?? 0));
  const relDb = (w: HeardWindow, hz: number) => 20 * Math.log10(Math.max(w.tones[hz] ?? 0, 1e-12) / Math.max(loudest(w), 1e-12));
  const carries = (w: HeardWindow, hz: number) => hears(w, hz) && relDb(w, hz) > withinDb;
  const describe = (w: HeardWindow) => `rms ${w.rms.toFixed(4)}, ${tones.map((hz) => `${hz} Hz ${relDb(w, hz).toFixed(0)} dB`).join(', ')}`;
  return { tones, relDb, carries, describe };
}

/** Polls what `page`'s audio element `selector` hears until `want` holds; returns that window. */
export async function waitHeardBy(page: Page, selector: string, tones: readonly number[], want: (w: HeardWindow) => boolean, timeout = 20_000): Promise<HeardWindow> {
  let last: HeardWindow | undefined;
  await expect
    .poll(
      async () => {
        last = await heardBy(page, selector, tones);
        return want(last);
      },
      { timeout, intervals: [100] },
    )
    .toBe(true);
  return last!;
}
