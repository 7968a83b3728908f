import type { FastifyError, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { describeIssues, type ErrorBody, type ErrorCode } from '../../shared/api/errors';

/** An error meant for the client: status, stable code and a message that says what to do next. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: { path: string; message: string }[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** Parses untrusted input with a shared schema; a mismatch becomes a 400 naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issues = describeIssues(result.error.issues);
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new HttpError(400, 'bad_request', `Invalid ${what}: ${summary}`, issues);
  }
  return result.data;
}

export function errorBody(code: ErrorCode, message: string, issues?: { path: string; message: string }[]): ErrorBody {
  return { error: issues ? { code, message, issues } : { code, message } };
}

/** Maps Fastify's own errors (bad JSON, too large, wrong content type) and ours to one error shape. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      if (error.headers) reply.headers(error.headers);
      return reply.status(error.status).send(errorBody(error.code, error.message, error.issues));
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
