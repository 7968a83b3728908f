import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import { AuditAction } from '../../server/modules/audit/actions';
import { api, login, nextFrame, type Json, type TestBackend } from './helpers';
import { connectAgent, connected, startInteractionsBackend, type Agent } from './interactions-support';

/** Issue 15: a recorded call marked sensitive: metadata and audio only for its agent, super1 (permission) and admins, each read audited. */
describe('recordings of a sensitive call', () => {
  let server: TestBackend;
  let agent: Agent;
  let interactionId: string;
  let recordingId: string;
  const tokens: Record<string, string> = {};

  const reads = async (): Promise<Json[]> => (await api(server.url, `/api/audit?action=${AuditAction.interactionSensitiveRead}&limit=500`, { token: tokens.admin })).body.entries;

  beforeAll(async () => {
    server = await startInteractionsBackend();
    agent = await connectAgent(server, 'agent1');
    for (const name of ['agent2', 'super1', 'super2', 'admin']) tokens[name] = (await login(server.url, name)).token;
    tokens.agent1 = agent.login.token;
    interactionId = (await connected(server, agent, { kind: 'call' })).interactionId;
    const state = await nextFrame<ServerMessageOf<'recording.state'>>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === interactionId);
    recordingId = state.recordingId!;
    const chunk = await fetch(`${server.url}/api/recordings/${recordingId}/segments/0/chunks/0`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.agent1}`, 'content-type': 'audio/webm' },
      body: new Uint8Array(Buffer.from('webm-bytes')),
    });
    expect(chunk.status).toBe(200);
    agent.ws.send({ type: 'interaction.end', interactionId });
    expect((await api(server.url, `/api/recordings/${recordingId}/close`, { token: tokens.agent1, json: { lastSeq: 0 } })).status).toBe(200);
    expect((await api(server.url, `/api/interactions/${interactionId}/sensitive`, { token: tokens.agent1, json: { category: 'criminal' } })).status).toBe(200);
  });
  afterAll(() => server.close());

  it('super2 (no permission) and another agent get 403 for the metadata, the list and the audio', async () => {
    for (const who of ['super2', 'agent2']) {
      expect((await api(server.url, `/api/recordings/${recordingId}`, { token: tokens[who] })).status).toBe(403);
      expect((await api(server.url, `/api/recordings/${recordingId}/audio`, { token: tokens[who] })).status).toBe(403);
    }
    expect((await api(server.url, `/api/recordings?interactionId=${interactionId}`, { token: tokens.super2 })).status).toBe(403);
    expect(await reads()).toHaveLength(0);
  });

  it('super1, admin and the agent read it, each read audited with ids only', async () => {
    expect((await api(server.url, `/api/recordings/${recordingId}`, { token: tokens.agent1 })).status).toBe(200);
    expect((await api(server.url, `/api/recordings?interactionId=${interactionId}`, { token: tokens.super1 })).body.recordings).toHaveLength(1);
    const played = await api(server.url, `/api/recordings/${recordingId}/audio`, { token: tokens.super1 });
    expect(played.status).toBe(200);
    expect(played.body).toBe('webm-bytes');
    expect((await api(server.url, `/api/recordings/${recordingId}/audio?download=1`, { token: tokens.admin })).status).toBe(200);

    const entries = await reads();
    expect(entries.map((e: Json) => [e.actorName, e.details.what])).toEqual([
      ['agent1', 'recording_metadata'],
      ['super1', 'recording_metadata'],
      ['super1', 'recording_audio'],
      ['admin', 'recording_audio'],
    ]);
    expect(entries[2]).toMatchObject({ target: interactionId, details: { interactionId, recordingId } });
  });
});
