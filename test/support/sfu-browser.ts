import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './chromium';

/**
 * Real WebRTC media for SFU tests that drive the signalling themselves (over the test's own
 * WebSockets): one Chromium page with mediasoup-client, whose transports ask the test to signal
 * (`connect`, `produce`) through `bridge`. The sharer sends an animated canvas; the viewer's
 * consumer reports what arrived (inbound-rtp stats: packets and decoded frames).
 */
export interface SfuBrowser {
  page: Page;
  close(): Promise<void>;
}

export type Bridge = (role: 'sharer' | 'viewer', op: 'connect' | 'produce', data: Record<string, unknown>) => Promise<string | null>;

/** Transport parameters as media.transport.created carries them. */
export interface TransportParams {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown;
  dtlsParameters: unknown;
}

export async function sfuBrowser(bridge: Bridge): Promise<SfuBrowser> {
  const entry = createRequire(import.meta.url).resolve('mediasoup-client');
  const bundle = await build({ entryPoints: [entry], bundle: true, format: 'iife', globalName: 'mediasoupClient', write: false, platform: 'browser', logLevel: 'error' });
  const executablePath = findChromium();
  const browser: Browser = await chromium.launch({ headless: true, args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}) });
  const page = await browser.newPage();
  await page.exposeFunction('vdSignal', bridge);
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  return { page, close: () => browser.close() };
}

/** The sharer: loads the router's capabilities, opens the send transport, produces an animated canvas (30 fps). */
export async function produceCanvas(page: Page, caps: unknown, t: TransportParams): Promise<string> {
  return page.evaluate(
    async ({ caps, t }) => {
      const w = globalThis as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const device = new w.mediasoupClient.Device({ handlerName: 'Chrome111' });
      await device.load({ routerRtpCapabilities: caps });
      const transport = device.createSendTransport(t);
      transport.on('connect', ({ dtlsParameters }: { dtlsParameters: unknown }, ok: () => void, fail: (e: Error) => void) =>
        w.vdSignal('sharer', 'connect', { transportId: t.id, dtlsParameters }).then(ok, fail),
      );
      transport.on('produce', ({ kind, rtpParameters }: { kind: string; rtpParameters: unknown }, ok: (p: { id: string }) => void, fail: (e: Error) => void) =>
        w.vdSignal('sharer', 'produce', { transportId: t.id, kind, rtpParameters }).then((id: string) => ok({ id }), fail),
      );
      const canvas = w.document.createElement('canvas');
      canvas.width = 320;
      canvas.height = 240;
      const ctx = canvas.getContext('2d');
      let n = 0;
      setInterval(() => {
        ctx.fillStyle = `hsl(${(n += 12) % 360}, 80%, 50%)`;
        ctx.fillRect(0, 0, 320, 240);
      }, 33);
      const track = canvas.captureStream(30).getVideoTracks()[0];
      w.producer = await transport.produce({ track });
      return w.producer.id as string;
    },
    { caps, t },
  );
}

/** The viewer: loads the capabilities and opens the receive transport; returns the device's capabilities for media.consume. */
export async function openViewer(page: Page, caps: unknown, t: TransportParams): Promise<unknown> {
  return page.evaluate(
    async ({ caps, t }) => {
      const w = globalThis as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const device = new w.mediasoupClient.Device({ handlerName: 'Chrome111' });
      await device.load({ routerRtpCapabilities: caps });
      const transport = device.createRecvTransport(t);
      transport.on('connect', ({ dtlsParameters }: { dtlsParameters: unknown }, ok: () => void, fail: (e: Error) => void) =>
        w.vdSignal('viewer', 'connect', { transportId: t.id, dtlsParameters }).then(ok, fail),
      );
      w.recvTransport = transport;
      return device.rtpCapabilities as unknown;
    },
    { caps, t },
  );
}

/** The viewer takes the consumer the server announced (media.consumer). */
export async function takeConsumer(page: Page, consumer: { consumerId: string; producerId: string; kind: string; rtpParameters: unknown }): Promise<void> {
  await page.evaluate(async (c) => {
    const w = globalThis as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    w.consumer = await w.recvTransport.consume({ id: c.consumerId, producerId: c.producerId, kind: c.kind, rtpParameters: c.rtpParameters });
  }, consumer);
}

/** What reached the viewer's consumer so far. */
export async function receivedStats(page: Page): Promise<{ packetsReceived: number; framesDecoded: number; bytesReceived: number }> {
  return page.evaluate(async () => {
    const w = globalThis as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const stats: Map<string, Record<string, unknown>> = await w.consumer.getStats();
    let out = { packetsReceived: 0, framesDecoded: 0, bytesReceived: 0 };
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp') out = { packetsReceived: Number(s.packetsReceived ?? 0), framesDecoded: Number(s.framesDecoded ?? 0), bytesReceived: Number(s.bytesReceived ?? 0) };
    });
    return out;
  });
}
