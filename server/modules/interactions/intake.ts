import { randomUUID } from 'node:crypto';
import type { StartInteractionRequest } from '../../../shared/api/interactions-http';
import { couldBeUnder13 } from '../../../shared/domain/child-age';
import { AuditAction } from '../audit/actions';
import type { ConsentIntake } from './consent-port';
import { issueCustomerToken } from './customer-tokens';
import type { InteractionService } from './interaction-service';
import type { LiveInteraction } from './live';

/** How long a customer's `vc_` token is valid. */
export const CUSTOMER_TOKEN_TTL_MS = 4 * 3600_000;

/** How interactions come in from the widget: a chat or call to route, or a message left for a queue. */
export class Intake {
  constructor(
    private readonly core: InteractionService,
    private readonly consent: ConsentIntake | null = null,
  ) {}

  /** A customer starts a chat or call: stored, queued, routed. Returns the widget's token. */
  start(input: StartInteractionRequest): Promise<{ interactionId: string; customerToken: string; expiresAt: string }> {
    const { core } = this;
    return core.run(async () => {
      const now = core.now();
      const id = randomUUID();
      const token = issueCustomerToken(now, CUSTOMER_TOKEN_TTL_MS);
      // A child (privacy-model.md, principle 7): no name or e-mail kept, never recorded, purged at
      // the end. The year of birth itself is not stored anywhere.
      const child = input.birthYear !== undefined && couldBeUnder13(input.birthYear, now);
      // Checked before anything is stored; a child's choices are not recorded (nothing is kept about them).
      const consents = !child && this.consent ? await this.consent.prepare({ consents: input.consents, noticeVersion: input.noticeVersion }) : null;
      const customerName = child ? null : input.customer.name || null;
      // One transaction: a start either stores the interaction with its consent records or nothing.
      await core.repo.transaction(async (repo, trx) => {
        await repo.insert({
          id,
          kind: input.kind,
          status: 'queued',
          queue_id: input.queueId,
          customer_name: customerName,
          customer_email: child ? null : (input.customer.email ?? null),
          child_protected: child ? 1 : 0,
          agent_id: null,
          created_at: now.toISOString(),
          answered_at: null,
          ended_at: null,
          disposition: null,
          notes: null,
          wrapup_at: null,
          wrapup_by: null,
          customer_token_hash: token.hash,
          customer_token_expires_at: token.expiresAt.toISOString(),
        });
        await repo.addEvent(id, 'queued', now, null, { queueId: input.queueId });
        if (consents && this.consent) await this.consent.record(id, consents, now, trx);
      });
      const live: LiveInteraction = {
        id,
        kind: input.kind,
        queueId: input.queueId,
        status: 'queued',
        agentId: null,
        customerName,
        sensitive: null,
        enqueuedAt: now.getTime(),
        onHold: false,
        offer: null,
        wrapup: null,
        goneTimer: null,
        lastCustomerState: null,
      };
      core.live.set(id, live);
      core.watchCustomer(live);
      await core.apply(core.engine.enqueue({ id, kind: live.kind, queueId: live.queueId, enqueuedAt: live.enqueuedAt }, now.getTime()), now);
      return { interactionId: id, customerToken: token.token, expiresAt: token.expiresAt.toISOString() };
    });
  }

  /**
   * Nobody could take it (or the customer chose to): a message for the queue, stored closed at once.
   * A child's (the year of birth says they could be under 13) ends as it starts, so by the rule for
   * a child-protected conversation that has ended nothing of it is kept: no name, e-mail or text,
   * only the queue, the time and the mark. The year itself is not stored.
   */
  leaveMessage(input: { queueId: string; customer: { name?: string | undefined; email?: string | undefined }; text: string; birthYear?: number | undefined }): Promise<{ interactionId: string }> {
    const { core } = this;
    return core.run(async () => {
      const now = core.now();
      const id = randomUUID();
      const child = input.birthYear !== undefined && couldBeUnder13(input.birthYear, now);
      await core.repo.insert({
        id,
        kind: 'message',
        status: 'closed',
        queue_id: input.queueId,
        customer_name: child ? null : input.customer.name || null,
        customer_email: child ? null : (input.customer.email ?? null),
        child_protected: child ? 1 : 0,
        agent_id: null,
        created_at: now.toISOString(),
        answered_at: null,
        ended_at: now.toISOString(),
        disposition: null,
        notes: null,
        wrapup_at: null,
        wrapup_by: null,
        customer_token_hash: null,
        customer_token_expires_at: null,
      });
      if (!child) {
        await core.repo.insertMessages([
          { id: randomUUID(), interaction_id: id, seq: 1, author: 'customer', author_name: input.customer.name || 'Customer', text: core.deps.redaction.redact(input.text).text, client_msg_id: null, at: now.toISOString() },
        ]);
      }
      await core.repo.addEvent(id, 'message_left', now, null, { queueId: input.queueId });
      // Ids only: the customer's name, address and words stay out of the audit log.
      await core.deps.audit.append({ actor: null, action: AuditAction.messageLeft, target: id, details: { interactionId: id, queueId: input.queueId, ...(child ? { childProtected: true } : {}) } });
      return { interactionId: id };
    });
  }
}
