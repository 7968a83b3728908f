import type { FastifyRequest } from 'fastify';
import { endpoints } from '../../../shared/api/endpoints';
import type { StartInteractionResponse } from '../../../shared/api/interactions-http';
import { routes } from '../../../shared/api/routes';
import { DomainError } from '../../kernel/errors';
import { declareRoute, type RouteContext } from '../../kernel/routes';
import type { Intake } from './intake';
import type { InteractionService } from './interaction-service';
import type { WidgetRateLimiter } from './widget-rate-limit';

/**
 * The customer widget's HTTP side: no account. Starting a chat or call returns the `vc_` token its
 * WebSocket hello carries; leaving a message stores it for the queue. Starts are rate-limited per
 * client address.
 */
export function registerWidgetRoutes({ app }: RouteContext, deps: { core: InteractionService; intake: Intake; limiter: WidgetRateLimiter }): void {
  const { core } = deps;

  const limit = async (request: FastifyRequest) => {
    const retryMs = await deps.limiter.take(request.ip);
    if (retryMs > 0) {
      const seconds = Math.ceil(retryMs / 1000);
      throw new DomainError('rate_limited', `Too many conversations started from your address. Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
    }
  };
  const queueOrThrow = (queueId: string) => {
    const queue = core.queues.get(queueId);
    if (!queue) throw new DomainError('not_found', `No queue ${queueId}. ${routes.widgetQueues.method} ${routes.widgetQueues.path} lists them.`);
    return queue;
  };

  declareRoute(app, endpoints.widgetQueues, {}, async () => ({
    // Counts only: who the members are is not the customer's business.
    queues: [...core.queues.values()].map((q) => ({ id: q.id, name: q.name, membersSignedIn: core.membersSignedIn(q.id), membersAvailable: core.membersAvailable(q.id) })),
  }));

  declareRoute(app, endpoints.widgetStart, { input: 'start request' }, async ({ body, request, reply }) => {
    queueOrThrow(body.queueId);
    await limit(request);
    const started: StartInteractionResponse = await deps.intake.start(body);
    return reply.status(201).send(started);
  });

  declareRoute(app, endpoints.widgetLeaveMessage, { input: 'message' }, async ({ body, request, reply }) => {
    queueOrThrow(body.queueId);
    await limit(request);
    return reply.status(201).send(await deps.intake.leaveMessage(body));
  });
}
