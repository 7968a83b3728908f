import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import { api, login, nextFrame, type Json, type TestBackend } from './helpers';
import { connected, type Agent } from './interactions-support';

/** Shared by the recording-integrity*.test.ts files: uploads, a recorded call, audit reads, file walks. */

type StateFrame = ServerMessageOf<'recording.state'>;

export async function upload(url: string, token: string, recordingId: string, segment: number, seq: number, bytes: Buffer) {
  const res = await fetch(`${url}/api/recordings/${recordingId}/segments/${segment}/chunks/${seq}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'audio/webm;codecs=opus' },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

export async function recordedCall(server: TestBackend, agent: Agent) {
  const customer = await connected(server, agent, { kind: 'call' });
  const state = await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === customer.interactionId);
  expect(state.recording).toBe(true);
  return { interactionId: customer.interactionId, recordingId: state.recordingId! };
}

/** Ends the call from the agent's side; the server closes the recording. */
export async function endCall(agent: Agent, interactionId: string): Promise<void> {
  agent.ws.send({ type: 'interaction.end', interactionId });
  await nextFrame(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === interactionId && !f.recording);
}

export async function auditEntries(server: TestBackend, action: string): Promise<Json[]> {
  const admin = await login(server.url, 'admin');
  return (await api(server.url, `/api/audit?action=${encodeURIComponent(action)}&limit=500`, { token: admin.token })).body.entries as Json[];
}

export async function fetchAudio(url: string, recordingId: string, headers: Record<string, string> = {}) {
  const supervisor = await login(url, 'super1');
  const res = await fetch(`${url}/api/recordings/${recordingId}/audio`, { headers: { authorization: `Bearer ${supervisor.token}`, ...headers } });
  const data = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, data };
}

/** Writes bytes to a temp file for ffprobe. */
export function tempFile(data: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-rec-')), 'audio.webm');
  fs.writeFileSync(file, data);
  return file;
}

/** Every folder and file under `root` (itself included) with its permission bits. */
export function modesUnder(root: string): { path: string; dir: boolean; mode: number }[] {
  const out: { path: string; dir: boolean; mode: number }[] = [];
  const walk = (p: string) => {
    const st = fs.statSync(p);
    out.push({ path: path.relative(root, p) || '.', dir: st.isDirectory(), mode: st.mode & 0o777 });
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
  };
  walk(root);
  return out;
}
