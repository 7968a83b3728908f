import { describe, expect, it, vi } from 'vitest';
import { ApiError, createHttpClient, type FetchLike, type RequestOptions } from '../../../browser/net/http-client';
import { RecordingsResponse } from '../../../shared/api/recordings';
import { routePath, routes } from '../../../shared/api/routes';

function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function recordingFetch(answer: () => Response | Promise<Response>) {
  const calls: { url: string; init: RequestOptions }[] = [];
  const fetch: FetchLike<Response> = vi.fn(async (url: string, init: RequestOptions) => {
    calls.push({ url, init });
    return answer();
  });
  return { fetch, calls };
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(err)}`);
  return err;
}

describe('typed HTTP client', () => {
  it('builds the URL from the declaration: escaped path parameters, the given query values, a sub-path', async () => {
    const { fetch, calls } = recordingFetch(() => json(200, { changes: [] }));
    const http = createHttpClient({ baseUrl: 'https://example.test/veildesk', fetch });
    await http.call(routes.syncInteraction, { token: 't', params: { id: 'a/b c' } });
    await http.call(routes.interactions, { query: { before: 'x|1', limit: 25, agentId: undefined } });
    await http.call(routes.syncPull, { query: { after: '', limit: 10 } });
    expect(calls.map((c) => c.url)).toEqual([
      'https://example.test/veildesk/api/sync/interactions/a%2Fb%20c',
      'https://example.test/veildesk/api/interactions?before=x%7C1&limit=25',
      'https://example.test/veildesk/api/sync/pull?limit=10',
    ]);
    expect(calls[0]!.init).toMatchObject({ method: 'GET', headers: { authorization: 'Bearer t', accept: 'application/json' }, credentials: 'omit', cache: 'no-store' });
    expect(http.url(routes.recordingChunk, { params: { recordingId: 'r1', segment: 2, seq: 7 } })).toBe('https://example.test/veildesk/api/recordings/r1/segments/2/chunks/7');
  });

  it('without a server address it calls the page’s own origin, and sends JSON bodies with their type', async () => {
    const { fetch, calls } = recordingFetch(() => json(201, { interactionId: 'i1' }));
    const http = createHttpClient({ baseUrl: '', fetch });
    expect(await http.call(routes.widgetLeaveMessage, { body: { queueId: 'q', text: 'hi' } })).toEqual({ interactionId: 'i1' });
    expect(calls[0]!.url).toBe('/api/widget/messages');
    expect(calls[0]!.init).toMatchObject({ method: 'POST', body: '{"queueId":"q","text":"hi"}', headers: { 'content-type': 'application/json' } });
  });

  it('maps an error answer to one ApiError with the server’s code, message and issues, else the status', async () => {
    const issues = [{ path: 'limit', message: 'Too big' }];
    const refused = createHttpClient({ baseUrl: 'http://s', fetch: recordingFetch(() => json(400, { error: { code: 'bad_request', message: 'Invalid query', issues } })).fetch });
    expect(await rejection(refused.call(routes.auditPage, { query: { limit: 9999 } }))).toMatchObject({ code: 'bad_request', message: 'Invalid query', status: 400, issues });

    const proxy = createHttpClient({ baseUrl: 'http://s', fetch: recordingFetch(() => new Response('<html>', { status: 503, statusText: 'Service Unavailable' })).fetch });
    const err = await rejection(proxy.call(routes.health));
    expect(err).toMatchObject({ code: 'internal', status: 503 });
    expect(err.message).toMatch(/503 Service Unavailable/);

    const worded = createHttpClient({
      baseUrl: 'http://s',
      fetch: recordingFetch(() => json(401, undefined)).fetch,
      wording: { errorAnswer: (status) => new ApiError('unauthenticated', `answered ${status}`, status) },
    });
    expect(await rejection(worded.call(routes.me, { token: 'x' }))).toMatchObject({ code: 'unauthenticated', message: 'answered 401' });
  });

  it('tells a network failure from a timeout', async () => {
    const down = createHttpClient({ baseUrl: 'http://s', fetch: () => Promise.reject(new TypeError('fetch failed')) });
    expect(await rejection(down.call(routes.health))).toMatchObject({ code: 'network', status: 0 });
    const slow = createHttpClient({ baseUrl: 'http://s', fetch: () => Promise.reject(new DOMException('timed out', 'TimeoutError')) });
    expect(await rejection(slow.call(routes.health))).toMatchObject({ code: 'timeout', status: 0 });
  });

  it('checks the answer with the given schema: typed data, or bad_response (with the caller’s words if given)', async () => {
    const good = createHttpClient({ baseUrl: 'http://s', fetch: recordingFetch(() => json(200, { recordings: [] })).fetch });
    expect(await good.call(routes.recordings, { query: { interactionId: 'i' }, check: RecordingsResponse })).toEqual({ recordings: [] });

    const odd = createHttpClient({ baseUrl: 'http://s', fetch: recordingFetch(() => json(200, { recordings: 'none' })).fetch });
    expect(await rejection(odd.call(routes.recordings, { query: { interactionId: 'i' }, check: RecordingsResponse }))).toMatchObject({ code: 'bad_response', status: 200 });
    const worded = await rejection(odd.call(routes.recordings, { query: { interactionId: 'i' }, check: RecordingsResponse, unreadable: 'update the app' }));
    expect(worded.message).toBe('update the app');
  });

  it('opens a non-JSON answer as it came, with errors mapped as for JSON calls', async () => {
    const audio = new Response(new Uint8Array([1, 2, 3]), { status: 200, headers: { 'content-type': 'audio/webm' } });
    const http = createHttpClient({ baseUrl: 'http://s', fetch: recordingFetch(() => audio).fetch });
    const answer = await http.open(routes.recordingAudio, { token: 't', params: { id: 'r1' }, query: { download: '1' } });
    expect((await answer.blob()).size).toBe(3);
    const missing = createHttpClient({ baseUrl: 'http://s', fetch: recordingFetch(() => json(404, { error: { code: 'not_found', message: 'No recording r2.' } })).fetch });
    expect(await rejection(missing.open(routes.recordingAudio, { params: { id: 'r2' } }))).toMatchObject({ code: 'not_found', message: 'No recording r2.' });
  });

  it('refuses to build a path with a parameter missing', () => {
    expect(() => routePath(routes.recording, {})).toThrow(/missing the path parameter id/);
  });
});
