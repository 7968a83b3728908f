import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import { api, login, nextFrame, type Json, type TestBackend } from './helpers';
import { connectAgent, connectCustomerSocket, connected, startInteractionsBackend } from './interactions-support';

/**
 * GET /api/widget/notices: what the widget tells a customer applies, read from the org's own
 * settings (recording, monitoring, redaction, retention, the privacy notice) and changing with
 * them; and the customer's call.recording frame during a call (issue 16).
 */

type RecordingFrame = ServerMessageOf<'call.recording'>;
const isCallRecording =
  (interactionId: string, state?: RecordingFrame['state']) =>
  (f: { type: string; interactionId?: string; state?: string }): boolean =>
    f.type === 'call.recording' && f.interactionId === interactionId && (state === undefined || f.state === state);

async function adminGet(server: TestBackend, token: string, path: string): Promise<Json> {
  const res = await api(server.url, path, { token });
  expect(res.status).toBe(200);
  return res.body;
}

async function adminPut(server: TestBackend, token: string, path: string, json: unknown): Promise<void> {
  const res = await api(server.url, path, { method: 'PUT', token, json });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('GET /api/widget/notices', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('needs no account and says exactly what the org settings say, and changes with them at once', async () => {
    server = await startInteractionsBackend();
    const admin = (await login(server.url, 'admin')).token;
    const retention = await adminGet(server, admin, '/api/admin/retention-policy');
    const consent = await adminGet(server, admin, '/api/admin/consent-settings');

    // The demo org: calls recorded, supervisors and admins may monitor, card numbers redacted.
    const first = await api(server.url, '/api/widget/notices');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      recordsCalls: true,
      supervisorsMayListen: true,
      agentMayPause: true,
      redactsCardNumbers: true,
      transcriptsDays: retention.transcriptsDays,
      recordingsDays: retention.recordingsDays,
      notice: { version: consent.noticeVersion, url: consent.noticeUrl, effectiveDate: null },
    });

    // An admin turns recording and monitoring off, card redaction off, and sets the transcripts' retention.
    const recording = await adminGet(server, admin, '/api/admin/recording-policy');
    await adminPut(server, admin, '/api/admin/recording-policy', { ...recording, recordCalls: false });
    const monitoring = await adminGet(server, admin, '/api/admin/monitoring-policy');
    await adminPut(server, admin, '/api/admin/monitoring-policy', { ...monitoring, rolesAllowed: [], whisperRoles: [], bargeRoles: [] });
    const redaction = await adminGet(server, admin, '/api/admin/redaction-policy');
    await adminPut(server, admin, '/api/admin/redaction-policy', { entities: { ...redaction.entities, card: false }, orgPatterns: [] });
    await adminPut(server, admin, '/api/admin/retention-policy', { ...retention, transcriptsDays: 7, recordingsDays: 30 });

    const after = await api(server.url, '/api/widget/notices');
    expect(after.body).toMatchObject({ recordsCalls: false, supervisorsMayListen: false, agentMayPause: false, redactsCardNumbers: false, transcriptsDays: 7, recordingsDays: 30 });

    // Monitoring allowed to one role again: supervisors may listen, whatever else is off.
    await adminPut(server, admin, '/api/admin/monitoring-policy', { ...monitoring, rolesAllowed: ['admin'], whisperRoles: [], bargeRoles: [] });
    expect((await api(server.url, '/api/widget/notices')).body).toMatchObject({ recordsCalls: false, supervisorsMayListen: true, agentMayPause: false });
  });

  it('is rate-limited per address with its own budget: a refusal says when to try again, and starts still work', async () => {
    server = await startInteractionsBackend({ widgetStartsPerMinute: 2 });
    expect((await api(server.url, '/api/widget/notices')).status).toBe(200);
    expect((await api(server.url, '/api/widget/notices')).status).toBe(200);
    const refused = await api(server.url, '/api/widget/notices');
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/Too many requests from your address\. Try again in \d+ s\./);
    const start = await api(server.url, '/api/widget/interactions', { json: { kind: 'chat', queueId: 'general', customer: {} } });
    expect(start.status).toBe(201);
  });
});

describe('call.recording: the customer learns whether the call is recorded now', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('recording at connect, paused on secure pause, recording again on resume, said again after a reconnect; nothing about the agent', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent, { kind: 'call' });
    const id = customer.interactionId;
    expect(await nextFrame(customer.ws, isCallRecording(id))).toEqual({ type: 'call.recording', interactionId: id, state: 'recording' });

    agent.ws.send({ type: 'recording.pause', interactionId: id });
    expect(await nextFrame(customer.ws, isCallRecording(id))).toEqual({ type: 'call.recording', interactionId: id, state: 'paused' });

    // A reload of the widget: the new socket hears the state as it is now.
    const again = await connectCustomerSocket(server, id, customer.token);
    expect(await nextFrame(again.ws, isCallRecording(id))).toEqual({ type: 'call.recording', interactionId: id, state: 'paused' });

    agent.ws.send({ type: 'recording.resume', interactionId: id });
    expect(await nextFrame(again.ws, isCallRecording(id))).toEqual({ type: 'call.recording', interactionId: id, state: 'recording' });
  });

  it("a child flag mid-call deletes the recording: the customer's line turns to 'off'", async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent, { kind: 'call' });
    const id = customer.interactionId;
    await nextFrame(customer.ws, isCallRecording(id, 'recording'));
    agent.ws.send({ type: 'interaction.child_flag', interactionId: id });
    expect(await nextFrame(customer.ws, isCallRecording(id))).toEqual({ type: 'call.recording', interactionId: id, state: 'off' });
  });

  it("a call under a policy that does not record: 'off' at connect, and no pause to hear of", async () => {
    server = await startInteractionsBackend();
    const admin = (await login(server.url, 'admin')).token;
    const recording = await adminGet(server, admin, '/api/admin/recording-policy');
    await adminPut(server, admin, '/api/admin/recording-policy', { ...recording, recordCalls: false });
    await adminPut(server, admin, '/api/admin/monitoring-policy', { showNoticeToAgent: true, securePauseStopsMonitoring: true, rolesAllowed: [], whisperRoles: [], bargeRoles: [] });
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent, { kind: 'call' });
    expect(await nextFrame(customer.ws, isCallRecording(customer.interactionId))).toEqual({ type: 'call.recording', interactionId: customer.interactionId, state: 'off' });
    agent.ws.send({ type: 'recording.pause', interactionId: customer.interactionId, id: 'p' });
    expect(await nextFrame(agent.ws, (f) => f.type === 'error' && f.ref === 'p')).toMatchObject({ code: 'conflict' });
  });
});
