import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditAction } from '../../server/modules/audit/actions';
import type { ServerMessageOf } from '../../shared/api/ws';
import { api, login, nextFrame, type Json, type TestBackend } from './helpers';
import { connectAgent, connected, startInteraction, startInteractionsBackend, type Agent, type Customer } from './interactions-support';

/** Consent records alone: no agent is signed in, so the starts stay queued and disturb nothing. */
describe('consent settings and records', () => {
  let server: TestBackend;
  let tokens: Record<'super1' | 'admin', string>;
  let notice: string;

  const auditOf = async (action: string): Promise<Json[]> => (await api(server.url, `/api/audit?action=${action}&limit=500`, { token: tokens.admin })).body.entries;
  const consentsOf = async (interactionId: string): Promise<Json[]> => (await api(server.url, `/api/interactions/${interactionId}/consents`, { token: tokens.admin })).body.consents;

  beforeAll(async () => {
    server = await startInteractionsBackend();
    tokens = { super1: (await login(server.url, 'super1')).token, admin: (await login(server.url, 'admin')).token };
    notice = (await api(server.url, '/api/widget/consent-settings')).body.notice.version;
  });
  afterAll(() => server.close());

  it('the widget reads the demo notice and purposes; admins (only) change them, audited', async () => {
    const widget = (await api(server.url, '/api/widget/consent-settings')).body;
    expect(widget.notice.url).toMatch(/^https:\/\//);
    expect(widget.purposes.map((p: Json) => p.id)).toEqual(['training', 'training-sensitive']);

    expect((await api(server.url, '/api/admin/consent-settings', { token: tokens.super1 })).status).toBe(403);
    const current = await api(server.url, '/api/admin/consent-settings', { token: tokens.admin });
    expect(current.status).toBe(200);
    const bad = await api(server.url, '/api/admin/consent-settings', { method: 'PUT', token: tokens.admin, json: { ...current.body, noticeUrl: 'http://plain.example/privacy' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('https://');
    const dup = await api(server.url, '/api/admin/consent-settings', { method: 'PUT', token: tokens.admin, json: { ...current.body, purposes: [...current.body.purposes, current.body.purposes[0]] } });
    expect(dup.status).toBe(400);
    // Saving the same settings is allowed and audited with versions and purpose ids.
    expect((await api(server.url, '/api/admin/consent-settings', { method: 'PUT', token: tokens.admin, json: current.body })).status).toBe(200);
    const entries = await auditOf(AuditAction.consentSettingsChanged);
    expect(entries.at(-1)).toMatchObject({ actorName: 'admin', details: { after: { noticeVersion: notice, purposes: ['training', 'training-sensitive'] } } });
  });

  it('records only the ticked purposes, with the notice version, time and channel; a stale notice or unknown purpose is refused', async () => {
    const none = await startInteraction(server);
    expect(await consentsOf(none.interactionId)).toEqual([]);

    const one = await startInteraction(server, { consents: ['training'], noticeVersion: notice });
    const records = await consentsOf(one.interactionId);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ purposeId: 'training', purposeLabel: 'Use this conversation to train our team', noticeVersion: notice, channel: 'widget', withdrawnAt: null, withdrawnBy: null });
    expect(Date.parse(records[0].givenAt)).not.toBeNaN();

    const stale = await api(server.url, '/api/widget/interactions', { json: { kind: 'chat', queueId: 'general', consents: ['training'], noticeVersion: 'old' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toContain('privacy notice has changed');
    const unknown = await api(server.url, '/api/widget/interactions', { json: { kind: 'chat', queueId: 'general', consents: ['marketing'], noticeVersion: notice } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('marketing');

    // The audit names purposes and ids, never the customer.
    const given = (await auditOf(AuditAction.consentGiven)).find((e: Json) => e.target === one.interactionId);
    expect(given.details).toEqual({ interactionId: one.interactionId, purposes: ['training'], noticeVersion: notice, channel: 'widget' });
    expect(JSON.stringify(await auditOf(AuditAction.consentGiven))).not.toContain('Casey');
  });

  it("the customer's consent routes have their own per-address limit (429 with Retry-After)", async () => {
    const limited = await startInteractionsBackend({ widgetStartsPerMinute: 2 });
    try {
      const started = await startInteraction(limited, { consents: ['training'], noticeVersion: notice });
      for (let i = 0; i < 2; i++) expect((await api(limited.url, '/api/widget/consents', { token: started.customerToken })).status).toBe(200);
      const refused = await api(limited.url, '/api/widget/consents', { token: started.customerToken });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('the customer sees and withdraws their consent with the conversation token; other tokens and staff tokens are refused', async () => {
    const started = await startInteraction(server, { consents: ['training'], noticeVersion: notice });
    const other = await startInteraction(server);
    expect((await api(server.url, '/api/widget/consents')).status).toBe(401);
    expect((await api(server.url, '/api/widget/consents', { token: tokens.admin })).status).toBe(401);
    const mine = await api(server.url, '/api/widget/consents', { token: started.customerToken });
    expect(mine.body.consents.map((c: Json) => c.purposeId)).toEqual(['training']);
    // Another conversation's token does not reach this consent.
    expect((await api(server.url, '/api/widget/consents/training/withdraw', { method: 'POST', token: other.customerToken })).status).toBe(404);
    expect((await api(server.url, '/api/widget/consents/NOT%20AN%20ID/withdraw', { method: 'POST', token: started.customerToken })).status).toBe(400);

    const res = await api(server.url, '/api/widget/consents/training/withdraw', { method: 'POST', token: started.customerToken });
    expect(res.status).toBe(200);
    expect(res.body.consent).toMatchObject({ purposeId: 'training', withdrawnBy: 'customer' });
    expect(res.body.consent.withdrawnAt).not.toBeNull();
    const [record] = await consentsOf(started.interactionId);
    expect(record).toMatchObject({ withdrawnBy: 'customer', withdrawnAt: res.body.consent.withdrawnAt });
    const audit = (await auditOf(AuditAction.consentWithdrawn)).find((e: Json) => e.target === started.interactionId);
    expect(audit).toMatchObject({ actorId: null, details: { purpose: 'training', by: 'customer' } });
  });

});

/** Issue 15: the training library, which depends on the consent. */
describe('the training library', () => {
  let server: TestBackend;
  let agent1: Agent;
  let tokens: Record<'agent1' | 'super1' | 'super2' | 'admin', string>;
  let notice: string;

  const auditOf = async (action: string): Promise<Json[]> => (await api(server.url, `/api/audit?action=${action}&limit=500`, { token: tokens.admin })).body.entries;
  const addTraining = (token: string, interactionId: string, what = 'transcript') => api(server.url, '/api/training', { token, json: { interactionId, what } });
  const trainingIds = async (token: string): Promise<string[]> => (await api(server.url, '/api/training', { token })).body.items.map((i: Json) => i.interactionId);
  const consentsOf = async (interactionId: string): Promise<Json[]> => (await api(server.url, `/api/interactions/${interactionId}/consents`, { token: tokens.admin })).body.consents;

  /** A chat with the given purposes ticked: the customer says something, the agent answers and ends it. */
  async function endedChat(consents: string[]): Promise<Customer> {
    const customer = await connected(server, agent1, { consents, noticeVersion: notice });
    const id = customer.interactionId;
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c1', text: 'My order never arrived' });
    await nextFrame(agent1.ws, (f) => f.type === 'chat.message' && f.message.from === 'customer' && f.message.interactionId === id);
    agent1.ws.send({ type: 'interaction.end', interactionId: id });
    await nextFrame(agent1.ws, (f) => f.type === 'wrapup.required' && f.interactionId === id);
    agent1.ws.send({ type: 'wrapup.submit', interactionId: id, disposition: 'Resolved', notes: '' });
    await nextFrame(agent1.ws, (f) => f.type === 'wrapup.done' && f.interactionId === id);
    return customer;
  }

  beforeAll(async () => {
    server = await startInteractionsBackend();
    agent1 = await connectAgent(server, 'agent1');
    tokens = {
      agent1: agent1.login.token,
      super1: (await login(server.url, 'super1')).token,
      super2: (await login(server.url, 'super2')).token,
      admin: (await login(server.url, 'admin')).token,
    };
    const settings = await api(server.url, '/api/widget/consent-settings');
    expect(settings.status).toBe(200);
    notice = settings.body.notice.version;
  });
  afterAll(() => server.close());

  it('training: refused without the consent (403, says why), accepted with it, gone from the list after the customer withdraws', async () => {
    const without = await endedChat([]);
    const refused = await addTraining(tokens.super1, without.interactionId);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('did not consent');

    const withConsent = await endedChat(['training']);
    const added = await addTraining(tokens.super1, withConsent.interactionId);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ interactionId: withConsent.interactionId, what: 'transcript', kind: 'chat', addedBy: (await api(server.url, '/api/me', { token: tokens.super1 })).body.user.id });
    expect(await trainingIds(tokens.super1)).toContain(withConsent.interactionId);
    // Reading it checks the consent again and shows the customer as "Customer".
    const item = await api(server.url, `/api/training/${added.body.id}`, { token: tokens.super1 });
    expect(item.status).toBe(200);
    expect(item.body.messages[0]).toMatchObject({ from: 'customer', authorName: 'Customer', text: 'My order never arrived' });
    // No recording for a chat.
    expect((await addTraining(tokens.super1, withConsent.interactionId, 'recording')).status).toBe(409);

    const withdrawn = await api(server.url, '/api/widget/consents/training/withdraw', { method: 'POST', token: withConsent.token });
    expect(withdrawn.body.trainingItemsDropped).toBe(1);
    expect(await trainingIds(tokens.super1)).not.toContain(withConsent.interactionId);
    expect((await api(server.url, `/api/training/${added.body.id}`, { token: tokens.super1 })).status).toBe(404);
    expect((await addTraining(tokens.super1, withConsent.interactionId)).status).toBe(403);
    const rows = await server.db.kysely.selectFrom('training_items').selectAll().where('interaction_id', '=', withConsent.interactionId).execute();
    expect(rows).toEqual([]);
  });

  it('an admin withdraws a consent from History; the item goes at once; only admins may', async () => {
    const chat = await endedChat(['training']);
    expect((await addTraining(tokens.admin, chat.interactionId)).status).toBe(201);
    const [record] = await consentsOf(chat.interactionId);
    expect((await api(server.url, `/api/consents/${record.id}/withdraw`, { method: 'POST', token: tokens.super1 })).status).toBe(403);
    expect((await api(server.url, `/api/consents/${record.id}/withdraw`, { method: 'POST', token: tokens.agent1 })).status).toBe(403);
    expect((await api(server.url, '/api/consents/no-such/withdraw', { method: 'POST', token: tokens.admin })).status).toBe(404);
    const res = await api(server.url, `/api/consents/${record.id}/withdraw`, { method: 'POST', token: tokens.admin });
    expect(res.status).toBe(200);
    const adminId = (await api(server.url, '/api/me', { token: tokens.admin })).body.user.id;
    expect(res.body).toMatchObject({ consent: { withdrawnBy: { adminId } }, trainingItemsDropped: 1 });
    expect(await trainingIds(tokens.super1)).not.toContain(chat.interactionId);
    const audit = (await auditOf(AuditAction.consentWithdrawn)).find((e: Json) => e.target === chat.interactionId);
    expect(audit).toMatchObject({ actorName: 'admin', details: { by: 'admin', trainingItemsDropped: 1 } });
  });

  it('sensitive: refused without the sensitive opt-in, accepted with it; withdrawing that opt-in drops it', async () => {
    const plain = await endedChat(['training']);
    expect((await api(server.url, `/api/interactions/${plain.interactionId}/sensitive`, { token: tokens.super1, json: { category: 'health' } })).status).toBe(200);
    const refused = await addTraining(tokens.super1, plain.interactionId);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('did not opt in to its sensitive details');

    const opted = await endedChat(['training', 'training-sensitive']);
    await api(server.url, `/api/interactions/${opted.interactionId}/sensitive`, { token: tokens.super1, json: { category: 'health' } });
    expect((await addTraining(tokens.super1, opted.interactionId)).status).toBe(201);
    // super2 lacks the sensitive permission: may neither add nor see it.
    expect((await addTraining(tokens.super2, opted.interactionId)).status).toBe(403);
    expect(await trainingIds(tokens.super2)).not.toContain(opted.interactionId);
    expect(await trainingIds(tokens.super1)).toContain(opted.interactionId);

    const res = await api(server.url, '/api/widget/consents/training-sensitive/withdraw', { method: 'POST', token: opted.token });
    expect(res.body.trainingItemsDropped).toBe(1);
    expect(await trainingIds(tokens.super1)).not.toContain(opted.interactionId);
    const refusals = await auditOf(AuditAction.trainingItemRefused);
    expect(refusals.map((e: Json) => e.details.reason)).toContain('sensitive_without_opt_in');
  });

  it('a sensitive mark added after the item drops it at the next list', async () => {
    const chat = await endedChat(['training']);
    expect((await addTraining(tokens.super1, chat.interactionId)).status).toBe(201);
    await api(server.url, `/api/interactions/${chat.interactionId}/sensitive`, { token: tokens.super1, json: { category: 'religion' } });
    expect(await trainingIds(tokens.super1)).not.toContain(chat.interactionId);
    const dropped = (await auditOf(AuditAction.trainingItemDropped)).find((e: Json) => e.target === chat.interactionId);
    expect(dropped.details.reason).toBe('sensitive_without_opt_in');
  });

  it('erasing the interaction drops its item and consent records', async () => {
    const chat = await endedChat(['training']);
    expect((await addTraining(tokens.super1, chat.interactionId)).status).toBe(201);
    expect((await api(server.url, `/api/interactions/${chat.interactionId}/erase`, { method: 'POST', token: tokens.admin })).status).toBe(200);
    expect(await trainingIds(tokens.super1)).not.toContain(chat.interactionId);
    expect(await consentsOf(chat.interactionId)).toEqual([]);
  });

  it("a recorded call's recording: added with the consent, read as its recording ids; a call without one is refused (409)", async () => {
    const call = await connected(server, agent1, { kind: 'call', consents: ['training'], noticeVersion: notice });
    const id = call.interactionId;
    const state = await nextFrame<ServerMessageOf<'recording.state'>>(agent1.ws, (f) => f.type === 'recording.state' && f.interactionId === id);
    const recordingId = state.recordingId!;
    // Before the call ends: in progress, refused.
    expect((await addTraining(tokens.super1, id, 'recording')).status).toBe(409);
    const chunk = await fetch(`${server.url}/api/recordings/${recordingId}/segments/0/chunks/0`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.agent1}`, 'content-type': 'audio/webm' },
      body: new Uint8Array(Buffer.from('WEBM')),
    });
    expect(chunk.status).toBe(200);
    agent1.ws.send({ type: 'interaction.end', interactionId: id });
    await nextFrame(agent1.ws, (f) => f.type === 'wrapup.required' && f.interactionId === id);
    expect((await api(server.url, `/api/recordings/${recordingId}/close`, { token: tokens.agent1, json: { lastSeq: 0 } })).status).toBe(200);
    agent1.ws.send({ type: 'wrapup.submit', interactionId: id, disposition: 'Resolved', notes: '' });
    await nextFrame(agent1.ws, (f) => f.type === 'wrapup.done' && f.interactionId === id);

    // A call has no transcript to add.
    expect((await addTraining(tokens.super1, id, 'transcript')).status).toBe(409);
    const added = await addTraining(tokens.super1, id, 'recording');
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ what: 'recording', kind: 'call' });
    const item = await api(server.url, `/api/training/${added.body.id}`, { token: tokens.super1 });
    expect(item.body).toMatchObject({ recordingIds: [recordingId], messages: [] });
    // Adding it twice gives the same item.
    expect((await addTraining(tokens.super1, id, 'recording')).body.id).toBe(added.body.id);
  });

  it('roles: agents may not add or list; an interaction still in progress is refused (409); a child-protected one is refused', async () => {
    const done = await endedChat(['training']);
    expect((await addTraining(tokens.agent1, done.interactionId)).status).toBe(403);
    expect((await api(server.url, '/api/training', { token: tokens.agent1 })).status).toBe(403);
    expect((await api(server.url, '/api/training')).status).toBe(401);
    expect((await addTraining(tokens.super1, 'no-such-interaction')).status).toBe(404);
    expect((await addTraining(tokens.super1, done.interactionId, 'video')).status).toBe(400);

    const live = await connected(server, agent1, { consents: ['training'], noticeVersion: notice });
    const inProgress = await addTraining(tokens.super1, live.interactionId);
    expect(inProgress.status).toBe(409);
    agent1.ws.send({ type: 'interaction.end', interactionId: live.interactionId });
    await nextFrame(agent1.ws, (f) => f.type === 'wrapup.required' && f.interactionId === live.interactionId);
    agent1.ws.send({ type: 'wrapup.submit', interactionId: live.interactionId, disposition: 'Resolved', notes: '' });
    await nextFrame(agent1.ws, (f) => f.type === 'wrapup.done' && f.interactionId === live.interactionId);

    // A child's choices are not recorded, and a child-protected interaction is refused whatever was ticked.
    expect((await api(server.url, '/api/admin/child-protection-policy', { method: 'PUT', token: tokens.admin, json: { askBirthYear: true } })).status).toBe(200);
    const child = await connected(server, agent1, { consents: ['training'], noticeVersion: notice, birthYear: new Date().getFullYear() - 9 });
    agent1.ws.send({ type: 'interaction.end', interactionId: child.interactionId });
    await nextFrame(agent1.ws, (f) => f.type === 'wrapup.required' && f.interactionId === child.interactionId);
    expect(await consentsOf(child.interactionId)).toEqual([]);
    const refusedChild = await addTraining(tokens.super1, child.interactionId);
    expect(refusedChild.status).toBe(403);
    expect(refusedChild.body.error.message).toContain('child-protected');

    // Staff who may not open the interaction may not read its consents.
    const agent2 = (await login(server.url, 'agent2')).token;
    // Another agent's interaction answers like an unknown one (issue 17).
    expect((await api(server.url, `/api/interactions/${done.interactionId}/consents`, { token: agent2 })).status).toBe(404);
    expect((await api(server.url, `/api/interactions/${done.interactionId}/consents`, { token: tokens.agent1 })).status).toBe(200);
  });
});
