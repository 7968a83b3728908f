import type { FastifyError, FastifyInstance } from 'fastify';
import type { ErrorBody, ErrorCode } from '../../shared/api/errors';
import { DomainError, type DomainErrorCode } from '../kernel/errors';

/** How each domain refusal answers over HTTP: the status, and the code the body carries. */
const HTTP_ANSWERS: Record<DomainErrorCode, { status: number; code: ErrorCode }> = {
  bad_request: { status: 400, code: 'bad_request' },
  unauthenticated: { status: 401, code: 'unauthenticated' },
  forbidden: { status: 403, code: 'forbidden' },
  not_found: { status: 404, code: 'not_found' },
  conflict: { status: 409, code: 'conflict' },
  payload_too_large: { status: 413, code: 'payload_too_large' },
  policy_not_accepted: { status: 403, code: 'policy_not_accepted' },
  password_change_required: { status: 403, code: 'password_change_required' },
  unsupported_media_type: { status: 415, code: 'bad_request' },
  rate_limited: { status: 429, code: 'rate_limited' },
  not_implemented: { status: 501, code: 'not_implemented' },
  damaged: { status: 500, code: 'internal' },
  unavailable: { status: 503, code: 'unavailable' },
};

export function errorBody(code: ErrorCode, message: string, issues?: { path: string; message: string }[]): ErrorBody {
  return { error: issues ? { code, message, issues } : { code, message } };
}

/** Maps Fastify's own errors (bad JSON, too large, wrong content type) and the domain's to one error shape. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | DomainError, request, reply) => {
    if (error instanceof DomainError) {
      const answer = HTTP_ANSWERS[error.code];
      const { issues, retryAfterSeconds } = error.details;
      if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
      return reply.status(answer.status).send(errorBody(answer.code, error.message, issues));
    }
    const status = error.statusCode ?? 500;
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
      // The route's own limit (sync push allows 1 MiB), else the server's 64 KiB.
      const limitKiB = Math.round((request.routeOptions.bodyLimit || 64 * 1024) / 1024);
      return reply.status(413).send(errorBody('payload_too_large', `Request body is too large. Send at most ${limitKiB} KiB.`));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
      return reply.status(415).send(errorBody('bad_request', 'Unsupported content type. Send JSON with Content-Type: application/json.'));
    }
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply.status(400).send(errorBody('bad_request', 'Request body is empty. Send a JSON object.'));
    }
    if (status >= 400 && status < 500) {
      const message = error.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError ? `Malformed JSON body: ${error.message}` : error.message;
      return reply.status(status).send(errorBody('bad_request', message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorBody('internal', 'Internal server error. Try again; if it persists, contact your administrator.'));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody('not_found', `No route for ${request.method} ${request.url.split('?')[0]}.`));
  });
}
