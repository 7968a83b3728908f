import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage, ServerMessageOf } from '../../shared/api/ws';
import { startInProcess } from '../support/in-process';
import { copyDatabase, dropTestDatabase } from '../support/test-database';
import { nextFrame, wsConnect, type TestBackend } from './helpers';
import { agent1ConnectedThenAgent2, connectCustomer, INTERACTION_DEFAULTS, isOffer, isState, startInteractionsBackend } from './interactions-support';

/** An agent's app reloads mid-consult: the consult comes back with the call, and can be finished from the new page. */

type ConsultState = ServerMessageOf<'consult.state'>;

const isConsult =
  (state: ConsultState['consult']['state'], attempt?: number) =>
  (f: ServerMessage): boolean =>
    f.type === 'consult.state' && f.consult.state === state && (attempt === undefined || f.consult.attempt === attempt);

describe('a consult across an app reload', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('the reloaded app gets the call and the consult again (ringing, then talking with a new audio attempt for both) and completes it', async () => {
    server = await startInteractionsBackend();
    const { agent1, customer, agent2 } = await agent1ConnectedThenAgent2(server);
    agent1.ws.send({ type: 'consult.start', interactionId: customer.interactionId, toUserId: agent2.id });
    const consultId = (await nextFrame<ConsultState>(agent2.ws, isConsult('ringing', 0))).consult.id;

    // Reload while ringing: a new socket, within the presence grace period.
    await agent1.ws.close();
    const page2 = await wsConnect(server.url, agent1.login.token);
    await nextFrame(page2, (f) => f.type === 'interaction.opened' && f.interaction.id === customer.interactionId && f.interaction.onHold);
    expect((await nextFrame<ConsultState>(page2, isConsult('ringing'))).consult).toMatchObject({ id: consultId, fromUserId: agent1.id, toUserId: agent2.id, attempt: 0 });

    agent2.ws.send({ type: 'consult.accept', consultId });
    await nextFrame(page2, isConsult('talking', 0));
    await nextFrame(agent2.ws, isConsult('talking', 0));

    // Reload while talking: the audio peer went with the page; both apps are told to make a new one.
    await page2.close();
    const page3 = await wsConnect(server.url, agent1.login.token);
    await nextFrame(page3, isConsult('talking', 1));
    await nextFrame(agent2.ws, isConsult('talking', 1));
    // Signals of the new attempt flow between the two agents.
    page3.send({ type: 'consult.signal', consultId, signal: { type: 'offer', sdp: 'v=0\r\n' } });
    await nextFrame(agent2.ws, (f) => f.type === 'consult.signal' && f.consultId === consultId);

    page3.send({ type: 'consult.complete', consultId });
    await nextFrame(agent2.ws, (f) => f.type === 'interaction.opened' && f.interaction.id === customer.interactionId && f.interaction.agentId === agent2.id);
    await nextFrame(agent2.ws, isConsult('completed'));
    await nextFrame(customer.ws, (f) => f.type === 'customer.state' && f.state === 'connected' && f.agentName === 'Ben Agent');
  });

  it('the agent consulted reloading gets the ringing consult again and can decline it; the customer is off hold', async () => {
    server = await startInteractionsBackend();
    const { agent1, customer, agent2 } = await agent1ConnectedThenAgent2(server);
    agent1.ws.send({ type: 'consult.start', interactionId: customer.interactionId, toUserId: agent2.id });
    const consultId = (await nextFrame<ConsultState>(agent2.ws, isConsult('ringing'))).consult.id;
    await nextFrame(customer.ws, isState('on_hold'));

    await agent2.ws.close();
    const page2 = await wsConnect(server.url, agent2.login.token);
    expect((await nextFrame<ConsultState>(page2, isConsult('ringing'))).consult.id).toBe(consultId);
    page2.send({ type: 'consult.cancel', consultId });
    expect((await nextFrame<ConsultState>(agent1.ws, isConsult('cancelled'))).consult.reason).toBe('declined');
    await nextFrame(customer.ws, isState('connected'));
  });

  it('a lone server restarted mid-consult ends the call (server_restart) and its consult with it; the agent consulted takes calls again', async () => {
    server = await startInteractionsBackend();
    const { agent1, customer, agent2 } = await agent1ConnectedThenAgent2(server);
    agent1.ws.send({ type: 'consult.start', interactionId: customer.interactionId, toUserId: agent2.id });
    const consultId = (await nextFrame<ConsultState>(agent2.ws, isConsult('ringing'))).consult.id;
    agent2.ws.send({ type: 'consult.accept', consultId });
    await nextFrame(agent1.ws, isConsult('talking'));
    // What a crash leaves on disk: a consistent copy of the database as it is now (the consult in progress in it).
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-int-'));
    await copyDatabase({ dataDir: server.dataDir, vacuumInto: async (file) => void (await sql`vacuum into ${file}`.execute(server.db.kysely)) }, dataDir);
    const restarted = await startInProcess({ ...INTERACTION_DEFAULTS, dataDir });
    try {
      const k = restarted.db.kysely;
      expect(await k.selectFrom('consults').select(['id', 'outcome']).execute()).toEqual([{ id: consultId, outcome: 'call_ended' }]);
      const events = await k.selectFrom('timeline').select(['type', 'details']).where('interaction_id', '=', customer.interactionId).orderBy('id').execute();
      expect(events.map((e) => e.type).slice(-2)).toEqual(['ended', 'consult_cancelled']);
      const page = await wsConnect(restarted.url, agent2.login.token);
      const next = await connectCustomer(restarted, { kind: 'call' });
      await nextFrame(page, isOffer(next.interactionId));
      expect(page.frames.some((f) => f.type === 'consult.state' && f.consult.state !== 'cancelled')).toBe(false);
    } finally {
      await restarted.close();
      await dropTestDatabase(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
