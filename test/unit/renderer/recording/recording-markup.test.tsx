import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Shell } from '../../../../renderer/app/Shell';
import { StoreProvider } from '../../../../renderer/app/store-context';
import { FakeWebSocket } from '../fake-websocket';
import { detail } from '../fixtures';
import { signedInWork } from '../work-harness';

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

async function callPanelMarkup(frame: Record<string, unknown>, ...more: Record<string, unknown>[]) {
  const h = await signedInWork();
  const store = { ...h.store, getInitialState: h.store.getState };
  h.socket.serverSend({ type: 'interaction.opened', interaction: detail({ kind: 'call' }) });
  h.socket.serverSend({ type: 'recording.state', interactionId: 'i-1', recording: true, recordingId: 'r-1', reminderAfterSeconds: 60, ...frame });
  for (const m of more) h.socket.serverSend(m);
  return renderToStaticMarkup(
    <StoreProvider store={store}>
      <Shell />
    </StoreProvider>,
  );
}

describe('recording in the call panel', () => {
  it('shows the indicator and the secure pause button while recording, no banner', async () => {
    const html = await callPanelMarkup({ paused: false });
    expect(html).toMatch(/data-testid="recording-indicator"[^>]*data-paused="false"/);
    expect(html).toMatch(/data-testid="secure-pause" aria-pressed="false"/);
    expect(html).not.toContain('pause-banner');
  });

  it('paused: the banner with the elapsed time, pressed button; the reminder once the policy time has passed', async () => {
    vi.setSystemTime(new Date('2030-01-01T10:01:30Z'));
    const early = await callPanelMarkup({ paused: true, pausedSince: '2030-01-01T10:01:00Z' });
    expect(early).toMatch(/data-testid="secure-pause" aria-pressed="true"/);
    expect(early).toContain('data-testid="pause-banner"');
    expect(early).toContain('Recording paused');
    expect(early).toMatch(/data-testid="pause-elapsed">30s</);
    expect(early).not.toContain('pause-reminder');

    const late = await callPanelMarkup({ paused: true, pausedSince: '2030-01-01T09:59:00Z' });
    expect(late).toMatch(/data-testid="pause-elapsed">2m 30s</);
    expect(late).toContain('data-testid="pause-reminder"');
  });

  it('not recorded but monitored (a pause stops monitoring): the button without the indicator; paused, a banner that says listeners hear nothing', async () => {
    const monitored = { type: 'monitor.publish', interactionId: 'i-1', roomId: 'monitor:i-1:a', pauseOnSecurePause: true, listeners: [{ userId: 's1', username: 'super1', displayName: 'Sam' }] };
    const live = await callPanelMarkup({ recording: false, paused: false }, monitored);
    expect(live).not.toContain('recording-indicator');
    expect(live).toMatch(/data-testid="secure-pause" aria-pressed="false"/);

    vi.setSystemTime(new Date('2030-01-01T10:01:30Z'));
    const paused = await callPanelMarkup({ recording: false, paused: true, pausedSince: '2030-01-01T10:01:00Z' }, monitored);
    expect(paused).toMatch(/data-testid="secure-pause" aria-pressed="true"[^>]*>Resume</);
    expect(paused).toContain('listeners hear nothing');
    expect(paused).not.toContain('Recording paused');

    // Monitored under a policy where a pause does not stop it: nothing to pause.
    const notHeld = await callPanelMarkup({ recording: false, paused: false }, { ...monitored, pauseOnSecurePause: false });
    expect(notHeld).not.toContain('secure-pause');
  });

  it('not recorded: neither indicator nor button', async () => {
    const html = await callPanelMarkup({ recording: false, paused: false });
    expect(html).not.toContain('recording-indicator');
    expect(html).not.toContain('secure-pause');
  });
});
