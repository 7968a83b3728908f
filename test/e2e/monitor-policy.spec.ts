import { expect, test } from './fixtures';
import { apiSession } from './support/api';
import { listenFromBoard, monitorPacketsSent } from './support/monitor-call';
import { noMediasoupWorker } from './support/sfu';
import { signInWithTone } from './support/sign-in';
import { answerWidgetCall } from './support/widget';

type AuditEntries = { entries: { actorName: string | null; target: string; details: Record<string, unknown> }[] };

test(
  'admin turns the monitor notice (and recording) off in the app: audited; agent1 is not told super1 listens, can still pause the unrecorded call, and nothing is sent while paused',
  { tag: '@sfu' },
  async ({ browser, server }) => {
    const missing = noMediasoupWorker();
    test.skip(missing !== null, `no usable mediasoup worker on this machine, so there is no SFU to monitor through: ${missing}`);
    // Four pages and the SFU on a loaded 2-core machine; it takes about half of this when idle.
    test.setTimeout(120_000);

    // The admin sets both policies in the Admin view.
    const admin = await signInWithTone(browser, server.url, 'admin');
    await admin.getByTestId('nav-admin').click();
    const monitoring = admin.getByTestId('monitoring-policy');
    await expect(monitoring.getByTestId('monitoring-policy-notice')).toBeChecked();
    await expect(monitoring.getByTestId('monitoring-policy-pause')).toBeChecked();
    await expect(monitoring.getByTestId('monitoring-policy-role-supervisor')).toBeChecked();
    await expect(monitoring.getByTestId('monitoring-policy-save')).toBeDisabled();
    await monitoring.getByTestId('monitoring-policy-notice').uncheck();
    await monitoring.getByTestId('monitoring-policy-save').click();
    await expect(monitoring.getByTestId('monitoring-policy-status')).toContainText('Saved');
    const recording = admin.getByTestId('recording-policy');
    await recording.getByTestId('policy-record-calls').uncheck();
    await recording.getByTestId('policy-save').click();
    await expect(recording.getByTestId('policy-status')).toContainText('Saved');

    // Audited with who, before and after.
    const asAdmin = await apiSession(server.url, 'admin');
    const changes = ((await asAdmin('/api/audit?action=monitoring.policy_changed')) as AuditEntries).entries;
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      actorName: 'admin',
      details: {
        before: { showNoticeToAgent: true, securePauseStopsMonitoring: true, rolesAllowed: ['supervisor', 'admin'] },
        after: { showNoticeToAgent: false, securePauseStopsMonitoring: true, rolesAllowed: ['supervisor', 'admin'] },
      },
    });

    // An unrecorded call: nothing to pause until someone listens.
    const agent = await signInWithTone(browser, server.url, 'agent1');
    const interactionId = await answerWidgetCall(browser, server.url, agent);
    await expect(agent.getByTestId('recording-indicator')).toHaveCount(0);
    await expect(agent.getByTestId('secure-pause')).toHaveCount(0);

    const supervisor = await signInWithTone(browser, server.url, 'super1');
    const status = await listenFromBoard(supervisor);
    await expect(agent.getByTestId('monitor-notice')).toHaveCount(0);
    await expect.poll(() => monitorPacketsSent(agent), { timeout: 10_000 }).toBeGreaterThan(0);

    // Secure pause on the unrecorded, monitored call.
    const pause = agent.getByTestId('secure-pause');
    await expect(pause).toHaveAttribute('aria-pressed', 'false');
    await pause.click();
    await expect(pause).toHaveAttribute('aria-pressed', 'true');
    await expect(agent.getByTestId('pause-banner')).toContainText('listeners hear nothing');
    await expect(status).toHaveAttribute('data-status', 'paused');
    await expect(status).toContainText('Paused by agent');

    // The producer sends nothing at all (not even silence): the packet count stops moving.
    let previous = -1;
    await expect
      .poll(
        async () => {
          const now = (await monitorPacketsSent(agent)) ?? -2;
          const still = now === previous;
          previous = now;
          return still;
        },
        { timeout: 10_000, intervals: [500] },
      )
      .toBe(true);
    const stoppedAt = previous;

    // Reached the server and audited like any secure pause (no recording to name).
    await expect
      .poll(async () => ((await asAdmin('/api/audit?action=recording.paused')) as AuditEntries).entries.map((e) => [e.actorName, e.target, e.details.recordingId]))
      .toEqual([['agent1', interactionId, null]]);
    expect(await monitorPacketsSent(agent), 'RTP went out during the pause').toBe(stoppedAt);

    // Resume: sending again, the listener is live again, still without a notice.
    await pause.click();
    await expect(pause).toHaveAttribute('aria-pressed', 'false');
    await expect(status).toHaveAttribute('data-status', 'live');
    await expect.poll(() => monitorPacketsSent(agent), { timeout: 10_000 }).toBeGreaterThan(stoppedAt);
    await expect
      .poll(async () => ((await asAdmin('/api/audit?action=recording.resumed')) as AuditEntries).entries.map((e) => [e.actorName, e.target, e.details.recordingId]))
      .toEqual([['agent1', interactionId, null]]);
    await expect(agent.getByTestId('monitor-notice')).toHaveCount(0);
  },
);
