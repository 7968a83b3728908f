import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditAction } from '../../server/modules/audit/actions';
import { DEMO_RETENTION_POLICY } from '../../server/modules/retention/retention-service';
import { api, login, startBackend, testClock, type Json, type TestBackend } from './helpers';
import { connectAgent, INTERACTION_DEFAULTS, type Agent } from './interactions-support';
import { closedChat, countOf, DAY_MS, KEEP_ALL, preview, savePolicy } from './retention-support';

const POLICY = '/api/admin/retention-policy';

describe('retention policy API', () => {
  let server: TestBackend;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    server = await startBackend();
    for (const name of ['agent1', 'super1', 'admin']) tokens[name] = (await login(server.url, name)).token;
  });
  afterAll(() => server.close());

  it("admins read the demo org's defaults; agents and supervisors get 403, no token 401", async () => {
    const res = await api(server.url, POLICY, { token: tokens.admin });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(DEMO_RETENTION_POLICY);
    expect(res.body).toEqual({ transcriptsDays: 365, sensitiveTranscriptsDays: 90, recordingsDays: 180, contactsDays: 365, interactionsDays: null, auditDays: 730 });
    for (const who of ['agent1', 'super1']) {
      expect((await api(server.url, POLICY, { token: tokens[who] })).status).toBe(403);
      expect((await api(server.url, POLICY, { method: 'PUT', token: tokens[who], json: DEMO_RETENTION_POLICY })).status).toBe(403);
      expect((await api(server.url, `${POLICY}/preview`, { token: tokens[who], json: DEMO_RETENTION_POLICY })).status).toBe(403);
    }
    expect((await api(server.url, POLICY)).status).toBe(401);
  });

  it('refuses an audit log kept under 365 days, unknown fields and bad day counts with 400s that say what to do; nothing is saved', async () => {
    const short = await api(server.url, POLICY, { method: 'PUT', token: tokens.admin, json: { ...DEMO_RETENTION_POLICY, auditDays: 364 } });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toContain('auditDays');
    expect(short.body.error.message).toContain('at least 365 days');
    expect(short.body.error.issues).toEqual([{ path: 'auditDays', message: expect.stringContaining('365 or more') }]);

    const unknown = await api(server.url, POLICY, { method: 'PUT', token: tokens.admin, json: { ...DEMO_RETENTION_POLICY, chatDays: 3 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('chatDays');

    const zero = await api(server.url, POLICY, { method: 'PUT', token: tokens.admin, json: { ...DEMO_RETENTION_POLICY, transcriptsDays: 0 } });
    expect(zero.status).toBe(400);
    expect(zero.body.error.issues).toEqual([{ path: 'transcriptsDays', message: expect.stringContaining('at least 1 day') }]);

    const missing = await api(server.url, POLICY, { method: 'PUT', token: tokens.admin, json: { transcriptsDays: 30 } });
    expect(missing.status).toBe(400);
    const previewShort = await api(server.url, `${POLICY}/preview`, { token: tokens.admin, json: { ...DEMO_RETENTION_POLICY, auditDays: 100 } });
    expect(previewShort.status).toBe(400);

    expect((await api(server.url, POLICY, { token: tokens.admin })).body).toEqual(DEMO_RETENTION_POLICY);
  });

  it('a saved policy is stored and returned from then on, and each change is audited with before and after', async () => {
    const next = { ...DEMO_RETENTION_POLICY, transcriptsDays: 30, recordingsDays: null, auditDays: 365 };
    const saved = await api(server.url, POLICY, { method: 'PUT', token: tokens.admin, json: next });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual(next);
    expect((await api(server.url, POLICY, { token: tokens.admin })).body).toEqual(next);
    // Stored, not only cached: a fresh read of the row gives it back.
    const row = await server.db.kysely.selectFrom('retention_policy').select(['policy', 'updated_by']).executeTakeFirstOrThrow();
    expect(JSON.parse(row.policy)).toEqual(next);
    expect(row.updated_by).toBe('admin');

    await savePolicy(server, tokens.admin!, { ...next, contactsDays: 200 });
    const audit = await api(server.url, `/api/audit?action=${AuditAction.retentionPolicyChanged}&limit=50`, { token: tokens.admin });
    expect(audit.body.entries.map((e: Json) => [e.actorName, e.target, e.details])).toEqual([
      ['admin', 'retention-policy', { before: DEMO_RETENTION_POLICY, after: next }],
      ['admin', 'retention-policy', { before: next, after: { ...next, contactsDays: 200 } }],
    ]);
  });
});

describe('retention preview and the audit log', () => {
  let server: TestBackend;
  let agent: Agent;
  let admin: string;
  const clock = testClock();
  let plain: string;
  let sensitive: string;

  beforeAll(async () => {
    server = await startBackend(INTERACTION_DEFAULTS, { now: clock.now });
    admin = (await login(server.url, 'admin')).token;
    agent = await connectAgent(server, 'agent1');
    plain = await closedChat(server, agent, { texts: ['first question', 'second question'] });
    sensitive = await closedChat(server, agent, { texts: ['about my diagnosis'], sensitive: true });
    await savePolicy(server, admin, KEEP_ALL);
  });
  afterAll(() => server.close());
  afterEach(() => savePolicy(server, admin, KEEP_ALL));

  it('counts per class and store what a policy would purge now, without saving it or purging anything', async () => {
    const policy = { ...KEEP_ALL, transcriptsDays: 30, sensitiveTranscriptsDays: 7, contactsDays: 60, recordingsDays: 30, interactionsDays: 30 };
    // Today nothing is 30 days old.
    const today = await preview(server, admin, policy);
    expect(today.classes.flatMap((c) => c.stores).every((s) => s.count === 0)).toBe(true);
    expect(today.classes.map((c) => c.retention)).toEqual(['transcripts', 'sensitiveTranscripts', 'recordings', 'contacts', 'interactions', 'audit']);

    clock.advance(31 * DAY_MS);
    const later = await preview(server, admin, policy);
    expect(Date.parse(later.at) - Date.now()).toBeGreaterThan(30 * DAY_MS);
    // The plain chat's two lines and wrap-up note; the sensitive one's line and note (7 days applies to it).
    expect(countOf(later, 'transcripts', 'messages')).toBe(2);
    expect(countOf(later, 'transcripts', 'interactions')).toBe(1); // the wrap-up note
    expect(countOf(later, 'sensitiveTranscripts', 'messages')).toBe(1);
    expect(countOf(later, 'sensitiveTranscripts', 'interactions')).toBe(1);
    // Contacts are kept 60 days: not yet.
    expect(countOf(later, 'contacts', 'interactions')).toBe(0);
    // Interactions' remaining details: each chat's timeline.
    const timeline = await server.db.kysely.selectFrom('timeline').select((eb) => eb.fn.countAll<number>().as('n')).where('interaction_id', 'in', [plain, sensitive]).executeTakeFirstOrThrow();
    expect(countOf(later, 'interactions', 'timeline')).toBe(Number(timeline.n));
    expect(Number(timeline.n)).toBeGreaterThan(2);
    expect(countOf(later, 'recordings', 'recordings')).toBe(0);
    expect(later.classes.find((c) => c.retention === 'recordings')?.stores.map((s) => s.store)).toContain('recording-files');

    // A longer general setting leaves the plain chat, the sensitive one follows its own shorter one.
    const split = await preview(server, admin, { ...policy, transcriptsDays: 60, sensitiveTranscriptsDays: 30 });
    expect(countOf(split, 'transcripts', 'messages')).toBe(0);
    expect(countOf(split, 'sensitiveTranscripts', 'messages')).toBe(1);
    // A sensitive transcript is never kept longer than any transcript.
    const longer = await preview(server, admin, { ...policy, transcriptsDays: 30, sensitiveTranscriptsDays: 90 });
    expect(countOf(longer, 'sensitiveTranscripts', 'messages')).toBe(1);

    // Nothing was saved or purged by previewing.
    expect((await api(server.url, POLICY, { token: admin })).body).toEqual(KEEP_ALL);
    for (const id of [plain, sensitive]) {
      const n = await server.db.kysely.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('interaction_id', '=', id).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBeGreaterThan(0);
    }
  });

  it('purges audit entries older than auditDays and GET /api/audit/verify still passes; a forged anchor does not', async () => {
    const before = await api(server.url, '/api/audit/verify', { token: admin });
    expect(before.body.intact).toBe(true);
    const oldest = await server.db.kysely.selectFrom('audit_log').select(['id', 'at']).orderBy('id').executeTakeFirstOrThrow();

    // A year and a bit later, one more entry (the policy change) is recent; the rest are older than 365 days.
    clock.advance(400 * DAY_MS);
    const p = await preview(server, admin, { ...KEEP_ALL, auditDays: 365 });
    const due = countOf(p, 'audit', 'audit_log');
    expect(due).toBeGreaterThan(10);
    // Saving runs the purge at once; the next run has nothing left to do.
    await savePolicy(server, admin, { ...KEEP_ALL, auditDays: 365 });
    const run = await server.retention.runNow();
    expect(countOf(run, 'audit', 'audit_log')).toBe(0);
    const purgedRuns = await api(server.url, `/api/audit?action=${AuditAction.auditPurged}&limit=10`, { token: admin });
    expect(purgedRuns.body.entries).toEqual([expect.objectContaining({ actorId: null, details: expect.objectContaining({ entries: due }) })]);
    const left = await server.db.kysely.selectFrom('audit_log').select(['id', 'action', 'at']).orderBy('id').execute();
    expect(left.every((e) => Date.parse(e.at) >= clock.now().getTime() - 365 * DAY_MS)).toBe(true);
    expect(left[0]!.id).toBeGreaterThan(oldest.id);
    const purged = left.find((e) => e.action === AuditAction.auditPurged);
    expect(purged).toBeDefined();

    const after = await api(server.url, '/api/audit/verify', { token: admin });
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ intact: true, entries: left.length });
    // Appends after the purge keep the chain whole.
    await savePolicy(server, admin, KEEP_ALL);
    expect((await api(server.url, '/api/audit/verify', { token: admin })).body.intact).toBe(true);

    // Deleting the next entries and moving the anchor over them (without an audit.purged entry vouching for it) is detected.
    const first = left[0]!.id;
    const second = await server.db.kysely.selectFrom('audit_log').select(['id', 'hash']).where('id', '=', first).executeTakeFirstOrThrow();
    await server.db.kysely.deleteFrom('audit_log').where('id', '=', first).execute();
    await server.db.kysely.updateTable('audit_anchor').set({ through_id: second.id, through_hash: second.hash }).execute();
    const forged = await api(server.url, '/api/audit/verify', { token: admin });
    expect(forged.body).toMatchObject({ intact: false, firstBadId: first + 1 });
  });
});
