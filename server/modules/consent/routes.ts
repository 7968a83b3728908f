import type { FastifyRequest } from 'fastify';
import { endpoints } from '../../../shared/api/endpoints';
import { DomainError } from '../../kernel/errors';
import type { Principal } from '../../kernel/principal';
import { ALL_ROLES, declareRoute, type RouteContext } from '../../kernel/routes';
import type { InteractionsRepo } from '../interactions/repo';
import type { SensitiveAccess } from '../interactions/sensitive';
import type { WidgetRateLimiter } from '../interactions/widget-rate-limit';
import type { ConsentRecords } from './consent-records';
import type { ConsentSettingsStore } from './consent-settings';
import type { TrainingLibrary } from './training-library';
import { notTheirs } from '../interactions/not-theirs';

export interface ConsentRoutesDeps {
  settings: ConsentSettingsStore;
  records: ConsentRecords;
  training: TrainingLibrary;
  repo: InteractionsRepo;
  sensitive: SensitiveAccess;
  /** The widget's `vc_` token → its customer principal (the interactions module's resolver). */
  resolveCustomer(token: string): Promise<Principal | null>;
  limiter: WidgetRateLimiter;
}

/**
 * Consent settings (admins), consent records (the customer with their conversation's token; staff
 * who may open the interaction; admins withdraw) and the training library (supervisors, admins).
 */
export function registerConsentRoutes({ app, guard }: RouteContext, deps: ConsentRoutesDeps): void {
  const admin = guard(['admin']);
  const staff = guard(ALL_ROLES);
  const coaches = guard(['supervisor', 'admin']);
  const { settings, records, training } = deps;

  declareRoute(app, endpoints.consentSettings, { preHandler: admin }, async ({ reply }) => {
    const current = await settings.get();
    if (!current) throw new DomainError('not_found', 'No privacy notice or consent purposes yet. Save them with PUT /api/admin/consent-settings.');
    return reply.send(current);
  });
  declareRoute(app, endpoints.saveConsentSettings, { preHandler: admin, input: 'consent settings' }, async ({ body, request }) => {
    const user = request.session!.user;
    return settings.set(body, { id: user.id, username: user.username });
  });

  // ---- the widget (no account; the customer's token where it acts on their conversation)
  declareRoute(app, endpoints.widgetConsentSettings, {}, async () => settings.widgetView());

  const customer = async (request: FastifyRequest): Promise<string> => {
    const retryMs = await deps.limiter.take(request.ip);
    if (retryMs > 0) {
      const seconds = Math.ceil(retryMs / 1000);
      throw new DomainError('rate_limited', `Too many requests from your address. Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
    }
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    const principal = token ? await deps.resolveCustomer(token) : null;
    if (!principal?.interactionId) throw new DomainError('unauthenticated', "Send your conversation's token as Authorization: Bearer vc_…; it is valid for 4 hours after the start.");
    return principal.interactionId;
  };
  declareRoute(app, endpoints.widgetConsents, {}, async ({ request }) => ({ consents: await records.forInteraction(await customer(request)) }));
  declareRoute(app, endpoints.widgetWithdrawConsent, { input: 'withdrawal' }, async ({ params, request }) => records.withdrawByCustomer(await customer(request), params.purposeId));

  // ---- staff
  declareRoute(app, endpoints.interactionConsents, { preHandler: staff }, async ({ params, request }) => {
    const user = request.session!.user;
    const row = params.id.length <= 64 ? await deps.repo.get(params.id) : undefined;
    if (!row) throw new DomainError('not_found', `No interaction ${params.id.slice(0, 64)}.`);
    if (user.role === 'agent' && !(await deps.repo.involves(row.id, user.id))) throw notTheirs(row);
    await deps.sensitive.assertMaySee(user, row);
    return { consents: await records.forInteraction(row.id) };
  });
  declareRoute(app, endpoints.withdrawConsent, { preHandler: admin }, async ({ params, request }) => {
    const user = request.session!.user;
    return records.withdrawByAdmin(params.id, { id: user.id, username: user.username });
  });

  declareRoute(app, endpoints.trainingItems, { preHandler: coaches }, async ({ request }) => ({ items: await training.list(request.session!.user) }));
  declareRoute(app, endpoints.addTrainingItem, { preHandler: coaches, input: 'training item' }, async ({ body, request, reply }) => {
    return reply.status(201).send(await training.add(request.session!.user, body));
  });
  declareRoute(app, endpoints.trainingItem, { preHandler: coaches }, async ({ params, request }) => training.read(request.session!.user, params.id));
}
