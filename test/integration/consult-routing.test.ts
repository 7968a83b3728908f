import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage, ServerMessageOf } from '../../shared/api/ws';
import { api, login, nextFrame, roundTrip, wsConnect, type Json, type TestBackend, type TestSocket } from './helpers';
import { agent1ConnectedThenAgent2, connectCustomer, isOffer, isState, startInteractionsBackend, type Agent, type Customer } from './interactions-support';

/**
 * While a consult rings and talks, the agent consulted is busy: routing offers them no call, the
 * board shows both agents in a consult. Every way a consult ends gives the room back.
 */

type ConsultState = ServerMessageOf<'consult.state'>;
type BoardFrame = ServerMessageOf<'board'>;

const isConsult =
  (state: ConsultState['consult']['state']) =>
  (f: ServerMessage): boolean =>
    f.type === 'consult.state' && f.consult.state === state;

const boardShows =
  (activities: Record<string, string>) =>
  (f: ServerMessage): boolean =>
    f.type === 'board' && Object.entries(activities).every(([username, activity]) => (f as BoardFrame).agents.some((a) => a.username === username && a.activity === activity));

interface Consulting {
  agent1: Agent;
  agent2: Agent;
  customer: Customer;
  consultId: string;
  /** A second caller, waiting in General (agent1 is on the call, agent2 in the consult). */
  waiting: Customer;
  supervisor: TestSocket;
}

/** agent1 on a call consults agent2 (ringing); then a second call comes in and must wait. */
async function consultWithCallWaiting(server: TestBackend): Promise<Consulting> {
  const { agent1, customer, agent2 } = await agent1ConnectedThenAgent2(server);
  const supervisor = await wsConnect(server.url, (await login(server.url, 'super1')).token);
  agent1.ws.send({ type: 'consult.start', interactionId: customer.interactionId, toUserId: agent2.id });
  const consultId = (await nextFrame<ConsultState>(agent2.ws, isConsult('ringing'))).consult.id;
  const waiting = await connectCustomer(server, { kind: 'call' });
  await nextFrame(waiting.ws, isState('waiting'));
  return { agent1, agent2, customer, consultId, waiting, supervisor };
}

/** No offer of that call reached the agent (every frame sent before now has arrived). */
async function expectNoOffer(agent: Agent, interactionId: string): Promise<void> {
  await roundTrip(agent.ws);
  expect(agent.ws.frames.filter(isOffer(interactionId))).toEqual([]);
}

describe('a consult makes the agent consulted busy', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('no call is offered to them while it rings and talks; the board and the transfer list say so; cancel frees them', async () => {
    server = await startInteractionsBackend();
    const { agent1, agent2, customer, consultId, waiting, supervisor } = await consultWithCallWaiting(server);
    await nextFrame(supervisor, boardShows({ agent1: 'consult', agent2: 'consult' }));
    await expectNoOffer(agent2, waiting.interactionId);

    const targets = await api(server.url, `/api/interactions/${customer.interactionId}/transfer-targets`, { token: agent1.login.token });
    expect(targets.body.agents.find((a: Json) => a.username === 'agent2')).toMatchObject({ activity: 'consult', canTake: false, why: 'in a consult' });

    agent2.ws.send({ type: 'consult.accept', consultId });
    await nextFrame(agent1.ws, isConsult('talking'));
    await expectNoOffer(agent2, waiting.interactionId);
    expect(waiting.ws.frames.filter(isState('ringing'))).toEqual([]);

    agent1.ws.send({ type: 'consult.cancel', consultId });
    await nextFrame(agent2.ws, isConsult('cancelled'));
    await nextFrame(agent2.ws, isOffer(waiting.interactionId));
    await nextFrame(waiting.ws, isState('ringing'));
    await nextFrame(supervisor, boardShows({ agent1: 'call', agent2: 'offered' }));
  });

  it('completed: the call they were held for is theirs, so the waiting call goes to the first agent instead', async () => {
    server = await startInteractionsBackend();
    const { agent1, agent2, consultId, waiting, supervisor } = await consultWithCallWaiting(server);
    agent2.ws.send({ type: 'consult.accept', consultId });
    await nextFrame(agent1.ws, isConsult('talking'));
    agent1.ws.send({ type: 'consult.complete', consultId });
    await nextFrame(agent2.ws, isConsult('completed'));
    await nextFrame(agent1.ws, isOffer(waiting.interactionId));
    await expectNoOffer(agent2, waiting.interactionId);
    await nextFrame(supervisor, boardShows({ agent1: 'offered', agent2: 'call' }));
  });

  it('the customer hanging up ends the consult and the agent consulted is offered the waiting call', async () => {
    server = await startInteractionsBackend();
    const { agent2, customer, waiting } = await consultWithCallWaiting(server);
    customer.ws.send({ type: 'interaction.end', interactionId: customer.interactionId });
    expect((await nextFrame<ConsultState>(agent2.ws, isConsult('cancelled'))).consult.reason).toBe('call_ended');
    await nextFrame(agent2.ws, isOffer(waiting.interactionId));
  });

  it('the call’s agent losing their connection for good ends it (disconnected): the customer is off hold, the agent consulted free', async () => {
    server = await startInteractionsBackend();
    const { agent1, agent2, customer, waiting, supervisor } = await consultWithCallWaiting(server);
    await nextFrame(customer.ws, isState('on_hold'));
    await agent1.ws.close();
    // After the presence grace period (200 ms here) agent1 is offline.
    expect((await nextFrame<ConsultState>(agent2.ws, isConsult('cancelled'))).consult.reason).toBe('disconnected');
    await nextFrame(customer.ws, isState('connected'));
    await nextFrame(agent2.ws, isOffer(waiting.interactionId));
    await nextFrame(supervisor, boardShows({ agent1: 'offline', agent2: 'offered' }));
  });

  it('the agent consulted losing their connection ends it for the call’s agent', async () => {
    server = await startInteractionsBackend();
    const { agent1, agent2, customer } = await consultWithCallWaiting(server);
    await agent2.ws.close();
    expect((await nextFrame<ConsultState>(agent1.ws, isConsult('cancelled'))).consult.reason).toBe('disconnected');
    await nextFrame(customer.ws, isState('connected'));
  });
});
