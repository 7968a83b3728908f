import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { SignedReceipt, SubjectSearchResponse } from '../../shared/api/privacy';
import { verifyReceipt } from '../../server/modules/privacy/receipts/receipts';
import { api, login, nextFrame, type TestBackend } from './helpers';
import { connectAgent, startInteractionsBackend, type Agent } from './interactions-support';
import { finishedChat, finishedRecordedCall, waitForEnd } from './privacy-support';
import { mutationId, pushOne } from './sync-support';
import { onPostgres } from '../support/test-database';

const DANA = { name: 'Dana Quill', email: 'Dana.Quill@example.test' };
const OMAR = { name: 'Omar Field', email: 'omar.field@example.test' };
const DANA_CHAT_1 = { customer: ['Hi, my parcel 5521 never arrived', 'Reach me at dana.quill@example.test please'], agent: ['Sorry to hear that, checking the courier now'] };
const DANA_CHAT_2 = { customer: ['Following up on the missing parcel'], agent: ['A replacement ships tomorrow'] };
const OMAR_CHAT = { customer: ['Omar here with an invoice question'], agent: ['Happy to help with the invoice'] };

const digest = (v: string) => createHash('sha256').update(v).digest('hex');

/** Sets the agent away, so the next offer goes to another agent. */
async function away(agent: Agent): Promise<void> {
  agent.ws.send({ type: 'presence.set', presence: 'away' });
  await nextFrame(agent.ws, (f) => f.type === 'presence.self' && f.presence === 'away');
}

/** Every text value of every column of every table (sqlite_master), lower-cased, with where it is. */
async function everyValue(server: TestBackend): Promise<{ where: string; value: string }[]> {
  const k = server.db.kysely;
  // Kysely's introspection lists tables and columns on SQLite and PostgreSQL alike.
  const tables = await k.introspection.getTables({ withInternalKyselyTables: true });
  const out: { where: string; value: string }[] = [];
  for (const { name, columns } of tables) {
    for (const c of columns) {
      const rows = await sql<{ v: unknown }>`select ${sql.ref(c.name)} as v from ${sql.table(name)}`.execute(k);
      for (const r of rows.rows) if (r.v !== null && r.v !== undefined) out.push({ where: `${name}.${c.name}`, value: String(r.v).toLowerCase() });
    }
  }
  return out;
}

describe('privacy erase request (real backend)', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('finds one customer everywhere by e-mail, erases every copy (rows, recording files, file bytes), leaves another customer alone, and signs a receipt', async () => {
    server = await startInteractionsBackend();
    const agent1 = await connectAgent(server, 'agent1');
    const agent2 = await connectAgent(server, 'agent2');
    await away(agent2);
    const chat1 = await finishedChat(server, agent1, DANA, DANA_CHAT_1, 'Dana Quill: parcel 5521 lost, courier claim opened');
    await pushOne(server.url, agent1.login.token, { mutationId: mutationId(), type: 'note.create', noteId: 'note-dana', interactionId: chat1, text: 'Dana Quill prefers e-mail, parcel 5521' });
    await away(agent1);
    agent2.ws.send({ type: 'presence.set', presence: 'available' });
    await nextFrame(agent2.ws, (f) => f.type === 'presence.self' && f.presence === 'available');
    const chat2 = await finishedChat(server, agent2, DANA, DANA_CHAT_2, 'replacement promised to Dana Quill');
    const call = await finishedRecordedCall(server, agent2, DANA, 'called about the parcel');
    const omarChat = await finishedChat(server, agent2, OMAR, OMAR_CHAT, 'invoice explained to Omar Field');
    const danaIds = [chat1, chat2, call.interactionId].sort();
    const recordingsDir = path.join(server.dataDir, 'recordings');
    expect(fs.readdirSync(recordingsDir).filter((f) => f.startsWith(call.recordingId)).length).toBeGreaterThan(0);

    const fileBytes = () =>
      ['veildesk.sqlite', 'veildesk.sqlite-wal']
        .map((f) => path.join(server.dataDir, f))
        .map((p) => (fs.existsSync(p) ? fs.readFileSync(p).toString('latin1').toLowerCase() : ''))
        .join('\n');
    // The scan below means something: before the erase the files hold the customer's words.
    // (SQLite only: PostgreSQL's files belong to its server; see the bytes check after the erase.)
    if (!onPostgres()) {
      expect(fileBytes()).toContain('dana.quill@example.test');
      expect(fileBytes()).toContain('following up on the missing parcel');
    }

    const officer = await login(server.url, 'privacy1');
    // Search: case-insensitive e-mail, typed in a chat too; counts per store; two agents.
    const found = await api(server.url, `/api/privacy/subjects?email=${encodeURIComponent('DANA.quill@example.test')}`, { token: officer.token });
    expect(found.status).toBe(200);
    const search = SubjectSearchResponse.parse(found.body);
    expect(search.matches.map((m) => m.interactionId).sort()).toEqual(danaIds);
    expect(new Set(search.matches.map((m) => m.agentName))).toEqual(new Set(['Ada Agent', 'Ben Agent']));
    const count = (id: string, store: string) => search.matches.find((m) => m.interactionId === id)!.counts.find((c) => c.store === store)?.count;
    expect(count(chat1, 'messages')).toBe(3);
    expect(count(chat1, 'sync_notes')).toBe(1);
    expect(count(chat1, 'wrapup')).toBe(1);
    expect(count(chat2, 'messages')).toBe(2);
    expect(count(call.interactionId, 'recordings')).toBe(1);
    expect(count(call.interactionId, 'recording_chunks')).toBe(3);
    expect(search.matches.every((m) => !m.live && m.queueName === 'General' && m.matchedBy.includes('email'))).toBe(true);
    expect(search.matches.find((m) => m.interactionId === chat1)!.customerName).toBe('Dana Quill');
    expect(search.elsewhere.map((e) => e.store)).toEqual(['audit_log', 'privacy_requests', 'privacy-exports']);

    // Erase by e-mail, confirmed.
    const created = await api(server.url, '/api/privacy/requests', { token: officer.token, json: { type: 'erase', subject: { email: 'dana.quill@example.test' }, confirm: true } });
    expect(created.status).toBe(202);
    expect(created.body).toEqual({ id: expect.any(String), status: 'received' });
    const done = await waitForEnd(server, officer.token, created.body.id);
    expect(done).toMatchObject({ status: 'completed', type: 'erase', subject: null, error: null, requestedBy: { username: 'privacy1' }, exportReady: false });
    expect(done.subjectDigests).toEqual([digest('email:dana.quill@example.test')]);
    expect([...done.interactionIds].sort()).toEqual(danaIds);
    expect(done.progress.done).toBe(done.progress.total);
    expect(done.tookMs).toBeGreaterThanOrEqual(0);
    const store = (name: string) => done.stores.find((s) => s.store === name);
    expect(store('messages')).toEqual({ store: 'messages', found: 5, done: 5 });
    expect(store('sync_notes')).toEqual({ store: 'sync_notes', found: 1, done: 1 });
    expect(store('recordings')).toEqual({ store: 'recordings', found: 1, done: 1 });
    expect(store('recording_chunks')).toEqual({ store: 'recording_chunks', found: 3, done: 3 });
    expect(store('recording-files')).toEqual({ store: 'recording-files', found: 1, done: 1 });
    expect(store('interactions')).toEqual({ store: 'interactions', found: 3, done: 3 });
    expect(store('offers')).toEqual({ store: 'offers', found: 3, done: 3 });
    expect(store('audit_log')).toMatchObject({ done: 0, note: expect.stringMatching(/kept/) });

    // No column of any table holds the e-mail, the name or any line of the first customer's chats.
    const secrets = [DANA.email, DANA.name, ...DANA_CHAT_1.customer, ...DANA_CHAT_1.agent, ...DANA_CHAT_2.customer, ...DANA_CHAT_2.agent, 'parcel 5521'].map((s) => s.toLowerCase());
    const values = await everyValue(server);
    expect(values.filter((v) => secrets.some((s) => v.value.includes(s)))).toEqual([]);
    // …nor the bytes of the database file and its WAL. This check is SQLite's (secure_delete zeroes
    // freed cells, scrub() truncates the WAL). On PostgreSQL the files belong to the database server
    // and old row versions stay until VACUUM (docs/operations.md, "PostgreSQL"): there the run rests
    // on the rows being gone from every column of every table (everyValue above).
    if (!onPostgres()) {
      for (const file of ['veildesk.sqlite', 'veildesk.sqlite-wal']) {
        const p = path.join(server.dataDir, file);
        const bytes = fs.existsSync(p) ? fs.readFileSync(p).toString('latin1').toLowerCase() : '';
        expect(
          secrets.filter((s) => bytes.includes(s)),
          file,
        ).toEqual([]);
      }
    }
    // The recording's files are gone, and a supervisor finds nothing.
    expect(fs.readdirSync(recordingsDir).filter((f) => f.startsWith(call.recordingId))).toEqual([]);
    const supervisor = await login(server.url, 'super1');
    expect((await api(server.url, `/api/recordings?interactionId=${call.interactionId}`, { token: supervisor.token })).body.recordings).toEqual([]);
    expect((await api(server.url, `/api/recordings/${call.recordingId}/audio`, { token: supervisor.token })).status).toBe(404);

    // The second customer is untouched.
    const omar = await server.db.kysely.selectFrom('interactions').select(['customer_name', 'customer_email', 'notes']).where('id', '=', omarChat).executeTakeFirstOrThrow();
    expect(omar).toEqual({ customer_name: OMAR.name, customer_email: OMAR.email, notes: 'invoice explained to Omar Field' });
    const omarLines = await server.db.kysely.selectFrom('messages').select('text').where('interaction_id', '=', omarChat).orderBy('seq').execute();
    expect(omarLines.map((m) => m.text)).toEqual([...OMAR_CHAT.customer, ...OMAR_CHAT.agent]);
    expect(SubjectSearchResponse.parse((await api(server.url, `/api/privacy/subjects?email=${OMAR.email}`, { token: officer.token })).body).matches).toHaveLength(1);
    expect(SubjectSearchResponse.parse((await api(server.url, `/api/privacy/subjects?email=${encodeURIComponent(DANA.email)}`, { token: officer.token })).body).matches).toEqual([]);

    // Every state change audited, with ids and counts only.
    const admin = await login(server.url, 'admin');
    const audit = await api(server.url, '/api/audit?action=privacy.request_changed&limit=50', { token: admin.token });
    expect(audit.body.entries.map((e: { details: { status: string } }) => e.details.status)).toEqual(['received', 'searching', 'working', 'completed']);
    expect(audit.body.entries.every((e: { target: string; details: { requestId: string; type: string } }) => e.target === done.id && e.details.requestId === done.id && e.details.type === 'erase')).toBe(true);
    expect(JSON.stringify(audit.body).toLowerCase()).not.toContain('dana');
    const searches = await api(server.url, '/api/audit?action=privacy.subject_searched&limit=50', { token: admin.token });
    expect(searches.body.entries[0]).toMatchObject({ actorName: 'privacy1', details: { by: ['email'], matches: 3 } });
    expect(JSON.stringify(searches.body).toLowerCase()).not.toContain('dana');

    // A later search about the same person finds the earlier request by digest.
    const again = SubjectSearchResponse.parse((await api(server.url, '/api/privacy/subjects?email=dana.quill@example.test', { token: officer.token })).body);
    expect(again.elsewhere.find((e) => e.store === 'privacy_requests')?.count).toBe(1);

    // The receipt verifies with the CLI's check (scripts/privacy.ts calls verifyReceipt), against the server's public key; a changed count does not.
    const receipt = await api(server.url, `/api/privacy/requests/${done.id}/receipt`, { token: officer.token });
    expect(receipt.status).toBe(200);
    const signed = SignedReceipt.parse(receipt.body);
    expect(signed.receipt).toMatchObject({ requestId: done.id, type: 'erase', subjectDigests: done.subjectDigests, stores: done.stores });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-receipt-'));
    try {
      const file = path.join(dir, 'receipt.json');
      fs.writeFileSync(file, JSON.stringify(receipt.body));
      const publicKey = fs.readFileSync(path.join(server.dataDir, 'privacy-keys', 'receipt-ed25519.pub.pem'), 'utf8');
      expect(verifyReceipt(JSON.parse(fs.readFileSync(file, 'utf8')), publicKey)).toMatchObject({ valid: true });
      const tampered = { ...signed, receipt: { ...signed.receipt, stores: signed.receipt.stores.map((s) => ({ ...s, done: s.done + 1 })) } };
      expect(verifyReceipt(tampered, publicKey)).toMatchObject({ valid: false });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
