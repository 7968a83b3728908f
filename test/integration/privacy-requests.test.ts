import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ERASE_NEEDS_CONFIRM, PrivacyRequest, PrivacyRequestsResponse, SubjectSearchResponse } from '../../shared/api/privacy';
import { startInProcess } from '../support/in-process';
import { api, login, type TestBackend } from './helpers';
import { connectAgent, connected, startInteractionsBackend } from './interactions-support';
import { finishedChat, waitForEnd } from './privacy-support';

const CUSTOMER = { name: 'Lena Marsh', email: 'lena.marsh@example.test' };

describe('privacy requests: who, what input, what is refused', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('only privacy officers and admins: other staff get 403 on search and lists, 404 on a request', async () => {
    server = await startInteractionsBackend();
    const officer = await login(server.url, 'privacy1');
    const admin = await login(server.url, 'admin');
    const agent = await login(server.url, 'agent1');
    const supervisor = await login(server.url, 'super1');
    const created = await api(server.url, '/api/privacy/requests', { token: admin.token, json: { type: 'erase', subject: { email: 'nobody@example.test' }, confirm: true } });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    expect((await waitForEnd(server, officer.token, id)).status).toBe('completed');

    for (const token of [agent.token, supervisor.token]) {
      expect((await api(server.url, '/api/privacy/subjects?email=a@example.test', { token })).status).toBe(403);
      expect((await api(server.url, '/api/privacy/requests', { token })).status).toBe(403);
      expect((await api(server.url, '/api/privacy/requests', { token, json: { type: 'erase', subject: { email: 'a@example.test' }, confirm: true } })).status).toBe(403);
      for (const suffix of ['', '/receipt', '/export']) expect((await api(server.url, `/api/privacy/requests/${id}${suffix}`, { token })).status, suffix).toBe(404);
    }
    expect((await api(server.url, '/api/privacy/subjects?email=a@example.test')).status).toBe(401);

    // The officer sees the admin's request too; newest first.
    const second = await api(server.url, '/api/privacy/requests', { token: officer.token, json: { type: 'erase', subject: { name: 'Nobody Here' }, confirm: true } });
    await waitForEnd(server, officer.token, second.body.id);
    const list = PrivacyRequestsResponse.parse((await api(server.url, '/api/privacy/requests', { token: officer.token })).body);
    expect(list.requests.map((r) => r.id)).toEqual([second.body.id, id]);
    expect(list.requests.every((r) => r.subject === null && r.subjectDigests.length === 1)).toBe(true);
    expect((await api(server.url, '/api/privacy/requests/no-such-id', { token: officer.token })).status).toBe(404);
    expect((await api(server.url, `/api/privacy/requests/${id}/receipt`, { token: officer.token })).status).toBe(200);
  });

  it('refuses bad input with 400s that say what to fix; an erase without confirm is refused with the confirm message', async () => {
    server = await startInteractionsBackend();
    const officer = await login(server.url, 'privacy1');
    const post = (json: unknown) => api(server.url, '/api/privacy/requests', { token: officer.token, json });

    const unconfirmed = await post({ type: 'erase', subject: { email: 'lena.marsh@example.test' } });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.message).toContain(ERASE_NEEDS_CONFIRM);
    expect(unconfirmed.body.error.issues).toEqual([{ path: 'confirm', message: ERASE_NEEDS_CONFIRM }]);
    expect((await post({ type: 'erase', subject: { email: 'lena.marsh@example.test' }, confirm: false })).status).toBe(400);

    const unknown = await post({ type: 'erase', subject: { email: 'lena.marsh@example.test' }, confirm: true, force: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/force/);
    expect((await post({ type: 'erase', subject: { email: 'lena.marsh@example.test', ssn: '1' }, confirm: true })).status).toBe(400);
    expect((await post({ type: 'erase', subject: {}, confirm: true })).body.error.message).toMatch(/at least one of email, phone, name or interactionIds/);
    expect((await post({ type: 'erase', subject: { email: 'not-an-email' }, confirm: true })).body.error.message).toMatch(/subject\.email/);
    expect((await post({ type: 'purge', subject: { email: 'lena.marsh@example.test' } })).status).toBe(400);
    expect((await post({ type: 'erase', subject: { phone: '+-() ' }, confirm: true })).body.error.message).toMatch(/digits/);
    expect((await post({ type: 'rectify', subject: { email: 'lena.marsh@example.test' } })).body.error.message).toMatch(/replacements/);

    const search = (q: string) => api(server.url, `/api/privacy/subjects${q}`, { token: officer.token });
    expect((await search('')).body.error.message).toMatch(/Search by at least one of email, phone, name or interactionId/);
    expect((await search('?email=x')).status).toBe(400);
    expect((await search('?mail=a@example.test')).status).toBe(400);
    expect((await search('?name=A')).status).toBe(400);
    // Nothing was recorded for any of them.
    expect(PrivacyRequestsResponse.parse((await api(server.url, '/api/privacy/requests', { token: officer.token })).body).requests).toEqual([]);
  });

  it('export and rectify run through the request API: the zip downloads with the transcript, the name is corrected everywhere', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const chat = await finishedChat(server, agent, CUSTOMER, { customer: ['Hello, this is Lena Marsh'], agent: ['Thanks Lena Marsh'] }, 'Lena Marsh called about delivery');
    const officer = await login(server.url, 'privacy1');

    const exportReq = await api(server.url, '/api/privacy/requests', { token: officer.token, json: { type: 'export', subject: { email: CUSTOMER.email } } });
    expect(exportReq.status).toBe(202);
    const exported = await waitForEnd(server, officer.token, exportReq.body.id);
    expect(exported).toMatchObject({ status: 'completed', exportReady: true, interactionIds: [chat], subject: null });
    expect(exported.stores.find((s) => s.store === 'messages')).toMatchObject({ found: 2, done: 2 });
    const zip = await fetch(`${server.url}/api/privacy/requests/${exported.id}/export`, { headers: { authorization: `Bearer ${officer.token}` } });
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const bytes = Buffer.from(await zip.arrayBuffer());
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(bytes.includes(Buffer.from(`interactions/${chat}/transcript.txt`))).toBe(true);
    expect((fs.statSync(path.join(server.dataDir, 'privacy-exports', `${exported.id}.zip`)).mode & 0o777).toString(8)).toBe('600');

    const rectifyReq = await api(server.url, '/api/privacy/requests', {
      token: officer.token,
      json: { type: 'rectify', subject: { email: CUSTOMER.email }, replacements: [{ field: 'name', from: 'Lena Marsh', to: 'Lena Marsh-Okafor' }] },
    });
    expect(rectifyReq.status).toBe(202);
    const rectified = await waitForEnd(server, officer.token, rectifyReq.body.id);
    expect(rectified.status).toBe('completed');
    expect(rectified.stores.find((s) => s.store === 'interactions')?.done).toBe(1);
    const row = await server.db.kysely.selectFrom('interactions').select(['customer_name', 'notes']).where('id', '=', chat).executeTakeFirstOrThrow();
    expect(row).toEqual({ customer_name: 'Lena Marsh-Okafor', notes: 'Lena Marsh-Okafor called about delivery' });
    const texts = (await server.db.kysely.selectFrom('messages').select('text').where('interaction_id', '=', chat).orderBy('seq').execute()).map((m) => m.text);
    expect(texts).toEqual(['Hello, this is Lena Marsh-Okafor', 'Thanks Lena Marsh-Okafor']);
  });

  it('finds by phone (digits only), name and interaction id; a live interaction fails an erase with a message and changes nothing', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const closed = await finishedChat(server, agent, CUSTOMER, { customer: ['My number is +44 (20) 7946-0958'], agent: ['Thanks Lena'] }, 'call back');
    const live = await connected(server, agent, { kind: 'chat', customer: CUSTOMER });
    const officer = await login(server.url, 'privacy1');
    const find = async (q: string) => SubjectSearchResponse.parse((await api(server.url, `/api/privacy/subjects?${q}`, { token: officer.token })).body);

    const byPhone = await find('phone=442079460958');
    expect(byPhone.matches.map((m) => [m.interactionId, m.matchedBy])).toEqual([[closed, ['phone']]]);
    expect(byPhone.tookMs).toBeLessThan(200);
    const byName = await find('name=lena%20MARSH');
    expect(byName.matches.map((m) => m.interactionId).sort()).toEqual([closed, live.interactionId].sort());
    expect(byName.matches.find((m) => m.interactionId === live.interactionId)?.live).toBe(true);
    expect((await find(`interactionId=${closed}`)).matches.map((m) => m.matchedBy)).toEqual([['interactionId']]);

    const created = await api(server.url, '/api/privacy/requests', { token: officer.token, json: { type: 'erase', subject: { email: CUSTOMER.email }, confirm: true } });
    const failed = await waitForEnd(server, officer.token, created.body.id);
    expect(failed).toMatchObject({ status: 'failed', subject: null, error: `Interaction ${live.interactionId} is still in progress; erase it once it ends.` });
    expect(failed.stores.find((s) => s.store === 'messages')).toMatchObject({ found: 2, done: 0 });
    expect((await server.db.kysely.selectFrom('messages').select('id').where('interaction_id', '=', closed).execute()).length).toBe(2);
    expect((await api(server.url, `/api/privacy/requests/${failed.id}/receipt`, { token: officer.token })).status).toBe(409);
    const exportOfErase = await api(server.url, `/api/privacy/requests/${failed.id}/export`, { token: officer.token });
    expect(exportOfErase.status).toBe(409);
    expect(exportOfErase.body.error.message).toMatch(/not an export/);
  });

  it('serves an export archive that is there as a zip attachment, and says so when it is gone', async () => {
    server = await startInteractionsBackend();
    const officer = await login(server.url, 'privacy1');
    // An export request completed by the export executor (another branch) leaves <dataDir>/privacy-exports/<id>.zip.
    const id = 'export-fixture';
    const at = new Date().toISOString();
    await server.db.kysely
      .insertInto('privacy_requests')
      .values({ id, type: 'export', status: 'completed', requested_by_id: officer.user.id, requested_by_name: 'privacy1', created_at: at, updated_at: at, completed_at: at, subject: null, subject_digests: '[]', interaction_ids: '[]', stores: '[]', progress_done: 1, progress_total: 1, took_ms: 5, error: null })
      .execute();
    expect((await api(server.url, `/api/privacy/requests/${id}/export`, { token: officer.token })).body.error.message).toMatch(/is gone/);
    const dir = path.join(server.dataDir, 'privacy-exports');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${id}.zip`), Buffer.from('PK\u0003\u0004fixture'));
    expect(PrivacyRequest.parse((await api(server.url, `/api/privacy/requests/${id}`, { token: officer.token })).body).exportReady).toBe(true);
    const res = await fetch(`${server.url}/api/privacy/requests/${id}/export`, { headers: { authorization: `Bearer ${officer.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="privacy-export-${id}.zip"`);
    expect(Buffer.from(await res.arrayBuffer()).toString('latin1')).toBe('PK\u0003\u0004fixture');
  });

  it("an erase removes the archives of earlier exports about the same person (found by digest), not others'", async () => {
    server = await startInteractionsBackend();
    const officer = await login(server.url, 'privacy1');
    const at = new Date().toISOString();
    const digestOf = (v: string) => createHash('sha256').update(v).digest('hex');
    const dir = path.join(server.dataDir, 'privacy-exports');
    fs.mkdirSync(dir, { recursive: true });
    for (const [id, who] of [['export-lena', 'email:lena.marsh@example.test'], ['export-other', 'email:other@example.test']] as const) {
      await server.db.kysely
        .insertInto('privacy_requests')
        .values({ id, type: 'export', status: 'completed', requested_by_id: officer.user.id, requested_by_name: 'privacy1', created_at: at, updated_at: at, completed_at: at, subject: null, subject_digests: JSON.stringify([digestOf(who)]), interaction_ids: '[]', stores: '[]', progress_done: 1, progress_total: 1, took_ms: 5, error: null })
        .execute();
      fs.writeFileSync(path.join(dir, `${id}.zip`), 'PK');
    }
    const search = SubjectSearchResponse.parse((await api(server.url, '/api/privacy/subjects?email=LENA.marsh@example.test', { token: officer.token })).body);
    expect(search.elsewhere).toEqual([
      { store: 'audit_log', count: 0 },
      { store: 'privacy_requests', count: 1 },
      { store: 'privacy-exports', count: 1 },
    ]);
    const created = await api(server.url, '/api/privacy/requests', { token: officer.token, json: { type: 'erase', subject: { email: 'lena.marsh@example.test' }, confirm: true } });
    const done = await waitForEnd(server, officer.token, created.body.id);
    expect(done.stores.find((s) => s.store === 'privacy-exports')).toEqual({ store: 'privacy-exports', found: 1, done: 1 });
    expect(fs.readdirSync(dir)).toEqual(['export-other.zip']);
    expect((await api(server.url, '/api/privacy/requests/export-lena/export', { token: officer.token })).body.error.message).toMatch(/is gone/);
  });
});

describe('privacy requests across a restart', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('a request a stopped server left running is failed at the next start, with its identifiers dropped', async () => {
    server = await startInteractionsBackend();
    const officer = await login(server.url, 'privacy1');
    const at = new Date().toISOString();
    await server.db.kysely
      .insertInto('privacy_requests')
      .values({ id: 'interrupted', type: 'erase', status: 'working', requested_by_id: officer.user.id, requested_by_name: 'privacy1', created_at: at, updated_at: at, completed_at: null, subject: JSON.stringify({ subject: { email: 'kit@example.test' } }), subject_digests: '[]', interaction_ids: '[]', stores: '[{"store":"messages","found":2,"done":1}]', progress_done: 1, progress_total: 2, took_ms: null, error: null })
      .execute();
    // A second server on the same data dir (the first one's connection stays open: WAL allows it).
    const again = await startInProcess({ ...server.config });
    try {
      const token = (await login(again.url, 'privacy1')).token;
      const row = PrivacyRequest.parse((await api(again.url, '/api/privacy/requests/interrupted', { token })).body);
      expect(row).toMatchObject({ status: 'failed', subject: null, stores: [{ store: 'messages', found: 2, done: 1 }], error: expect.stringMatching(/server stopped while this request ran/) });
    } finally {
      await again.close();
    }
  });
});
