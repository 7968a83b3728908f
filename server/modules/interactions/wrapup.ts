import type { Kysely } from 'kysely';
import type { ServerMessageOf } from '../../../shared/api/ws';
import type { Database } from '../../db/schema';
import { DomainError } from '../../kernel/errors';
import type { Principal } from '../../kernel/principal';
import { AuditAction } from '../audit/actions';
import type { ChildProtection } from './child-protection';
import type { InteractionService } from './interaction-service';
import type { LiveInteraction } from './live';
import { refuse } from './refuse';

/** Extra writes that must commit with the wrap-up (the sync push's mutation record). */
export type InTransaction = (trx: Kysely<Database>) => Promise<void>;

/**
 * After an interaction with an agent ends, that agent owes a wrap-up: a disposition from the
 * queue's list and notes. Until they submit it, or the time runs out (closed, marked timed out),
 * they get no offers.
 */
export class Wrapups {
  constructor(
    private readonly core: InteractionService,
    private readonly wrapupMs: number,
    private readonly childProtection: ChildProtection,
  ) {}

  /** Starts the wrap-up of an interaction that just ended (status wrapup, agent set). */
  begin(live: LiveInteraction, agentId: string, now: Date, deadline = now.getTime() + this.wrapupMs): void {
    if (live.wrapup) clearTimeout(live.wrapup.timer);
    const timer = setTimeout(() => void this.core.background('wrap-up timeout', () => this.timeout(live.id)), Math.max(0, deadline - this.core.now().getTime()));
    live.wrapup = { agentId, deadline, timer };
    this.core.hub.sendTo(agentId, this.requiredFrame(live));
  }

  requiredFrame(live: LiveInteraction): ServerMessageOf<'wrapup.required'> {
    return {
      type: 'wrapup.required',
      interactionId: live.id,
      dispositions: this.core.queues.get(live.queueId)?.dispositions ?? [],
      deadline: new Date(live.wrapup?.deadline ?? this.core.now().getTime()).toISOString(),
    };
  }

  submit(principal: Principal, input: { interactionId: string; disposition: string; notes: string }): Promise<void> {
    return this.core.run(() => this.submitNow(principal, input));
  }

  /** submit for a caller already inside core.run; `inTransaction` joins the transaction that closes it (sync push). */
  async submitNow(principal: Principal, input: { interactionId: string; disposition: string; notes: string }, inTransaction?: InTransaction): Promise<void> {
    const live = this.core.live.get(input.interactionId);
    if (!live) {
      const row = await this.core.repo.get(input.interactionId);
      if (!row) throw refuse.notFound(input.interactionId);
      if (row.agent_id === principal.id) throw refuse.conflict(`The wrap-up of interaction ${input.interactionId} is already done (${row.status}).`);
      throw refuse.forbidden(`You are not the agent assigned to interaction ${input.interactionId}.`);
    }
    if (live.agentId !== principal.id) throw refuse.forbidden(`You are not the agent assigned to interaction ${input.interactionId}.`);
    if (live.status !== 'wrapup') throw refuse.conflict(`Interaction ${input.interactionId} has not ended yet; end it before the wrap-up.`);
    const allowed = this.core.queues.get(live.queueId)?.dispositions ?? [];
    if (!allowed.includes(input.disposition)) {
      throw new DomainError('bad_request', `Unknown disposition ${JSON.stringify(input.disposition)}. Choose one of: ${allowed.join(', ')}.`);
    }
    const notes = this.core.deps.redaction.redact(input.notes).text;
    await this.finish(live, { disposition: input.disposition, notes, agentId: principal.id }, this.core.now(), inTransaction);
  }

  private async timeout(interactionId: string): Promise<void> {
    const live = this.core.live.get(interactionId);
    if (!live || live.status !== 'wrapup') return;
    await this.finish(live, null, this.core.now());
  }

  /** Closes the interaction with the agent's wrap-up, or as timed out (`submitted` null). */
  private async finish(live: LiveInteraction, submitted: { disposition: string; notes: string; agentId: string } | null, now: Date, inTransaction?: InTransaction): Promise<void> {
    const agentId = live.wrapup?.agentId ?? live.agentId;
    this.core.forget(live);
    live.wrapup = null;
    const actor = submitted ? await this.core.actor(submitted.agentId) : null;
    await this.core.repo.transaction(async (repo, trx) => {
      await repo.update(live.id, {
        status: 'closed',
        disposition: submitted?.disposition ?? null,
        notes: submitted?.notes ?? null,
        wrapup_at: now.toISOString(),
        wrapup_by: actor?.username ?? 'system',
        wrapup_timed_out: submitted ? 0 : 1,
      });
      if (submitted) await repo.addEvent(live.id, 'wrapup_submitted', now, actor, { disposition: submitted.disposition });
      else await repo.addEvent(live.id, 'wrapup_timeout', now, null, {});
      await inTransaction?.(trx);
    });
    // After the commit: the purge writes its own transaction (wrap-up notes and notes included).
    await this.childProtection.ended(live.id, 'closed', now);
    await this.core.deps.audit.append({
      actor,
      action: submitted ? AuditAction.wrapupSubmitted : AuditAction.wrapupTimedOut,
      target: live.id,
      details: submitted ? { interactionId: live.id, disposition: submitted.disposition } : { interactionId: live.id, agentId },
    });
    if (agentId) {
      this.core.hub.sendTo(agentId, { type: 'wrapup.done', interactionId: live.id, timedOut: !submitted });
      await this.core.sendUpdated(live.id, agentId);
      await this.core.refreshAgent(agentId, now);
    }
    this.core.changed();
  }
}
