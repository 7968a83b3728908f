import { expect, type BrowserContext, type Page } from '@playwright/test';
import type { ScreenRecordingMode } from '../../../shared';
import { apiToken } from './api';

/**
 * The screen-recording E2E's shared steps: the agent's "screen" is a 1280×720 canvas handed to the
 * app in place of getDisplayMedia, at the frame rate the app asks for, painted in known colours per
 * named phase ("looks"); a test switches the phase, also in the same task as a secure-pause click.
 */

export type Rgb = readonly [number, number, number];
/** One colour over the whole screen, or four quadrants (top left, top right, bottom left, bottom right). */
export type ScreenLook = { fill: Rgb } | { quadrants: readonly [Rgb, Rgb, Rgb, Rgb] };

interface ScreenWindow {
  __screenPhase: string;
  __paintScreen?: () => void;
  __screenFps?: number;
  __screenCanvas?: HTMLCanvasElement;
  /** Paints per phase, so a test can wait for the screen to have shown a phase for a while. */
  __paints: Record<string, number>;
}

/** Init script: the canvas screen, showing `looks[phase]`; `__screenPhase` picks another look from the next paint. */
function fakeScreen({ looks, phase }: { looks: Record<string, ScreenLook>; phase: string }) {
  const w = window as unknown as ScreenWindow;
  w.__screenPhase = phase;
  w.__paints = {};
  navigator.mediaDevices.getDisplayMedia = async (constraints?: DisplayMediaStreamOptions) => {
    const video = constraints?.video as { frameRate?: { max?: number } } | undefined;
    const fps = video?.frameRate?.max ?? 5;
    w.__screenFps = fps;
    const canvas = document.createElement('canvas');
    canvas.width = 1280;
    canvas.height = 720;
    w.__screenCanvas = canvas;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    const rgb = (c: Rgb) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
    const paint = () => {
      w.__paints[w.__screenPhase] = (w.__paints[w.__screenPhase] ?? 0) + 1;
      const look = looks[w.__screenPhase]!;
      if ('fill' in look) {
        ctx.fillStyle = rgb(look.fill);
        ctx.fillRect(0, 0, 1280, 720);
        return;
      }
      look.quadrants.forEach((c, i) => {
        ctx.fillStyle = rgb(c);
        ctx.fillRect((i % 2) * 640, Math.floor(i / 2) * 360, 640, 360);
      });
    };
    w.__paintScreen = paint;
    paint();
    setInterval(paint, 1000 / fps);
    return canvas.captureStream(fps);
  };
}

/** For signInAs's `beforeLoad`: the agent's pages get the canvas screen. */
export function withFakeScreen(looks: Record<string, ScreenLook>, phase: string): (context: BrowserContext) => Promise<void> {
  return async (context) => {
    await context.addInitScript(fakeScreen, { looks, phase });
  };
}

/** Sets the org's screen-recording policy (supervisors and admins view). */
export async function setScreenPolicy(url: string, mode: ScreenRecordingMode, fps: number): Promise<void> {
  const admin = await apiToken(url, 'admin');
  const res = await fetch(`${url}/api/admin/screen-recording-policy`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ mode, samplePercent: 10, viewerRoles: ['supervisor', 'admin'], fps }),
  });
  expect(res.status).toBe(200);
}

/** The agent grants the capture (the web agent does it once per session); resolves once the screen is recorded. */
export async function grantScreen(page: Page): Promise<void> {
  await page.getByTestId('screen-recording-grant').click();
  await expect(page.getByTestId('screen-recording-indicator')).toHaveAttribute('data-paused', 'false');
}

/** Clicks secure pause at an instant (epoch ms) and, in the same task right after it, paints the screen's `phase`; resolves with the click's time. */
export async function pauseAndPaint(page: Page, at: number, phase = 'pause'): Promise<number> {
  return page.evaluate(
    ([t, p]) =>
      new Promise<number>((resolve) =>
        setTimeout(() => {
          const w = window as unknown as ScreenWindow;
          const ran = Date.now();
          (document.querySelector('[data-testid="secure-pause"]') as HTMLButtonElement).click();
          w.__screenPhase = p;
          w.__paintScreen!();
          resolve(ran);
        }, t - Date.now()),
      ),
    [at, phase] as const,
  );
}

/** Paints the screen's `phase` at once. */
export async function setScreenPhase(page: Page, phase: string): Promise<void> {
  await page.evaluate((p) => {
    const w = window as unknown as ScreenWindow;
    w.__screenPhase = p;
    w.__paintScreen!();
  }, phase);
}

/** Paints of the canvas screen in this phase so far. */
export async function paints(page: Page, phase: string): Promise<number> {
  return page.evaluate((p) => (window as unknown as ScreenWindow).__paints[p] ?? 0, phase);
}

/** The frame rate the app asked the screen for. */
export async function screenFps(page: Page): Promise<number | undefined> {
  return page.evaluate(() => (window as unknown as ScreenWindow).__screenFps);
}

/** The colour of one pixel of the screen the capture sees now. */
export async function screenPixel(page: Page, x: number, y: number): Promise<number[]> {
  return page.evaluate(([px, py]) => [...(window as unknown as ScreenWindow).__screenCanvas!.getContext('2d')!.getImageData(px, py, 1, 1).data].slice(0, 3), [x, y] as const);
}

/** Waits until the screen has been painted `n` more times in `phase` (time passing at the screen's rate, on the page's own timer). */
export async function waitForPaints(page: Page, phase: string, n: number): Promise<void> {
  const before = await paints(page, phase);
  await expect.poll(() => paints(page, phase), { timeout: 30_000 }).toBeGreaterThanOrEqual(before + n);
}
