import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, login, type TestBackend } from './helpers';
import { connectAgent, startInteractionsBackend } from './interactions-support';
import { finishedRecordedCall } from './privacy-support';

describe('purge toolkit through the admin erase (POST /api/interactions/:id/erase)', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('removes the recording too: rows, pauses, chunk and assembled files; a supervisor lists nothing and the audio is 404', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const { interactionId, recordingId } = await finishedRecordedCall(server, agent, { name: 'Rowan Recorded', email: 'rowan@example.test' }, 'called about the invoice');
    const supervisor = await login(server.url, 'super1');
    const admin = await login(server.url, 'admin');
    const dir = path.join(server.dataDir, 'recordings');
    expect((await api(server.url, `/api/recordings?interactionId=${interactionId}`, { token: supervisor.token })).body.recordings).toHaveLength(1);
    expect((await api(server.url, `/api/recordings/${recordingId}/audio`, { token: supervisor.token })).status).toBe(200);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(recordingId))).not.toEqual([]);

    const erased = await api(server.url, `/api/interactions/${interactionId}/erase`, { method: 'POST', token: admin.token });
    expect(erased).toMatchObject({ status: 200, body: { interactionId } });

    expect((await api(server.url, `/api/recordings?interactionId=${interactionId}`, { token: supervisor.token })).body.recordings).toEqual([]);
    expect((await api(server.url, `/api/recordings/${recordingId}/audio`, { token: supervisor.token })).status).toBe(404);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(recordingId))).toEqual([]);
    const k = server.db.kysely;
    expect(await k.selectFrom('recording_chunks').select('seq').where('recording_id', '=', recordingId).execute()).toEqual([]);
    expect(await k.selectFrom('timeline').select('id').where('interaction_id', '=', interactionId).execute()).toEqual([]);
    const row = await k.selectFrom('interactions').select(['customer_name', 'customer_email', 'notes', 'customer_token_hash']).where('id', '=', interactionId).executeTakeFirstOrThrow();
    expect(row).toEqual({ customer_name: null, customer_email: null, notes: null, customer_token_hash: null });
    // The WAL was checkpointed and truncated after the purge.
    expect(fs.statSync(path.join(server.dataDir, 'veildesk.sqlite-wal')).size).toBeLessThan(64 * 1024);
    const purged = await api(server.url, '/api/audit?action=interaction.erased', { token: admin.token });
    expect(purged.body.entries).toEqual([expect.objectContaining({ actorName: 'admin', details: expect.objectContaining({ interactionId, recordings: 1, messages: 0 }) })]);
    expect(purged.body.entries[0].details.stores).toEqual(expect.arrayContaining([{ store: 'recording-files', done: 1 }, { store: 'recording_chunks', done: 3 }, { store: 'timeline', done: expect.any(Number) }]));
    expect(JSON.stringify(purged.body)).not.toContain('rowan');
  });
});
