import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import { AuditAction } from '../../server/modules/audit/actions';
import { api, login, nextFrame, startBackend, testClock, type TestBackend } from './helpers';
import { GENERAL, INTERACTION_DEFAULTS, connectAgent, connectCustomer } from './interactions-support';

/** Issue 17: a maximum queue time (org setting) after which the waiting customer is offered to leave a message. */
describe('maximum queue time', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('admins set it (audited, validated); past it the waiting customer is offered to leave a message, and can', async () => {
    const clock = testClock();
    server = await startBackend(INTERACTION_DEFAULTS, { now: clock.now });
    const admin = await login(server.url, 'admin');
    const path = '/api/admin/queue-time-policy';
    expect((await api(server.url, path, { token: admin.token })).body).toEqual({ maxQueueSeconds: 600 });
    const agentToken = (await login(server.url, 'agent2')).token;
    expect((await api(server.url, path, { method: 'PUT', token: agentToken, json: { maxQueueSeconds: 60 } })).status).toBe(403);
    const tooShort = await api(server.url, path, { method: 'PUT', token: admin.token, json: { maxQueueSeconds: 5 } });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error.issues[0].path).toBe('maxQueueSeconds');
    expect((await api(server.url, path, { method: 'PUT', token: admin.token, json: { maxQueueSeconds: 60 } })).body).toEqual({ maxQueueSeconds: 60 });
    const audit = (await api(server.url, `/api/audit?action=${AuditAction.queueTimePolicyChanged}`, { token: admin.token })).body.entries;
    expect(audit).toEqual([expect.objectContaining({ target: 'queue-time-policy', details: { before: { maxQueueSeconds: 600 }, after: { maxQueueSeconds: 60 } } })]);

    // An agent of the queue is signed in but away: the customer waits.
    const agent = await connectAgent(server, 'agent1');
    agent.ws.send({ type: 'presence.set', presence: 'away' });
    await nextFrame(agent.ws, (f) => f.type === 'presence.self' && f.presence === 'away');
    const customer = await connectCustomer(server);
    const waiting = await nextFrame<ServerMessageOf<'customer.state'>>(customer.ws, (f) => f.type === 'customer.state' && f.state === 'waiting');
    expect(waiting.leaveMessage).toBeUndefined();

    // Fifty-five seconds (and the test's own): nothing yet. Past sixty: the offer to leave a message, still waiting.
    clock.advance(55_000);
    await expect(nextFrame(customer.ws, (f) => f.type === 'customer.state' && f.leaveMessage === true, 1500)).rejects.toThrow(/no matching frame/);
    clock.advance(10_000);
    const offered = await nextFrame<ServerMessageOf<'customer.state'>>(customer.ws, (f) => f.type === 'customer.state' && f.leaveMessage === true, 5000);
    expect(offered.state).toBe('waiting');
    const row = await server.db.kysely.selectFrom('interactions').select('status').where('id', '=', customer.interactionId).executeTakeFirstOrThrow();
    expect(row.status).toBe('queued');

    // The customer takes it: the message is stored for the queue and the waiting chat ends.
    const left = await api(server.url, '/api/widget/messages', { json: { queueId: GENERAL, customer: { name: 'Pat Patient' }, text: 'Please call me back tomorrow.' } });
    expect(left.status).toBe(201);
    customer.ws.send({ type: 'interaction.end', interactionId: customer.interactionId });
    await nextFrame(customer.ws, (f) => f.type === 'customer.state' && f.state === 'ended');
    const kinds = await server.db.kysely.selectFrom('interactions').select(['kind', 'status']).where('queue_id', '=', GENERAL).execute();
    expect(kinds).toEqual(expect.arrayContaining([{ kind: 'message', status: 'closed' }, { kind: 'chat', status: 'abandoned' }]));
  });
});
