import fs from 'node:fs';
import type { FastifyRequest } from 'fastify';
import { endpoints } from '../../../shared/api/endpoints';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';
import { declareRoute, PRIVACY_ROLES, SIGNED_IN_ROLES, type RouteContext } from '../../kernel/routes';
import type { PrivacyRequests } from './requests/privacy-requests';
import type { ReceiptKeys } from './receipts/receipt-keys';
import { signReceipt } from './receipts/receipts';
import { exportArchivePath, type SubjectSearch } from './subjects/subject-search';

/**
 * /api/privacy/*: subject search and requests, for privacy officers and admins only. Other staff
 * get 403 on the search and the list, and 404 on a request's own routes (its id tells them nothing).
 */
export function registerPrivacyRoutes(
  { app, guard }: RouteContext,
  deps: { search: SubjectSearch; requests: PrivacyRequests; audit: AuditLog; keys: () => ReceiptKeys; dataDir: string; organisation: string },
): void {
  const officer = guard(PRIVACY_ROLES);
  const signedIn = guard(SIGNED_IN_ROLES);
  const { requests } = deps;
  /** A request's own routes: 404 for anyone who may not see privacy requests. */
  const requestFor = async (request: FastifyRequest, id: string) => {
    if (!PRIVACY_ROLES.includes(request.session!.user.role)) throw new DomainError('not_found', `No privacy request ${id.slice(0, 64)}.`);
    return requests.row(id);
  };

  declareRoute(app, endpoints.privacySubjects, { preHandler: officer, input: 'subject search' }, async ({ query, request }) => {
    const started = performance.now();
    const { matches, elsewhere } = await deps.search.find({
      ...(query.email !== undefined ? { email: query.email } : {}),
      ...(query.phone !== undefined ? { phone: query.phone } : {}),
      ...(query.name !== undefined ? { name: query.name } : {}),
      ...(query.interactionId !== undefined ? { interactionIds: [query.interactionId] } : {}),
    });
    const tookMs = Math.round((performance.now() - started) * 10) / 10;
    // Who looked a person up, by which kinds of identifier, and how much it found: never the values.
    const user = request.session!.user;
    await deps.audit.append({
      actor: { id: user.id, username: user.username },
      action: AuditAction.privacySubjectSearched,
      target: null,
      details: { by: Object.keys(query).sort(), matches: matches.length },
    });
    return { matches, elsewhere, tookMs };
  });

  declareRoute(app, endpoints.createPrivacyRequest, { preHandler: officer, input: 'privacy request' }, async ({ body, request, reply }) => {
    const user = request.session!.user;
    const created = await requests.create(body, { id: user.id, username: user.username });
    return reply.status(202).send(created);
  });

  declareRoute(app, endpoints.privacyRequests, { preHandler: officer }, async () => ({ requests: await requests.list() }));

  declareRoute(app, endpoints.privacyRequest, { preHandler: signedIn }, async ({ params, request }) => {
    await requestFor(request, params.id);
    return requests.get(params.id);
  });

  declareRoute(app, endpoints.privacyExport, { preHandler: signedIn }, async ({ params, request, reply }) => {
    const row = await requestFor(request, params.id);
    if (row.type !== 'export') throw new DomainError('conflict', `Privacy request ${row.id} is ${row.type === 'erase' ? 'an erase' : 'a rectification'}, not an export: it has no archive.`);
    if (row.status !== 'completed') throw new DomainError('conflict', row.status === 'failed' ? `Export ${row.id} failed, so it has no archive; send the request again.` : `Export ${row.id} is still ${row.status}; download it once its status is completed.`);
    const file = exportArchivePath(deps.dataDir, row.id);
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      throw new DomainError('not_found', `The archive of export ${row.id} is gone (an erase of the same person removes earlier exports); send a new export request.`);
    }
    reply.header('content-type', 'application/zip');
    reply.header('content-length', String(size));
    reply.header('content-disposition', `attachment; filename="privacy-export-${row.id}.zip"`);
    reply.header('cache-control', 'no-store');
    return reply.send(fs.createReadStream(file));
  });

  declareRoute(app, endpoints.privacyReceipt, { preHandler: signedIn }, async ({ params, request }) => {
    const row = await requestFor(request, params.id);
    const view = await requests.get(row.id);
    if (view.status !== 'completed' || view.completedAt === null || view.tookMs === null) {
      throw new DomainError('conflict', `Privacy request ${row.id} is ${view.status}: a receipt is issued once it has completed.`);
    }
    return signReceipt(
      {
        receiptVersion: 1,
        requestId: view.id,
        type: view.type,
        organisation: deps.organisation,
        subjectDigests: view.subjectDigests,
        receivedAt: view.createdAt,
        completedAt: view.completedAt,
        tookMs: view.tookMs,
        stores: view.stores,
      },
      deps.keys(),
    );
  });
}
