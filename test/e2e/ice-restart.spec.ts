import { type Page } from '@playwright/test';
import { startTestServer, type TestServer } from '../support/server';
import { expect, test } from './fixtures';
import { oscillatorMicrophone, receivedAudio } from './support/audio';
import { startLinkProxy, type LinkProxy } from './support/link-proxy';
import { signInAs } from './support/sign-in';
import { startTurnServer, turnServerPath, type TurnServer } from './support/turn';
import { startWidgetCall } from './support/widget';

/**
 * Issue 19, waking and roaming: the media path of a live call is cut and audio comes back by ICE
 * restart on the same connection, with no new offer and no new interaction.
 *
 * How the path is cut with real parts: both browsers may only use TURN relays (the test forces
 * iceTransportPolicy 'relay'), and reach a real coturn over TCP through the black-hole proxy. The
 * cut strands every connection open at that moment (silent, never closed: the old address after a
 * network change) while new connections pass. Without an ICE restart the call cannot recover: the
 * old relays are unreachable and ICE gathers no new candidates on its own. With it, new
 * allocations are made through the proxy and audio returns.
 *
 * Chromium says 'disconnected' over TURN/TCP only 5–7 s after such a cut; the agent's side notices
 * sooner, by the customer's audio no longer arriving (browser/media/inbound-stall.ts), so audio must
 * be back on both sides within 5 s of the cut.
 */

/** Init script: every RTCPeerConnection of the page uses relay candidates only. */
function relayOnly(): void {
  const Original = window.RTCPeerConnection;
  class RelayOnly extends Original {
    constructor(config?: RTCConfiguration) {
      super({ ...config, iceTransportPolicy: 'relay' });
    }
  }
  window.RTCPeerConnection = RelayOnly;
}

type Hook = '__veildeskCallPeer' | '__veildeskWidgetPeer';

/** The connection's ICE username fragment (changes with every ICE restart) and whether it is the one marked earlier. */
async function peerInfo(page: Page, hook: Hook): Promise<{ ufrag: string | null; marked: boolean; relay: boolean }> {
  return page.evaluate(async (name) => {
    const pc = (window as unknown as Record<string, (RTCPeerConnection & { __e2eMark?: boolean }) | null | undefined>)[name];
    if (!pc) return { ufrag: null, marked: false, relay: false };
    const ufrag = /a=ice-ufrag:(\S+)/.exec(pc.localDescription?.sdp ?? '')?.[1] ?? null;
    const stats = await pc.getStats();
    let relay = false;
    stats.forEach((s: { type: string; selectedCandidatePairId?: string }) => {
      if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
      const pair = stats.get(s.selectedCandidatePairId) as { localCandidateId?: string } | undefined;
      const local = pair?.localCandidateId ? (stats.get(pair.localCandidateId) as { candidateType?: string } | undefined) : undefined;
      relay = local?.candidateType === 'relay';
    });
    return { ufrag, marked: pc.__e2eMark === true, relay };
  }, hook);
}

async function mark(page: Page, hook: Hook): Promise<void> {
  await page.evaluate((name) => {
    const pc = (window as unknown as Record<string, (RTCPeerConnection & { __e2eMark?: boolean }) | null | undefined>)[name];
    if (pc) pc.__e2eMark = true;
  }, hook);
}

/** Records (in the page, as it happens) the first time the element matching `selector` shows `text`. */
async function watchText(page: Page, selector: string, text: string): Promise<void> {
  await page.evaluate(
    ({ selector, text }) => {
      const w = window as unknown as { __e2eSeen?: { shownAt: number | null } };
      const seen = { shownAt: null as number | null };
      w.__e2eSeen = seen;
      const check = () => {
        if (seen.shownAt === null && document.querySelector(selector)?.textContent?.includes(text)) seen.shownAt = Date.now();
      };
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      check();
    },
    { selector, text },
  );
}

async function seenText(page: Page): Promise<{ shownAt: number | null }> {
  return page.evaluate(() => (window as unknown as { __e2eSeen?: { shownAt: number | null } }).__e2eSeen ?? { shownAt: null });
}

// CI installs coturn (.ci/run): there a missing TURN server is a failure, never a skip.
if (!turnServerPath() && process.env.CI === 'true') throw new Error('coturn is not installed (apt-get install coturn); CI must run the ICE restart test');

test.describe('ICE restart', () => {
  test.skip(!turnServerPath(), 'coturn is not installed (apt-get install coturn); this test needs a real TURN server');

  let turn: TurnServer | null = null;
  let proxy: LinkProxy | null = null;
  let server: TestServer | null = null;
  test.afterEach(async () => {
    await server?.stop();
    await proxy?.close();
    await turn?.stop();
    server = null;
    proxy = null;
    turn = null;
  });

  test('the media path is cut mid-call: audio returns by ICE restart within 5 s, without a new offer', async ({ browser }) => {
    test.setTimeout(120_000);
    turn = await startTurnServer();
    proxy = await startLinkProxy(`http://127.0.0.1:${turn.port}`);
    const turnPort = new URL(proxy.url).port;
    server = await startTestServer({ env: { VEILDESK_TURN_URLS: `turn:127.0.0.1:${turnPort}?transport=tcp`, VEILDESK_TURN_SECRET: turn.secret } });
    const url = server.url;

    const agent = await signInAs(browser, url, 'agent1', { testHooks: true, tone: true, beforeLoad: async (context) => void (await context.addInitScript(relayOnly)) });
    const widgetContext = await browser.newContext();
    await widgetContext.addInitScript(relayOnly);
    const widget = await widgetContext.newPage();
    await widget.addInitScript(oscillatorMicrophone);
    await widget.goto(`${url}/widget/?testHooks=1`);
    await expect(widget.getByTestId('widget-call-start')).toBeEnabled();
    await startWidgetCall(widget);
    await agent.page.getByTestId('offer-accept').click();
    const state = agent.page.getByTestId('call-state');
    await expect(state).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
    const interactionId = await agent.page.getByTestId('call-panel').getAttribute('data-interaction-id');

    // Audio both ways, over the relays.
    await expect.poll(async () => (await receivedAudio(agent.page, '__veildeskCallPeer')).energy, { timeout: 20_000 }).toBeGreaterThan(0.01);
    await expect.poll(async () => (await receivedAudio(widget, '__veildeskWidgetPeer')).energy, { timeout: 20_000 }).toBeGreaterThan(0.01);
    expect((await peerInfo(agent.page, '__veildeskCallPeer')).relay).toBe(true);
    // The demo org records calls: the recording runs and goes on through the cut.
    const recording = agent.page.getByTestId('recording-indicator');
    await expect(recording).toHaveAttribute('data-paused', 'false');
    await mark(agent.page, '__veildeskCallPeer');
    await mark(widget, '__veildeskWidgetPeer');
    const before = await peerInfo(agent.page, '__veildeskCallPeer');
    const connectionsBefore = proxy.connections;

    // What each side shows, as it happens: "Reconnecting audio…" may last only a second now.
    await watchText(agent.page, '[data-testid="call-state"]', 'Reconnecting audio…');
    await watchText(widget, '[data-testid="widget-call-status"]', 'Reconnecting audio…');

    // The agent's page notes its inbound audio bytes every 50 ms, with the time, from now on.
    await agent.page.evaluate(() => {
      const w = window as unknown as { __veildeskCallPeer?: RTCPeerConnection | null; __e2eBytes?: Array<{ at: number; bytes: number }> };
      const samples: Array<{ at: number; bytes: number }> = [];
      w.__e2eBytes = samples;
      const read = async () => {
        let bytes = 0;
        (await w.__veildeskCallPeer?.getStats())?.forEach((s: { type: string; kind?: string; bytesReceived?: number }) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') bytes += s.bytesReceived ?? 0;
        });
        samples.push({ at: Date.now(), bytes });
        if (samples.length < 2_000) setTimeout(() => void read(), 50);
      };
      void read();
    });

    // ---- the cut ----
    const cutAt = Date.now();
    proxy.strandExisting();
    // (Read from the page's own record: "Reconnecting audio…" may last only a second now.)
    await expect.poll(async () => (await seenText(agent.page)).shownAt, { timeout: 15_000, intervals: [50] }).not.toBeNull();
    const reconnectingAt = Date.now();
    // The agent's side restarts ICE: new credentials on the same connection.
    await expect.poll(async () => (await peerInfo(agent.page, '__veildeskCallPeer')).ufrag, { timeout: 15_000, intervals: [50] }).not.toBe(before.ufrag);
    const restartAt = Date.now();

    // Audio is back both ways within 5 s of the cut (each side measured on its own, over 250 ms
    // windows; measured to the end, then checked, so a slow run still says how slow).
    const backAfter = (page: Page, hook: Hook) =>
      expect
        .poll(async () => (await receivedAudio(page, hook, 250)).energy, { timeout: 15_000, intervals: [0] })
        .toBeGreaterThan(0.01)
        .then(() => Date.now() - cutAt);
    const [agentBack, customerBack] = await Promise.all([backAfter(agent.page, '__veildeskCallPeer'), backAfter(widget, '__veildeskWidgetPeer')]);
    // Both sides said so meanwhile.
    const [agentSaw, widgetSaw] = [await seenText(agent.page), await seenText(widget)];
    console.log(
      `[ice-restart] after the cut: "Reconnecting audio…" seen by the test +${reconnectingAt - cutAt} ms, shown at the agent +${(agentSaw.shownAt ?? NaN) - cutAt} ms, ` +
        `at the customer +${(widgetSaw.shownAt ?? NaN) - cutAt} ms; restart seen +${restartAt - cutAt} ms; ` +
        `audio back at the agent +${agentBack} ms, at the customer +${customerBack} ms`,
    );
    expect(agentBack).toBeLessThan(5_000);
    expect(customerBack).toBeLessThan(5_000);
    expect(agentSaw.shownAt).not.toBeNull();
    expect(widgetSaw.shownAt).not.toBeNull();
    // Before the agent's side said so, the customer's audio had stopped reaching it: every reading
    // in the 800 ms before "Reconnecting audio…" was shown has the same byte count (an idle machine
    // has audio back ~300 ms after it). Under load the page reads less often: at least two.
    const samples = await agent.page.evaluate(() => (window as unknown as { __e2eBytes: Array<{ at: number; bytes: number }> }).__e2eBytes);
    const shown = agentSaw.shownAt!;
    const around = samples.filter((x) => x.at >= shown - 800 && x.at <= shown);
    expect(around.length).toBeGreaterThanOrEqual(2);
    expect(new Set(around.map((x) => x.bytes)).size).toBe(1);
    await expect(state).not.toContainText('Reconnecting audio…');
    await expect(widget.getByTestId('widget-call-status')).not.toContainText('Reconnecting audio…');

    // The same connections on both sides (no new offer from the customer's widget), the same call.
    const after = await peerInfo(agent.page, '__veildeskCallPeer');
    expect(after.marked).toBe(true);
    expect(after.relay).toBe(true);
    expect((await peerInfo(widget, '__veildeskWidgetPeer')).marked).toBe(true);
    expect(proxy.connections).toBeGreaterThan(connectionsBefore);
    await expect(state).not.toHaveAttribute('data-reconnecting', 'true');
    await expect(state).toHaveAttribute('data-state', 'connected');
    await expect(widget.getByTestId('widget-call-status')).toContainText('Audio connected.');
    await expect(agent.page.getByTestId('call-panel')).toHaveCount(1);
    await expect(agent.page.getByTestId('call-panel')).toHaveAttribute('data-interaction-id', interactionId!);
    await expect(agent.page.getByTestId('offer')).toHaveCount(0);
    await expect(recording).toHaveAttribute('data-paused', 'false');

    await agent.page.getByTestId('call-hangup').click().catch(() => undefined);
    await widgetContext.close();
    await agent.close();
  });
});
