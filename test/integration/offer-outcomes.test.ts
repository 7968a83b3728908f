import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import type { OfferRecord } from '../../shared/domain/offers';
import { OfferLog } from '../../server/modules/interactions/offer-log';
import { api, isType, login, nextFrame, wsConnect, type TestBackend } from './helpers';
import { startInProcess } from '../support/in-process';
import { copyDatabase, dropTestDatabase } from '../support/test-database';
import { GENERAL, INTERACTION_DEFAULTS, connectAgent, connectCustomer, isOffer, startInteractionsBackend } from './interactions-support';

type BoardFrame = ServerMessageOf<'board'>;

/** Ended offers as GET /api/offers answers them for this token. */
async function offers(server: TestBackend, token: string, query = ''): Promise<OfferRecord[]> {
  const res = await api(server.url, `/api/offers${query}`, { token });
  if (res.status !== 200) throw new Error(`offers → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.offers as OfferRecord[];
}

const outcomes = (list: OfferRecord[], interactionId: string) => list.filter((o) => o.interactionId === interactionId).map((o) => o.outcome);

describe('offer outcomes (issue 19)', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('declined, timed out and accepted: each agent sees their own, the board counts them', async () => {
    server = await startInteractionsBackend({ offerTimeoutMs: 1000 });
    const supervisorLogin = await login(server.url, 'super1');
    const supervisor = await wsConnect(server.url, supervisorLogin.token);
    const first = await connectAgent(server, 'agent1');
    const customer = await connectCustomer(server);
    const id = customer.interactionId;
    await nextFrame(first.ws, isOffer(id));
    const second = await connectAgent(server, 'agent2');

    first.ws.send({ type: 'offer.decline', interactionId: id });
    expect(await nextFrame<ServerMessageOf<'offer.withdrawn'>>(first.ws, isType('offer.withdrawn'))).toMatchObject({ interactionId: id, reason: 'declined' });
    await nextFrame(second.ws, isOffer(id));
    // agent2 lets it time out; it goes back to agent1, who takes it.
    expect(await nextFrame<ServerMessageOf<'offer.withdrawn'>>(second.ws, isType('offer.withdrawn'), 5000)).toMatchObject({ interactionId: id, reason: 'timeout' });
    await nextFrame(first.ws, isOffer(id));
    first.ws.send({ type: 'offer.accept', interactionId: id });
    await nextFrame(first.ws, (f) => f.type === 'interaction.opened' && f.interaction.id === id);

    const mine = await offers(server, first.login.token);
    expect(outcomes(mine, id)).toEqual(['accepted', 'declined']);
    expect(mine.every((o) => o.agentId === first.id)).toBe(true);
    expect(mine[0]).toMatchObject({ kind: 'chat', queueId: GENERAL, queueName: 'General', agentName: 'Ada Agent' });
    expect(mine[0]).not.toHaveProperty('customer');
    expect(outcomes(await offers(server, second.login.token), id)).toEqual(['timed_out']);
    // Agents see only their own; supervisors everyone's, or one agent's.
    expect((await api(server.url, `/api/offers?agentId=${second.id}`, { token: first.login.token })).status).toBe(403);
    expect(outcomes(await offers(server, supervisorLogin.token), id)).toEqual(['accepted', 'timed_out', 'declined']);
    expect(outcomes(await offers(server, supervisorLogin.token, `?agentId=${second.id}`), id)).toEqual(['timed_out']);

    const board = await nextFrame<BoardFrame>(supervisor, (f) => f.type === 'board' && f.queues.some((q) => q.queueId === GENERAL && q.offerOutcomes?.timedOut === 1));
    expect(board.queues.find((q) => q.queueId === GENERAL)!.offerOutcomes).toEqual({ declined: 1, timedOut: 1, withdrawn: 0, takenByAnother: 0, unavailable: 0 });
    expect(board.agents.find((a) => a.username === 'agent1')!.offerOutcomes).toMatchObject({ declined: 1, timedOut: 0 });
    expect(board.agents.find((a) => a.username === 'agent2')!.offerOutcomes).toMatchObject({ declined: 0, timedOut: 1 });
  });

  it('withdrawn when the customer leaves, unavailable when the agent goes busy', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const leaving = await connectCustomer(server);
    await nextFrame(agent.ws, isOffer(leaving.interactionId));
    leaving.ws.send({ type: 'interaction.end', interactionId: leaving.interactionId });
    expect(await nextFrame<ServerMessageOf<'offer.withdrawn'>>(agent.ws, isType('offer.withdrawn'))).toMatchObject({ reason: 'customer_left' });

    const staying = await connectCustomer(server);
    await nextFrame(agent.ws, isOffer(staying.interactionId));
    agent.ws.send({ type: 'presence.set', presence: 'busy' });
    expect(await nextFrame<ServerMessageOf<'offer.withdrawn'>>(agent.ws, isType('offer.withdrawn'))).toMatchObject({ reason: 'unavailable' });

    const mine = await offers(server, agent.login.token);
    expect(outcomes(mine, leaving.interactionId)).toEqual(['withdrawn']);
    expect(outcomes(mine, staying.interactionId)).toEqual(['unavailable']);
  });

  it('offers standing when the server stopped end withdrawn at the next start, and the board counts survive it', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const declined = await connectCustomer(server);
    await nextFrame(agent.ws, isOffer(declined.interactionId));
    agent.ws.send({ type: 'offer.decline', interactionId: declined.interactionId });
    await nextFrame(agent.ws, isType('offer.withdrawn'));
    // agent1 is the only one: it comes back to them, and stands when the process stops.
    await nextFrame(agent.ws, isOffer(declined.interactionId));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-int-'));
    await copyDatabase({ dataDir: server.dataDir, vacuumInto: async (file) => void (await sql`vacuum into ${file}`.execute(server.db.kysely)) }, dataDir);
    const restarted = await startInProcess({ ...INTERACTION_DEFAULTS, dataDir });
    try {
      const res = await api(restarted.url, '/api/offers', { token: agent.login.token });
      expect(outcomes(res.body.offers as OfferRecord[], declined.interactionId)).toEqual(['withdrawn', 'declined']);
      const supervisor = await wsConnect(restarted.url, (await login(restarted.url, 'super1')).token);
      const board = await nextFrame<BoardFrame>(supervisor, isType('board'));
      expect(board.queues.find((q) => q.queueId === GENERAL)!.offerOutcomes).toMatchObject({ declined: 1, withdrawn: 1 });
    } finally {
      await restarted.close();
      await dropTestDatabase(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('an interaction offered to several agents at once: the others end taken_by_another when one accepts', async () => {
    // The routing engine offers one agent at a time, so this is the offer log's own rule, on the real database.
    server = await startInteractionsBackend();
    const customer = await connectCustomer(server);
    const [a1, a2, a3] = await Promise.all(['agent1', 'agent2', 'agent3'].map((u) => login(server.url, u)));
    const log = new OfferLog(server.db);
    const at = new Date();
    await log.load(at);
    for (const a of [a1!, a2!, a3!]) await log.opened({ interactionId: customer.interactionId, agentId: a.user.id, queueId: GENERAL, at });
    await log.ended(customer.interactionId, a3!.user.id, 'declined', at);
    await log.accepted(customer.interactionId, a1!.user.id, at);
    const rows = await server.db.kysely.selectFrom('offers').select(['agent_id', 'outcome']).where('interaction_id', '=', customer.interactionId).execute();
    const byAgent = Object.fromEntries(rows.map((r) => [r.agent_id, r.outcome]));
    expect(byAgent).toEqual({ [a1!.user.id]: 'accepted', [a2!.user.id]: 'taken_by_another', [a3!.user.id]: 'declined' });
    expect(log.queueCounts(GENERAL, at)).toEqual({ declined: 1, timedOut: 0, withdrawn: 0, takenByAnother: 1, unavailable: 0 });
    expect(outcomes(await offers(server, a2!.token), customer.interactionId)).toEqual(['taken_by_another']);
  });
});
