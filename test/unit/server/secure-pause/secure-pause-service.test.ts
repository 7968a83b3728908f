import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../../shared/api/ws';
import { DomainError } from '../../../../server/kernel/errors';
import type { Principal } from '../../../../server/kernel/principal';
import type { AuditRecord } from '../../../../server/modules/audit/audit-log';
import type { CallLifecycleEvent } from '../../../../server/modules/interactions/lifecycle-events';
import type { LiveInteraction } from '../../../../server/modules/interactions/live';
import type { PauseActor, PauseIntervalStore, PauseRow } from '../../../../server/modules/secure-pause/pause-intervals';
import { SecurePauseService, type PauseChange, type SecurePauseDeps } from '../../../../server/modules/secure-pause/secure-pause-service';

const T0 = Date.UTC(2030, 0, 1, 10, 0, 0);
const CALL = 'call-1';

const agent = (id: string): Principal => ({ id, role: 'agent', displayName: id, sessionId: `s-${id}`, expiresAt: new Date(T0 + 3_600_000) });

/** The stored intervals, in memory, as the SQL store keeps them. */
class MemoryIntervals implements PauseIntervalStore {
  readonly rows: PauseRow[] = [];
  async open(interactionId: string, at: Date, actor: PauseActor): Promise<void> {
    this.rows.push({ id: this.rows.length + 1, interaction_id: interactionId, started_at: at.toISOString(), ended_at: null, actor_id: actor.id, actor_name: actor.username, ended_by: null });
  }
  async close(interactionId: string, at: Date, by: string): Promise<void> {
    for (const r of this.rows) if (r.interaction_id === interactionId && r.ended_at === null) Object.assign(r, { ended_at: at.toISOString(), ended_by: by });
  }
  async of(interactionId: string): Promise<PauseRow[]> {
    return this.rows.filter((r) => r.interaction_id === interactionId);
  }
  async openOf(interactionId: string): Promise<PauseRow | undefined> {
    return this.rows.find((r) => r.interaction_id === interactionId && r.ended_at === null);
  }
  async byActorWithin(actorId: string, from: string, to: string | null): Promise<PauseRow[]> {
    return this.rows.filter((r) => r.actor_id === actorId && (r.ended_at === null || r.ended_at >= from) && (to === null || r.started_at <= to));
  }
}

/** The service with a fake interactions core: one connected call of agent1, a clock the test moves. */
function setup(opts: { kind?: 'call' | 'chat'; status?: LiveInteraction['status'] } = {}) {
  let now = T0;
  const intervals = new MemoryIntervals();
  const audit: AuditRecord[] = [];
  const sent: { to: string; message: ServerMessage }[] = [];
  const live = new Map<string, LiveInteraction>();
  live.set(CALL, { id: CALL, kind: opts.kind ?? 'call', status: opts.status ?? 'active', agentId: 'agent1' } as LiveInteraction);
  const callObservers: ((event: CallLifecycleEvent) => Promise<void> | void)[] = [];
  const chatObservers: ((event: CallLifecycleEvent) => Promise<void> | void)[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  const core = {
    live,
    callObservers,
    chatObservers,
    run<T>(task: () => Promise<T> | T): Promise<T> {
      const next = queue.then(task);
      queue = next.catch(() => undefined);
      return next;
    },
    async requireParty(principal: Principal, interactionId: string) {
      const call = live.get(interactionId);
      if (!call) throw new DomainError('not_found', `No interaction ${interactionId}.`);
      if (call.agentId !== principal.id) throw new DomainError('forbidden', `You are not the agent assigned to interaction ${interactionId}.`);
      return { live: call, side: 'agent' as const };
    },
    async actor(userId: string) {
      return { id: userId, username: userId };
    },
    hub: { sendTo: (to: string, message: ServerMessage) => void sent.push({ to, message }) },
  } as unknown as SecurePauseDeps['core'];
  const service = new SecurePauseService({
    intervals,
    audit: {
      append: async (record) => {
        audit.push(record);
        return { id: audit.length, at: new Date(now).toISOString(), ...record } as never;
      },
    },
    core,
    now: () => new Date(now),
  });
  const endCall = (at: number) => Promise.all(callObservers.map((o) => o({ type: 'ended', interactionId: CALL, agentId: 'agent1', at: new Date(at) })));
  const endChat = (at: number) => Promise.all(chatObservers.map((o) => o({ type: 'ended', interactionId: CALL, agentId: 'agent1', at: new Date(at) })));
  return { service, intervals, audit, sent, live, advance: (ms: number) => (now += ms), endCall, endChat };
}

/** A recording of the call, as the recordings module reports it. */
const recorded = (service: SecurePauseService, recordingId: string | null = 'rec-1') => service.attachRecording(async () => ({ recordingId, reminderAfterSeconds: 60 }));

describe('SecurePauseService', () => {
  it('keeps the pause of a call: paused, since when, by whom; a resume ends it', async () => {
    const { service, advance } = setup();
    recorded(service);
    expect(service.isPaused(CALL)).toBe(false);
    await service.pause(agent('agent1'), CALL);
    expect(service.isPaused(CALL)).toBe(true);
    expect(service.stateOf(CALL)).toEqual({ since: new Date(T0), by: { id: 'agent1', username: 'agent1' } });
    advance(5_000);
    await service.resume(agent('agent1'), CALL);
    expect(service.isPaused(CALL)).toBe(false);
    expect(service.stateOf(CALL)).toBeUndefined();
  });

  it('stores each interval, stamped when the agent acted; a repeated pause or resume adds none', async () => {
    const { service, intervals, advance } = setup();
    recorded(service);
    await service.pause(agent('agent1'), CALL);
    await service.pause(agent('agent1'), CALL);
    advance(4_000);
    await service.resume(agent('agent1'), CALL);
    await service.resume(agent('agent1'), CALL);
    advance(1_000);
    await service.pause(agent('agent1'), CALL);
    const rows = await service.intervals(CALL);
    expect(rows.map((r) => [r.started_at, r.ended_at, r.actor_name, r.ended_by])).toEqual([
      [new Date(T0).toISOString(), new Date(T0 + 4_000).toISOString(), 'agent1', 'agent1'],
      [new Date(T0 + 5_000).toISOString(), null, 'agent1', null],
    ]);
    expect(await service.openInterval(CALL)).toMatchObject({ started_at: new Date(T0 + 5_000).toISOString() });
    await service.closeLeftOpen(CALL, new Date(T0 + 6_000));
    expect(intervals.rows[1]).toMatchObject({ ended_at: new Date(T0 + 6_000).toISOString(), ended_by: 'system' });
  });

  it('audits pause and resume with the recording and the paused time; an unrecorded call says recordingId null', async () => {
    const { service, audit, advance } = setup();
    recorded(service);
    await service.pause(agent('agent1'), CALL);
    advance(3_000);
    await service.resume(agent('agent1'), CALL);
    expect(audit).toEqual([
      { actor: { id: 'agent1', username: 'agent1' }, action: 'recording.paused', target: CALL, details: { interactionId: CALL, recordingId: 'rec-1' } },
      { actor: { id: 'agent1', username: 'agent1' }, action: 'recording.resumed', target: CALL, details: { interactionId: CALL, recordingId: 'rec-1', pausedMs: 3_000 } },
    ]);

    const unrecorded = setup();
    unrecorded.service.addTarget({ protects: () => true });
    await unrecorded.service.pause(agent('agent1'), CALL);
    expect(unrecorded.audit[0]).toMatchObject({ action: 'recording.paused', details: { interactionId: CALL, recordingId: null } });
  });

  it('tells every subscriber, in order, inside the change and before the agent hears back; a failing one does not stop the change', async () => {
    const { service, sent } = setup();
    recorded(service);
    const told: string[] = [];
    service.subscribe(() => {
      throw new Error('broken subscriber');
    });
    service.subscribe(async (change: PauseChange) => {
      // The state is already the new one, and the agent has not been answered yet.
      told.push(`${change.paused}:${change.reason}:${service.isPaused(change.interactionId)}:${sent.length}`);
    });
    await service.pause(agent('agent1'), CALL);
    await service.pause(agent('agent1'), CALL);
    await service.resume(agent('agent1'), CALL);
    // Per change: the customer's call.recording, then the agent's answer; a repeated pause answers the agent only.
    expect(told).toEqual(['true:agent:true:0', 'false:agent:false:3']);
    expect(sent).toHaveLength(5);
  });

  it('answers every request with recording.state to the agent, also a repeated one', async () => {
    const { service, sent } = setup();
    recorded(service);
    await service.pause(agent('agent1'), CALL);
    await service.pause(agent('agent1'), CALL);
    const paused = { type: 'recording.state', interactionId: CALL, recording: true, paused: true, pausedSince: new Date(T0).toISOString(), recordingId: 'rec-1', reminderAfterSeconds: 60 };
    const toAgent = () => sent.filter((s) => s.to === 'agent1');
    expect(toAgent()).toEqual([
      { to: 'agent1', message: paused },
      { to: 'agent1', message: paused },
    ]);
    await service.resume(agent('agent1'), CALL);
    expect(toAgent()[2]).toEqual({ to: 'agent1', message: { type: 'recording.state', interactionId: CALL, recording: true, paused: false, recordingId: 'rec-1', reminderAfterSeconds: 60 } });
  });

  it('tells the customer only whether the call is recorded now: paused on a pause, recording on resume, once per change', async () => {
    const { service, sent } = setup();
    recorded(service);
    await service.pause(agent('agent1'), CALL);
    await service.pause(agent('agent1'), CALL);
    await service.resume(agent('agent1'), CALL);
    expect(sent.filter((s) => s.to === `customer:${CALL}`).map((s) => s.message)).toEqual([
      { type: 'call.recording', interactionId: CALL, state: 'paused' },
      { type: 'call.recording', interactionId: CALL, state: 'recording' },
    ]);
  });

  it("an unrecorded call's customer hears 'off'", async () => {
    const { service } = setup();
    expect(await service.customerFrame(CALL)).toEqual({ type: 'call.recording', interactionId: CALL, state: 'off' });
  });

  it('ends the pause with the call: interval closed by system, audited as resumed, subscribers told why', async () => {
    const { service, intervals, audit, endCall } = setup();
    recorded(service);
    const told: PauseChange[] = [];
    service.subscribe((change) => void told.push(change));
    await service.pause(agent('agent1'), CALL);
    await endCall(T0 + 7_000);
    expect(service.isPaused(CALL)).toBe(false);
    expect(intervals.rows[0]).toMatchObject({ ended_at: new Date(T0 + 7_000).toISOString(), ended_by: 'system' });
    expect(audit[1]).toEqual({ actor: null, action: 'recording.resumed', target: CALL, details: { interactionId: CALL, reason: 'call_ended' } });
    expect(told).toEqual([
      { interactionId: CALL, paused: true, reason: 'agent' },
      { interactionId: CALL, paused: false, reason: 'call_ended' },
    ]);
    // A call that ends unpaused changes nothing.
    await endCall(T0 + 8_000);
    expect(audit).toHaveLength(2);
  });

  it('refuses a pause with nothing to protect, but lets a pause that is on be resumed', async () => {
    const { service, audit } = setup();
    let monitored = false;
    service.addTarget({ protects: async () => monitored });
    await expect(service.pause(agent('agent1'), CALL)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/nothing to pause/) });
    await expect(service.resume(agent('agent1'), CALL)).rejects.toMatchObject({ code: 'conflict' });
    monitored = true;
    await service.pause(agent('agent1'), CALL);
    monitored = false;
    await service.resume(agent('agent1'), CALL);
    expect(audit.map((a) => a.action)).toEqual(['recording.paused', 'recording.resumed']);
  });

  it('refuses anyone but the call’s agent, chats and calls not connected, and changes nothing then', async () => {
    const { service, intervals, audit, sent } = setup();
    recorded(service);
    await expect(service.pause(agent('agent2'), CALL)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(service.pause(agent('agent1'), 'no-such-call')).rejects.toMatchObject({ code: 'not_found' });
    // A chat has no audio recording: without its screen recorded there is nothing to pause.
    const chat = setup({ kind: 'chat' });
    recorded(chat.service, null);
    await expect(chat.service.pause(agent('agent1'), CALL)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/Chat .* is not screen recorded/) });
    const ringing = setup({ status: 'offered' });
    recorded(ringing.service);
    await expect(ringing.service.pause(agent('agent1'), CALL)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/not connected/) });
    expect(service.isPaused(CALL)).toBe(false);
    expect(intervals.rows).toEqual([]);
    expect(audit).toEqual([]);
    expect(sent).toEqual([]);
  });

  it("pauses a chat whose screen is recorded (a target), tells the agent, never the chat's customer; the chat's end ends the pause", async () => {
    const { service, intervals, audit, sent, advance, endChat } = setup({ kind: 'chat' });
    recorded(service, null);
    service.addTarget({ protects: () => true });
    await service.pause(agent('agent1'), CALL);
    expect(service.isPaused(CALL)).toBe(true);
    expect(sent.map((s) => [s.to, s.message.type])).toEqual([['agent1', 'recording.state']]);
    advance(2000);
    await endChat(T0 + 2000);
    expect(service.isPaused(CALL)).toBe(false);
    expect(intervals.rows).toMatchObject([{ ended_at: new Date(T0 + 2000).toISOString(), ended_by: 'system' }]);
    expect(audit.map((a) => a.action)).toEqual(['recording.paused', 'recording.resumed']);
  });

  it('says the state of each connected call of an agent after hello, recorded or not', async () => {
    const { service, live } = setup();
    service.addTarget({ protects: () => true });
    await service.pause(agent('agent1'), CALL);
    live.set('call-2', { id: 'call-2', kind: 'call', status: 'active', agentId: 'agent2' } as LiveInteraction);
    const frames: ServerMessage[] = [];
    await service.connected(agent('agent1'), { send: (m: ServerMessage) => void frames.push(m) } as never);
    expect(frames).toEqual([{ type: 'recording.state', interactionId: CALL, recording: false, paused: true, pausedSince: new Date(T0).toISOString() }]);
    await service.connected({ ...agent('super1'), role: 'supervisor' }, { send: (m: ServerMessage) => void frames.push(m) } as never);
    expect(frames).toHaveLength(1);
  });
});
