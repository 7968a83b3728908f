import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Purger } from '../../server/modules/privacy/purge/purger';
import { ChangeLog } from '../../server/modules/sync/change-log';
import { seedHistory } from '../../server/modules/sync/history-seed';
import { api, login, type TestBackend } from './helpers';
import { connectAgent, GENERAL, startInteractionsBackend } from './interactions-support';
import { finishedRecordedCall } from './privacy-support';
import { onPostgres } from '../support/test-database';
import { RECORDING_STORES, recordingStore, type RecordingStoreUnderTest } from '../support/recording-stores';

describe('purge toolkit through the admin erase (POST /api/interactions/:id/erase)', () => {
  let server: TestBackend;
  let store: RecordingStoreUnderTest | undefined;
  afterEach(async () => {
    await server?.close();
    await store?.stop();
    store = undefined;
  });

  it.each(RECORDING_STORES)('removes the recording too (%s store): rows, pauses, chunk and assembled files; a supervisor lists nothing and the audio is 404', async (kind) => {
    store = await recordingStore(kind);
    server = await startInteractionsBackend(store.config);
    const agent = await connectAgent(server, 'agent1');
    const { interactionId, recordingId } = await finishedRecordedCall(server, agent, { name: 'Rowan Recorded', email: 'rowan@example.test' }, 'called about the invoice');
    const supervisor = await login(server.url, 'super1');
    const admin = await login(server.url, 'admin');
    expect((await api(server.url, `/api/recordings?interactionId=${interactionId}`, { token: supervisor.token })).body.recordings).toHaveLength(1);
    expect((await api(server.url, `/api/recordings/${recordingId}/audio`, { token: supervisor.token })).status).toBe(200);
    expect(await store.names(server.dataDir, recordingId)).toEqual([...['0000000', '0000001', '0000002'].map((c) => `${recordingId}.chunks/${c}`), `${recordingId}.webm`]);

    const erased = await api(server.url, `/api/interactions/${interactionId}/erase`, { method: 'POST', token: admin.token });
    expect(erased).toMatchObject({ status: 200, body: { interactionId } });

    expect((await api(server.url, `/api/recordings?interactionId=${interactionId}`, { token: supervisor.token })).body.recordings).toEqual([]);
    expect((await api(server.url, `/api/recordings/${recordingId}/audio`, { token: supervisor.token })).status).toBe(404);
    expect(await store.names(server.dataDir, recordingId)).toEqual([]);
    const k = server.db.kysely;
    expect(await k.selectFrom('recording_chunks').select('seq').where('recording_id', '=', recordingId).execute()).toEqual([]);
    expect(await k.selectFrom('timeline').select('id').where('interaction_id', '=', interactionId).execute()).toEqual([]);
    // Its offer records (with the agents' ids) go with the rest of the interaction's data.
    expect(await k.selectFrom('offers').select('id').where('interaction_id', '=', interactionId).execute()).toEqual([]);
    const row = await k.selectFrom('interactions').select(['customer_name', 'customer_email', 'notes', 'customer_token_hash']).where('id', '=', interactionId).executeTakeFirstOrThrow();
    expect(row).toEqual({ customer_name: null, customer_email: null, notes: null, customer_token_hash: null });
    // SQLite: the WAL was checkpointed and truncated after the purge (scrub). PostgreSQL has no
    // such file here (its WAL belongs to the database server, docs/operations.md): the rows above are gone.
    if (onPostgres()) expect(fs.existsSync(path.join(server.dataDir, 'veildesk.sqlite-wal'))).toBe(false);
    else expect(fs.statSync(path.join(server.dataDir, 'veildesk.sqlite-wal')).size).toBeLessThan(64 * 1024);
    const purged = await api(server.url, '/api/audit?action=interaction.erased', { token: admin.token });
    expect(purged.body.entries).toEqual([expect.objectContaining({ actorName: 'admin', details: expect.objectContaining({ interactionId, recordings: 1, messages: 0 }) })]);
    expect(purged.body.entries[0].details.stores).toEqual(expect.arrayContaining([{ store: 'recording-files', done: 1 }, { store: 'recording_chunks', done: 3 }, { store: 'timeline', done: expect.any(Number) }]));
    expect(JSON.stringify(purged.body)).not.toContain('rowan');
  });
});

describe('Purger by retention class (what the retention job calls)', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('transcripts only: messages and wrap-up notes go, contact fields and the interaction stay; apps get message tombstones and the wrap-up again without notes', async () => {
    server = await startInteractionsBackend();
    const agent = await login(server.url, 'agent1');
    const { interactionIds } = await seedHistory(server.db, { agentId: agent.user.id, queueId: GENERAL, interactions: 3, messages: 12 });
    const [old, other] = interactionIds as [string, string];
    const k = server.db.kysely;
    const purger = new Purger({ db: server.db, log: new ChangeLog() });
    expect(purger.stores(['transcripts'])).toEqual(['messages', 'sync_notes', 'evaluations', 'interactions', 'sync_changes']);

    const report = await purger.purge([old, 'no-such-interaction'], ['transcripts'], { actor: null, reason: 'retention' });
    expect(report.scrubbed).toBe(true);
    expect(report.stores).toEqual([
      { store: 'messages', found: 4, done: 4 },
      { store: 'sync_notes', found: 0, done: 0 },
      { store: 'evaluations', found: 0, done: 0 },
      { store: 'interactions', found: 1, done: 1 },
      { store: 'sync_changes', found: 5, done: 5 },
    ]);
    expect(await k.selectFrom('messages').select('id').where('interaction_id', '=', old).execute()).toEqual([]);
    expect(await k.selectFrom('interactions').select(['customer_name', 'notes', 'disposition']).where('id', '=', old).executeTakeFirstOrThrow()).toMatchObject({ customer_name: expect.any(String), notes: null, disposition: 'Resolved' });
    const log = await k.selectFrom('sync_changes').select(['kind', 'op', 'reason']).where('interaction_id', '=', old).execute();
    expect(log.filter((c) => c.kind === 'message').every((c) => c.op === 'tombstone' && c.reason === 'erased')).toBe(true);
    expect(log.find((c) => c.kind === 'wrapup')).toMatchObject({ op: 'upsert' });
    expect(log.find((c) => c.kind === 'interaction')).toMatchObject({ op: 'upsert' });
    expect(log.find((c) => c.kind === 'contact')).toMatchObject({ op: 'upsert' });
    // The other interaction is untouched.
    expect((await k.selectFrom('messages').select('id').where('interaction_id', '=', other).execute()).length).toBe(4);

    // Contacts then: the fields are cleared and the contact record is tombstoned; the interaction stays in the apps.
    const contacts = await purger.purge([old], ['contacts'], { actor: null, reason: 'retention' });
    expect(contacts.stores.find((s) => s.store === 'interactions')).toEqual({ store: 'interactions', found: 1, done: 1 });
    expect(await k.selectFrom('interactions').select(['customer_name', 'customer_email', 'customer_token_hash']).where('id', '=', old).executeTakeFirstOrThrow()).toEqual({ customer_name: null, customer_email: null, customer_token_hash: null });
    const after = await k.selectFrom('sync_changes').select(['kind', 'op']).where('interaction_id', '=', old).execute();
    expect(after.find((c) => c.kind === 'contact')).toMatchObject({ op: 'tombstone' });
    expect(after.find((c) => c.kind === 'interaction')).toMatchObject({ op: 'upsert' });
  });
});
