import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../shared/api/ws';
import { ChangeLog } from '../../server/modules/sync/change-log';
import { PrivacyExporter } from '../../server/modules/privacy/export/privacy-exporter';
import { ExportArchives } from '../../server/modules/privacy/export/export-archives';
import { Purger } from '../../server/modules/privacy/purge/purger';
import { createRecordingStorage } from '../../server/modules/recordings/storage/create-storage';
import { api, login, nextFrame, type TestBackend } from './helpers';
import { agent1ConnectedThenAgent2, startInteractionsBackend } from './interactions-support';
import { endWithWrapup, executorContext, readZip } from './privacy-export-support';

/** The consults table (migration 033) under the privacy rules: exported, erased and purged by age with the call. */

const isConsult = (state: string) => (f: ServerMessage) => f.type === 'consult.state' && f.consult.state === state;

describe('consult records and privacy', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  /** A call agent1 hands to agent2 through a completed consult, then a second consult on the same call, cancelled; agent2 wraps up. */
  async function consultedCall(): Promise<string> {
    server = await startInteractionsBackend();
    const { agent1, customer, agent2 } = await agent1ConnectedThenAgent2(server);
    const id = customer.interactionId;
    agent1.ws.send({ type: 'consult.start', interactionId: id, toUserId: agent2.id });
    const ringing = await nextFrame(agent2.ws, isConsult('ringing'));
    const consultId = ringing.type === 'consult.state' ? ringing.consult.id : '';
    agent2.ws.send({ type: 'consult.accept', consultId });
    await nextFrame(agent1.ws, isConsult('talking'));
    agent1.ws.send({ type: 'consult.complete', consultId });
    await nextFrame(agent2.ws, isConsult('completed'));
    agent2.ws.send({ type: 'consult.start', interactionId: id, toUserId: agent1.id });
    const second = await nextFrame(agent1.ws, isConsult('ringing'));
    agent1.ws.send({ type: 'consult.cancel', consultId: second.type === 'consult.state' ? second.consult.id : '' });
    await nextFrame(agent2.ws, isConsult('cancelled'));
    await endWithWrapup(agent2, id, 'handed over');
    return id;
  }

  it('an export holds consults.json (when, state, outcome; no staff ids); an erase deletes the rows', async () => {
    const id = await consultedCall();
    const k = server.db.kysely;
    expect(await k.selectFrom('consults').select(['state', 'outcome']).where('interaction_id', '=', id).orderBy('started_at').execute()).toEqual([
      { state: 'talking', outcome: 'completed' },
      { state: 'ringing', outcome: 'declined' },
    ]);

    const archives = new ExportArchives(server.dataDir);
    const ctx = executorContext([id]);
    await new PrivacyExporter({ db: server.db, archives, audio: createRecordingStorage(server.config, null) }).run(ctx);
    const entries = await readZip(archives.pathOf(ctx.requestId), (name) => !name.endsWith('.webm'));
    const doc = JSON.parse(entries.get(`interactions/${id}/consults.json`)!.data!.toString('utf8')) as { consults: Record<string, unknown>[] };
    expect(doc.consults).toEqual([
      { startedAt: expect.any(String), endedAt: expect.any(String), state: 'talking', outcome: 'completed' },
      { startedAt: expect.any(String), endedAt: expect.any(String), state: 'ringing', outcome: 'declined' },
    ]);
    const manifest = JSON.parse(entries.get('manifest.json')!.data!.toString('utf8')) as { counts: Record<string, number> };
    expect(manifest.counts.consults).toBe(2);

    const admin = await login(server.url, 'admin');
    expect(await api(server.url, `/api/interactions/${id}/erase`, { method: 'POST', token: admin.token })).toMatchObject({ status: 200 });
    expect(await k.selectFrom('consults').select('id').where('interaction_id', '=', id).execute()).toEqual([]);
  });

  it('the interactions retention class purges them', async () => {
    const id = await consultedCall();
    const purger = new Purger({ db: server.db, log: new ChangeLog() });
    expect(purger.stores(['interactions'])).toContain('consults');
    const report = await purger.purge([id], ['interactions'], { actor: null, reason: 'retention' });
    expect(report.stores.find((s) => s.store === 'consults')).toEqual({ store: 'consults', found: 2, done: 2 });
    expect(await server.db.kysely.selectFrom('consults').select('id').where('interaction_id', '=', id).execute()).toEqual([]);
  });
});
