import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { apiToken } from './support/api';
import { AGENT_HZ, CALL_PAGE, CUSTOMER_CALL, CUSTOMER_HZ, PAUSE_HZ, analyse, clickWithTone, connectCall, decode, finishedRecording, hangUp, setTone } from './support/recording';
import { grantScreen, pauseAndPaint, screenFps, screenPixel, setScreenPhase, setScreenPolicy, waitForPaints, withFakeScreen, type Rgb, type ScreenLook } from './support/screen';
import { signInAs } from './support/sign-in';
import { openWidget, takeWidgetChat } from './support/widget';

/**
 * Screen recording end to end (issue 20): the agent's "screen" is a 1280×720 canvas in four known
 * colours handed to the app in place of getDisplayMedia, at the frame rate the app asks for. A
 * standing mask covers part of the red quadrant. During a secure pause the whole screen turns
 * magenta, a colour used only then. The stored screen recording is decoded with ffmpeg: its frames
 * show the colours, black under the mask, and none contains magenta; the call's audio recording
 * passes the recording issue's check (no 3 kHz of the paused part).
 */

const W = 320;
const H = 180; // decoded at a quarter of 1280×720
const COLOURS = { red: [230, 30, 30], green: [30, 200, 60], blue: [30, 60, 220], yellow: [240, 220, 40] } as const satisfies Record<string, Rgb>;
const PAUSE_COLOUR: Rgb = [255, 0, 255];
/** The canvas screen (support/screen.ts): the four colours, or magenta all over during a secure pause. */
const LOOKS: Record<string, ScreenLook> = { normal: { quadrants: [COLOURS.red, COLOURS.green, COLOURS.blue, COLOURS.yellow] }, pause: { fill: PAUSE_COLOUR } };
const MASK = { x: 100, y: 100, width: 300, height: 200 }; // screen pixels, inside the red quadrant

async function setStandingMask(page: Page) {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('standing-mask-add').click();
  for (const key of ['x', 'y', 'width', 'height'] as const) {
    const input = page.getByTestId(`standing-mask-0-${key}`);
    await input.fill(String(MASK[key]));
    await input.blur();
  }
  await page.getByTestId('nav-work').click();
}

/** Every frame of the stored screen recording as RGB at 320×180, in stored order (no frames dropped or duplicated). */
function decodeFrames(file: string): Buffer[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-fps_mode', 'passthrough', '-vf', `scale=${W}:${H}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 512 * 1024 * 1024 });
  const size = W * H * 3;
  const frames: Buffer[] = [];
  for (let o = 0; o + size <= raw.length; o += size) frames.push(raw.subarray(o, o + size));
  return frames;
}

const px = (f: Buffer, x: number, y: number) => [...f.subarray((y * W + x) * 3, (y * W + x) * 3 + 3)];
const near = (a: number[], b: readonly number[], tol = 60) => a.every((v, i) => Math.abs(v - b[i]!) <= tol);
const black = (a: number[]) => a.every((v) => v < 40);

function magentaPixels(f: Buffer): number {
  let n = 0;
  for (let i = 0; i < f.length; i += 3) if (f[i]! > 180 && f[i + 1]! < 90 && f[i + 2]! > 180) n += 1;
  return n;
}

test('screen recording: the colours, black under the standing mask, nothing of a secure pause; the audio check still passes', async ({ browser, server }) => {
  test.setTimeout(150_000);
  await setScreenPolicy(server.url, 'calls', 2);

  const agent = await signInAs(browser, server.url, 'agent1', {
    ...CALL_PAGE,
    beforeLoad: withFakeScreen(LOOKS, 'normal'),
  });
  await setStandingMask(agent.page);
  const widget = await openWidget(browser, server.url, CUSTOMER_CALL);
  const { interactionId, connectedAt } = await connectCall(agent.page, widget);
  const indicator = agent.page.getByTestId('screen-recording-indicator');
  // The web agent grants the capture for the session; from then on the indicator shows.
  await grantScreen(agent.page);
  expect(await screenFps(agent.page)).toBe(2);
  await agent.page.waitForTimeout(4000);

  // Secure pause: the screen turns magenta in the same task as the click; the customer's tone
  // turns 3 kHz in the test's next step, once the click was handled (as secure-pause-latency.spec
  // does): a loaded machine delaying the agent's timer must not count as recorded pause audio.
  const pausedAt = Date.now() + 300;
  const handledAt = await pauseAndPaint(agent.page, pausedAt);
  await setTone(widget, PAUSE_HZ);
  await expect(indicator).toHaveAttribute('data-paused', 'true');
  await expect(agent.page.getByTestId('recording-indicator')).toHaveAttribute('data-paused', 'true');
  // The screen the capture sees is magenta now (so a frame of it would show).
  expect(await screenPixel(agent.page, 640, 360)).toEqual(PAUSE_COLOUR);
  await agent.page.waitForTimeout(3000);
  // Back before the resume; what is still on its way drains first (one frame interval and more).
  await setTone(widget, CUSTOMER_HZ);
  await setScreenPhase(agent.page, 'normal');
  await agent.page.waitForTimeout(700);
  const resumedAt = await clickWithTone(agent.page, 'secure-pause', AGENT_HZ);
  await expect(indicator).toHaveAttribute('data-paused', 'false');
  await agent.page.waitForTimeout(4000);
  await hangUp(agent.page);
  await expect(indicator).toHaveCount(0);

  // The audio: as the recording issue checks it.
  const audio = await finishedRecording(server.url, server.dataDir, interactionId, 'audio');
  const a = analyse(decode(audio.file));

  // The screen: every decoded frame.
  const screen = await finishedRecording(server.url, server.dataDir, interactionId, 'screen');
  expect(screen.meta.mimeType).toMatch(/^video\/webm/);
  expect(screen.meta.pauses).toHaveLength(1);
  const frames = decodeFrames(screen.file);
  const withMagenta = frames.map((f, i) => ({ i, n: magentaPixels(f) })).filter((m) => m.n > 0);
  const coloured = frames.filter((f) => near(px(f, 140, 15), COLOURS.red) && near(px(f, 240, 45), COLOURS.green) && near(px(f, 80, 135), COLOURS.blue) && near(px(f, 240, 135), COLOURS.yellow));
  const maskBlack = coloured.filter((f) => black(px(f, 62, 50)) && black(px(f, 30, 30)) && black(px(f, 95, 70)));
  const blackFrames = frames.filter((f) => black(px(f, 140, 15)) && black(px(f, 240, 135)));
  console.log(
    `[screen-recording] ${frames.length} decoded frames checked (${screen.meta.chunks} chunks, ${screen.meta.bytes} bytes, ${(screen.meta.durationMs ?? 0) / 1000} s recorded); ` +
      `${coloured.length} show the four colours, ${maskBlack.length} of them black under the mask; ${blackFrames.length} black; ${withMagenta.length} contain the pause colour` +
      (withMagenta.length ? ` (frames ${JSON.stringify(withMagenta.slice(0, 10))})` : '') +
      `; audio: ${a.with440}/${a.windows} windows with 440 Hz, ${a.ms3000.toFixed(0)} ms of 3 kHz` +
      (a.at3000.length ? ` at ${JSON.stringify(a.at3000.slice(0, 20))} s into the file` : '') +
      `; pause ${((handledAt - connectedAt) / 1000).toFixed(2)} s into the call (click ran ${handledAt - pausedAt} ms late), resume after ${((resumedAt - handledAt) / 1000).toFixed(2)} s`,
  );
  expect(a.with440 / a.windows).toBeGreaterThan(0.8);
  expect(a.ms3000).toBeLessThanOrEqual(50);
  expect(withMagenta).toEqual([]);
  // 2 fps asked over about 8 s of screen recorded; a loaded machine's canvas timer and encoder
  // deliver fewer (9 to 19 in the first runs): enough frames to mean something, not a rate check.
  expect(frames.length).toBeGreaterThanOrEqual(6);
  expect(coloured.length / frames.length).toBeGreaterThan(0.7);
  expect(maskBlack.length).toBe(coloured.length);
});

/** Chunks of the interaction's screen recording the server has stored. */
async function storedScreenChunks(url: string, token: string, interactionId: string): Promise<number> {
  const res = await fetch(`${url}/api/recordings?interactionId=${interactionId}`, { headers: { authorization: `Bearer ${token}` } });
  const recordings = ((await res.json()) as { recordings: { kind?: string; chunks: number }[] }).recordings;
  return recordings.find((r) => r.kind === 'screen')?.chunks ?? 0;
}

test('screen recording of a chat under calls_and_chats: the colours, black under the mask, nothing of a secure pause in the chat; it stops when the chat ends', async ({ browser, server }) => {
  test.setTimeout(150_000);
  const supervisor = await apiToken(server.url, 'super1');
  await setScreenPolicy(server.url, 'calls_and_chats', 2);

  const agent = await signInAs(browser, server.url, 'agent1', {
    beforeLoad: withFakeScreen(LOOKS, 'normal'),
  });
  await setStandingMask(agent.page);
  await takeWidgetChat(browser, server.url, agent.page, 'Casey Screen');
  const panel = agent.page.getByTestId('chat-panel');
  const interactionId = (await panel.getAttribute('data-interaction-id'))!;
  const indicator = agent.page.getByTestId('screen-recording-indicator');
  // No capture yet: the chat asks for it like a call does.
  await grantScreen(agent.page);
  // Recorded for a while: chunks on the server.
  await expect.poll(() => storedScreenChunks(server.url, supervisor, interactionId), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);

  // Secure pause in the chat panel: the screen turns magenta in the same task as the click.
  const pause = panel.getByTestId('secure-pause');
  await expect(pause).toBeVisible();
  await pauseAndPaint(agent.page, Date.now() + 100);
  await expect(indicator).toHaveAttribute('data-paused', 'true');
  await expect(pause).toHaveAttribute('aria-pressed', 'true');
  await expect(panel.getByTestId('pause-banner')).toBeVisible();
  // Magenta on screen for a while (6 paints at 2 fps, about 3 s), then back to the colours before the resume.
  await waitForPaints(agent.page, 'pause', 6);
  await setScreenPhase(agent.page, 'normal');
  await waitForPaints(agent.page, 'normal', 2);
  const chunksAtResume = await storedScreenChunks(server.url, supervisor, interactionId);
  await pause.click();
  await expect(indicator).toHaveAttribute('data-paused', 'false');
  await expect.poll(() => storedScreenChunks(server.url, supervisor, interactionId), { timeout: 30_000 }).toBeGreaterThanOrEqual(chunksAtResume + 3);

  // Ending the chat ends the screen recording.
  await panel.getByTestId('chat-end').click();
  await expect(indicator).toHaveCount(0);

  const screen = await finishedRecording(server.url, server.dataDir, interactionId, 'screen');
  expect(screen.meta.mimeType).toMatch(/^video\/webm/);
  expect(screen.meta.pauses).toHaveLength(1);
  const frames = decodeFrames(screen.file);
  const withMagenta = frames.map((f, i) => ({ i, n: magentaPixels(f) })).filter((m) => m.n > 0);
  const coloured = frames.filter((f) => near(px(f, 140, 15), COLOURS.red) && near(px(f, 240, 45), COLOURS.green) && near(px(f, 80, 135), COLOURS.blue) && near(px(f, 240, 135), COLOURS.yellow));
  const maskBlack = coloured.filter((f) => black(px(f, 62, 50)) && black(px(f, 30, 30)) && black(px(f, 95, 70)));
  console.log(
    `[screen-recording chat] ${frames.length} decoded frames checked (${screen.meta.chunks} chunks, ${screen.meta.bytes} bytes, ${(screen.meta.durationMs ?? 0) / 1000} s recorded); ` +
      `${coloured.length} show the four colours, ${maskBlack.length} of them black under the mask; ${withMagenta.length} contain the pause colour` +
      (withMagenta.length ? ` (frames ${JSON.stringify(withMagenta.slice(0, 10))})` : ''),
  );
  expect(withMagenta).toEqual([]);
  expect(frames.length).toBeGreaterThanOrEqual(6);
  expect(coloured.length / frames.length).toBeGreaterThan(0.7);
  expect(maskBlack.length).toBe(coloured.length);
  // A chat has no audio recording; only the screen.
  const listed = await fetch(`${server.url}/api/recordings?interactionId=${interactionId}`, { headers: { authorization: `Bearer ${supervisor}` } });
  expect(((await listed.json()) as { recordings: { kind: string }[] }).recordings.map((r) => r.kind)).toEqual(['screen']);
});
