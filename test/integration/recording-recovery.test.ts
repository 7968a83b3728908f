import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import { byteChunks, inspectWebm, opusWebm } from '../support/recording-webm';
import { startTestServer, type TestServer } from '../support/server';
import { api, closeSockets, login, nextFrame, withTimeout, type Json, type TestBackend } from './helpers';
import { connectAgent, connected } from './interactions-support';

type StateFrame = ServerMessageOf<'recording.state'>;

async function upload(url: string, token: string, recordingId: string, seq: number, bytes: Buffer): Promise<number> {
  const res = await fetch(`${url}/api/recordings/${recordingId}/segments/0/chunks/${seq}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'audio/webm;codecs=opus' },
    body: new Uint8Array(bytes),
  });
  return res.status;
}

// A real backend process, killed with SIGKILL mid-call (no shutdown code runs), then started again
// on the same data dir.
describe('recordings left open by a server that stopped', { timeout: 90_000 }, () => {
  it('are closed at the next start: marked recovered, open pause closed, audited, assembled; a chunk that waited joins later', async ({ expect, onTestFinished }) => {
    const servers: TestServer[] = [];
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-test-'));
    onTestFinished(async () => {
      await closeSockets();
      for (const s of servers) await s.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    const first = await startTestServer({ dataDir });
    servers.push(first);
    const agent = await connectAgent(first as unknown as TestBackend, 'agent1');
    const customer = await connected(first as unknown as TestBackend, agent, { kind: 'call' });
    const { interactionId } = customer;
    const state = await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === interactionId);
    const recordingId = state.recordingId!;

    // 3 s of audio; the last chunk is still in the app's IndexedDB when the server dies.
    const chunks = byteChunks(opusWebm(440, 3), 1500);
    for (const [seq, bytes] of chunks.slice(0, -1).entries()) expect(await upload(first.url, agent.login.token, recordingId, seq, bytes)).toBe(200);
    agent.ws.send({ type: 'recording.pause', interactionId });
    await nextFrame(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === interactionId && f.paused);
    const killedAt = Date.now();
    const exited = new Promise<NodeJS.Signals | null>((resolve) => first.process.once('exit', (_code, signal) => resolve(signal)));
    first.process.kill('SIGKILL');
    expect(await withTimeout(exited, 10_000, 'exit after SIGKILL')).toBe('SIGKILL');
    await closeSockets();

    const second = await startTestServer({ dataDir });
    servers.push(second);
    const supervisor = await login(second.url, 'super1');
    const read = async (): Promise<Json> => (await api(second.url, `/api/recordings/${recordingId}`, { token: supervisor.token })).body;
    await expect.poll(async () => (await read()).assembly, { timeout: 20_000 }).toBe('single');
    const meta = await read();
    expect(meta).toMatchObject({ status: 'closed', recovered: true, chunks: chunks.length - 1, missingChunks: 0 });
    // It ends where its evidence ends (the pause began after the last chunk), not at the restart.
    expect(Date.parse(meta.endedAt)).toBeGreaterThanOrEqual(Date.parse(meta.startedAt));
    expect(Date.parse(meta.endedAt)).toBeLessThanOrEqual(killedAt);
    expect(meta.pauses).toHaveLength(1);
    expect(meta.pauses[0].endedAt).toBe(meta.endedAt);

    const admin = await login(second.url, 'admin');
    const audit = (await api(second.url, '/api/audit?action=recording.recovered', { token: admin.token })).body.entries as Json[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ target: recordingId, actorName: null, details: { recordingId, interactionId, reason: 'server_stopped', chunks: chunks.length - 1, pauseClosed: true } });
    expect((await api(second.url, '/api/audit/verify', { token: admin.token })).body.intact).toBe(true);

    // The app's session survives the restart; its waiting chunk joins the recovered recording.
    expect(await upload(second.url, agent.login.token, recordingId, chunks.length - 1, chunks.at(-1)!)).toBe(200);
    const res = await fetch(`${second.url}/api/recordings/${recordingId}/audio`, { headers: { authorization: `Bearer ${supervisor.token}` } });
    expect(res.status).toBe(200);
    const data = Buffer.from(await res.arrayBuffer());
    const file = path.join(dataDir, 'fetched.webm');
    fs.writeFileSync(file, data);
    const report = inspectWebm(file, data);
    expect(report.ebmlHeaders).toBe(1);
    expect(Math.abs(report.decodedSeconds - 3)).toBeLessThan(0.1);

    // The next start finds nothing left open: recovered once.
    await second.stop();
    const third = await startTestServer({ dataDir });
    servers.push(third);
    const again = await login(third.url, 'admin');
    expect((await api(third.url, '/api/audit?action=recording.recovered', { token: again.token })).body.entries).toHaveLength(1);
  });
});
