import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetentionPreview } from '../../shared/api/retention';
import type { SyncChange } from '../../shared/api/sync';
import { AuditAction } from '../../server/modules/audit/actions';
import { api, login, nextFrame, startBackend, testClock, type Json, type TestBackend } from './helpers';
import { connectAgent, INTERACTION_DEFAULTS, type Agent } from './interactions-support';
import { finishedRecordedCall } from './privacy-support';
import { closedChat, countOf, DAY_MS, KEEP_ALL, preview, savePolicy } from './retention-support';
import { applyChanges, live, pullAll } from './sync-support';
import { RECORDING_STORES, recordingStore, type RecordingStoreUnderTest } from '../support/recording-stores';

const messagesOf = async (server: TestBackend, id: string): Promise<string[]> =>
  (await server.db.kysely.selectFrom('messages').select('text').where('interaction_id', '=', id).orderBy('seq').execute()).map((r) => r.text);

/** Issue 14 and 15: the job purges by age through the erase path's purge, with tombstones to agents' local data. */
// On both recordings stores: the recording's files, or its objects in the bucket, go with it.
describe.each(RECORDING_STORES)('retention purges by age (%s store)', (kind) => {
  let server: TestBackend;
  let store: RecordingStoreUnderTest;
  let agent: Agent;
  let admin: string;
  const clock = testClock();
  /** What agent1's local data holds, kept up to date by pulling like the app does. */
  let local: Map<string, SyncChange>;
  let cursor: string;
  let old: string;
  let oldSensitive: string;
  let recorded: { interactionId: string; recordingId: string };

  const pull = async (): Promise<SyncChange[]> => {
    const page = await pullAll(server.url, agent.login.token, cursor);
    cursor = page.cursor;
    applyChanges(page.changes, local);
    return page.changes;
  };

  beforeAll(async () => {
    store = await recordingStore(kind);
    server = await startBackend({ ...INTERACTION_DEFAULTS, ...store.config }, { now: clock.now });
    admin = (await login(server.url, 'admin')).token;
    agent = await connectAgent(server, 'agent1');
    await savePolicy(server, admin, { ...KEEP_ALL, transcriptsDays: 30, sensitiveTranscriptsDays: 10 });
    old = await closedChat(server, agent, { texts: ['my parcel never came', 'order 5521'] });
    recorded = await finishedRecordedCall(server, agent, { name: 'Rita Recorded', email: 'rita@example.com' }, 'called about a refund');
    local = new Map();
    cursor = '0';
    await pull();
    expect(live(local, 'message').filter((m) => m.interactionId === old)).toHaveLength(2);
  });
  afterAll(async () => {
    await server.close();
    await store.stop();
  });

  it("with the clock moved 31 days and transcripts kept 30, the old chat's messages go on the server and from the connected agent's local data; newer ones stay", async () => {
    clock.advance(31 * DAY_MS);
    const newer = await closedChat(server, agent, { texts: ['a question from today'] });
    await pull();

    const nudges = agent.ws.frames.filter((f) => f.type === 'sync.nudge').length;
    const run = await server.retention.runNow();
    expect(countOf(run, 'transcripts', 'messages')).toBe(2);
    expect(countOf(run, 'transcripts', 'interactions')).toBe(2); // the chat's and the call's wrap-up notes
    expect(await messagesOf(server, old)).toEqual([]);
    expect(await messagesOf(server, newer)).toEqual(['a question from today']);

    // The connected agent is told (sync.nudge) and its pull brings tombstones for exactly the old lines.
    await nextFrame(agent.ws, (f) => f.type === 'sync.nudge' && agent.ws.frames.filter((x) => x.type === 'sync.nudge').length > nudges);
    const changes = await pull();
    const tombstones = changes.filter((c) => c.op === 'tombstone' && c.kind === 'message');
    expect(tombstones).toHaveLength(2);
    expect(tombstones.every((c) => c.interactionId === old && c.op === 'tombstone' && c.reason === 'erased')).toBe(true);
    expect(live(local, 'message').map((m) => m.interactionId)).toEqual([newer]);
    // The interaction itself stays in the agent's history (its details are kept): only its words went.
    expect(live(local, 'interaction').map((i) => i.id).sort()).toEqual([old, recorded.interactionId, newer].sort());
    const wrapup = live(local, 'wrapup').find((w) => w.id === old);
    expect(wrapup?.data).toMatchObject({ disposition: 'Resolved', notes: '' });
    const history = await api(server.url, `/api/interactions/${old}`, { token: agent.login.token });
    expect(history.status).toBe(200);
    expect(history.body.messages).toEqual([]);

    // Audited with counts only.
    const purged = await api(server.url, `/api/audit?action=${AuditAction.retentionPurged}&limit=10`, { token: admin });
    expect(purged.body.entries).toHaveLength(1);
    const details = JSON.stringify(purged.body.entries[0].details);
    expect(details).toContain('"store":"messages"');
    expect(details).not.toContain('parcel');

    // A second run finds nothing left to do.
    const again = await server.retention.runNow();
    expect(again.classes.flatMap((c) => c.stores).every((s) => s.count === 0)).toBe(true);
  });

  it("a sensitive interaction's transcript follows the shorter sensitive retention; an unmarked one of the same age stays", async () => {
    oldSensitive = await closedChat(server, agent, { texts: ['about my diagnosis'], sensitive: true });
    const plain = await closedChat(server, agent, { texts: ['about my invoice'] });
    await pull();
    clock.advance(11 * DAY_MS);
    const run = await server.retention.runNow();
    expect(countOf(run, 'sensitiveTranscripts', 'messages')).toBe(1);
    expect(countOf(run, 'transcripts', 'messages')).toBe(0);
    expect(await messagesOf(server, oldSensitive)).toEqual([]);
    expect(await messagesOf(server, plain)).toEqual(['about my invoice']);
    await pull();
    expect(live(local, 'message').some((m) => m.interactionId === oldSensitive)).toBe(false);
    expect(live(local, 'message').some((m) => m.interactionId === plain)).toBe(true);
  });

  it('recordings older than recordingsDays go with their files; contact fields by contactsDays', async () => {
    const files = () => store.names(server.dataDir, recorded.recordingId);
    expect((await files()).length).toBe(4); // 3 chunks and the assembled file
    const policy = { ...KEEP_ALL, transcriptsDays: 30, sensitiveTranscriptsDays: 10, recordingsDays: 40, contactsDays: 40 };
    const due = await preview(server, admin, policy);
    expect(countOf(due, 'recordings', 'recordings')).toBe(1);
    expect(countOf(due, 'recordings', 'recording-files')).toBe(1);
    expect(countOf(due, 'recordings', 'recording_chunks')).toBe(3);
    expect(countOf(due, 'contacts', 'interactions')).toBe(2);
    // Saving applies the policy at once (a run after the save); runNow waits for it.
    await savePolicy(server, admin, policy);
    await server.retention.runNow();
    const entries = (await api(server.url, `/api/audit?action=${AuditAction.retentionPurged}&limit=10`, { token: admin })).body.entries as Json[];
    const run = entries.at(-1).details as RetentionPreview;
    expect(countOf(run, 'recordings', 'recordings')).toBe(1);
    expect(countOf(run, 'recordings', 'recording-files')).toBe(1);
    expect(countOf(run, 'recordings', 'recording_chunks')).toBe(3);
    expect(await files()).toEqual([]);
    expect(await server.db.kysely.selectFrom('recordings').select('id').where('id', '=', recorded.recordingId).execute()).toEqual([]);
    const listed = await api(server.url, `/api/recordings?interactionId=${recorded.interactionId}`, { token: admin });
    expect(JSON.stringify(listed.body)).not.toContain(recorded.recordingId);

    // The call and the first chat are 42 days old: their contact fields are cleared, here and in the local data.
    expect(countOf(run, 'contacts', 'interactions')).toBe(2);
    const row = await server.db.kysely.selectFrom('interactions').select(['customer_name', 'customer_email']).where('id', '=', recorded.interactionId).executeTakeFirstOrThrow();
    expect(row).toEqual({ customer_name: null, customer_email: null });
    await pull();
    const contacts = live(local, 'contact').map((c) => c.id);
    expect(contacts).not.toContain(recorded.interactionId);
    expect(contacts).not.toContain(old);
    expect(contacts).toContain(oldSensitive); // 11 days old
  });

  it('the audit log still verifies after the purges', async () => {
    const verify = await api(server.url, '/api/audit/verify', { token: admin });
    expect(verify.body as Json).toMatchObject({ intact: true });
  });
});
