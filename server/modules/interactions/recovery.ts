import type { Ending } from './ending';
import type { InteractionService } from './interaction-service';
import type { LiveInteraction } from './live';
import type { Wrapups } from './wrapup';

/**
 * At start-up, takes over the interactions the previous process left open. Routing lives in
 * memory, so: waiting ones queue again in their order (their customers reconnect with their
 * tokens, or count as gone after customerGoneMs); connected ones cannot be resumed (the process
 * that held the assignment was restarted, and with it the server side of the call) and end, going
 * to wrap-up; wrap-ups get a fresh deadline. With several nodes (`resumeAnswered`) a node taking
 * over the routing lease resumes active chats and calls with their agent: the apps reconnect, a
 * call's media is peer to peer and never went through the dead node, and its signalling re-attaches.
 */
export async function recoverOpenInteractions(core: InteractionService, ending: Ending, wrapups: Wrapups, opts: { resumeAnswered?: boolean } = {}): Promise<number> {
  const rows = await core.repo.listOpen();
  const now = core.now();
  // Offers standing when the previous process stopped went with it; then today's board counts.
  await core.deps.offerLog.withdrawStanding(now);
  await core.deps.offerLog.load(now);
  for (const row of rows) {
    if (row.kind === 'message') continue;
    const live: LiveInteraction = {
      id: row.id,
      kind: row.kind,
      queueId: row.queue_id,
      status: row.status === 'offered' ? 'queued' : (row.status as LiveInteraction['status']),
      agentId: row.status === 'active' || row.status === 'wrapup' ? row.agent_id : null,
      customerName: row.customer_name,
      sensitive: row.sensitive_category,
      enqueuedAt: new Date(row.created_at).getTime(),
      // A call resumed on another node stays on hold if it was (the caller hears it, the agent's app is told).
      onHold: row.status === 'active' && Number(row.on_hold) === 1,
      offer: null,
      wrapup: null,
      goneTimer: null,
      lastCustomerState: null,
    };
    core.live.set(live.id, live);
    if (live.status === 'queued') {
      await core.repo.update(live.id, { status: 'queued' });
      core.watchCustomer(live);
      await core.apply(core.engine.enqueue({ id: live.id, kind: live.kind, queueId: live.queueId, enqueuedAt: live.enqueuedAt }, now.getTime()), now);
    } else if (live.status === 'active' && opts.resumeAnswered && live.agentId) {
      // Several nodes: the node that routed it died and this one took the lease. It goes on with the
      // same agent: both sides reconnect and get the conversation (a chat) or the call's state, and
      // a call's peer-to-peer media, which never passed through a node, keeps flowing meanwhile.
      core.engine.restoreAssigned({ id: live.id, kind: live.kind, queueId: live.queueId, enqueuedAt: live.enqueuedAt }, live.agentId, row.answered_at ? new Date(row.answered_at).getTime() : now.getTime());
    } else if (live.status === 'active') {
      await ending.finish(live, 'system', now, { reason: 'server_restart' });
    } else if (live.agentId) {
      wrapups.begin(live, live.agentId, now);
    } else {
      core.forget(live);
      await core.repo.update(live.id, { status: 'closed', wrapup_at: now.toISOString(), wrapup_by: 'system', wrapup_timed_out: 1 });
    }
  }
  return rows.length;
}
