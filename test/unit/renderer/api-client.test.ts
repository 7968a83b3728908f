import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient } from '../../../renderer/net/api-client';

const user = { id: 'u1', username: 'agent1', displayName: 'Agent One', role: 'agent' };

function jsonResponse(status: number, body: unknown, statusText = ''): Response {
  return new Response(JSON.stringify(body), { status, statusText, headers: { 'content-type': 'application/json' } });
}

function mockFetch(impl: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const fn = vi.fn(async (input: string | URL | Request, init?: RequestInit) => impl(String(input), init ?? {}));
  vi.stubGlobal('fetch', fn);
  return fn;
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('api-client', () => {
  const api = createApiClient({ baseUrl: 'http://server.test' });

  it('posts credentials as JSON and validates the answer', async () => {
    const fetch = mockFetch(() => jsonResponse(200, { token: 't', user, expiresAt: '2099-01-01T00:00:00Z' }));
    const result = await api.login({ username: 'agent1', password: 'demo' });
    expect(result.token).toBe('t');
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe('http://server.test/api/auth/login');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe(JSON.stringify({ username: 'agent1', password: 'demo' }));
    expect((init?.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(init?.credentials).toBe('omit');
  });

  it('maps a 401 error body to an ApiError with the server code and message', async () => {
    mockFetch(() => jsonResponse(401, { error: { code: 'unauthenticated', message: 'Wrong username or password.' } }));
    const err = await failure(api.login({ username: 'agent1', password: 'x' }));
    expect(err).toMatchObject({ code: 'unauthenticated', message: 'Wrong username or password.', status: 401 });
  });

  it('maps 429 to rate_limited, keeping the server wording', async () => {
    mockFetch(() => jsonResponse(429, { error: { code: 'rate_limited', message: 'Too many sign-in attempts. Try again in 60 s.' } }));
    const err = await failure(api.login({ username: 'agent1', password: 'x' }));
    expect(err).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(err.message).toMatch(/60 s/);
  });

  it('keeps validation issues from a 400', async () => {
    const issues = [{ path: 'username', message: 'username is required' }];
    mockFetch(() => jsonResponse(400, { error: { code: 'bad_request', message: 'Invalid request', issues } }));
    const err = await failure(api.login({ username: 'agent1', password: 'x' }));
    expect(err.issues).toEqual(issues);
  });

  it('falls back to a status-based error when the body is not an error body', async () => {
    mockFetch(() => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const err = await failure(api.config());
    expect(err).toMatchObject({ code: 'internal', status: 502 });
    expect(err.message).toMatch(/502/);

    mockFetch(() => new Response('', { status: 429 }));
    expect(await failure(api.config())).toMatchObject({ code: 'rate_limited', status: 429 });
  });

  it('explains what to do when the server cannot be reached', async () => {
    mockFetch(() => {
      throw new TypeError('fetch failed');
    });
    const err = await failure(api.login({ username: 'agent1', password: 'demo' }));
    expect(err.code).toBe('network');
    expect(err.status).toBe(0);
    expect(err.message).toBe('Cannot reach the server at http://server.test. Check the address or your network.');
  });

  it('reports a timeout separately', async () => {
    mockFetch(() => {
      throw new DOMException('The operation timed out.', 'TimeoutError');
    });
    const err = await failure(api.health());
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/did not answer in time/);
  });

  it('rejects a success body that does not match the contract', async () => {
    mockFetch(() => jsonResponse(200, { hello: 'world' }));
    const err = await failure(api.me('tok'));
    expect(err.code).toBe('bad_response');
  });

  it('sends the bearer token on me and logout, with no JSON content type on an empty body', async () => {
    const fetch = mockFetch((url) =>
      url.endsWith('/api/me') ? jsonResponse(200, { user, expiresAt: '2099-01-01T00:00:00Z' }) : jsonResponse(200, { ok: true }),
    );
    await api.me('tok-1');
    await api.logout('tok-1');
    for (const [, init] of fetch.mock.calls) {
      const headers = init?.headers as Record<string, string>;
      expect(headers.authorization).toBe('Bearer tok-1');
      expect(headers['content-type']).toBeUndefined();
    }
    expect(fetch.mock.calls[1]?.[0]).toBe('http://server.test/api/auth/logout');
  });

  it('resolves routes under a server sub-path', async () => {
    const fetch = mockFetch(() => jsonResponse(200, { status: 'ok', version: '1' }));
    await createApiClient({ baseUrl: 'https://example.test/veildesk' }).health();
    expect(fetch.mock.calls[0]?.[0]).toBe('https://example.test/veildesk/api/health');
  });

  it('lists queues and history pages with the token and only the given query values', async () => {
    const fetch = mockFetch((url) => {
      if (url.includes('/api/queues')) return jsonResponse(200, { queues: [{ id: 'q1', name: 'Support', dispositions: ['Resolved'], offerTimeoutMs: 20000, memberIds: [] }] });
      return jsonResponse(200, { interactions: [], nextBefore: null });
    });
    expect((await api.queues('tok'))[0]?.name).toBe('Support');
    await api.interactions('tok');
    await api.interactions('tok', { before: '2024-05-01T10:00:00.000Z|i-9', limit: 25 });
    const urls = fetch.mock.calls.map(([url]) => String(url));
    expect(urls).toEqual([
      'http://server.test/api/queues',
      'http://server.test/api/interactions',
      'http://server.test/api/interactions?before=2024-05-01T10%3A00%3A00.000Z%7Ci-9&limit=25',
    ]);
    expect((fetch.mock.calls[0]?.[1]?.headers as Record<string, string>).authorization).toBe('Bearer tok');
  });

  it('escapes the interaction id in the detail path', async () => {
    const fetch = mockFetch(() => jsonResponse(404, { error: { code: 'not_found', message: 'Interaction not found.' } }));
    const err = await failure(api.interaction('tok', '../admin'));
    expect(err.code).toBe('not_found');
    expect(fetch.mock.calls[0]?.[0]).toBe('http://server.test/api/interactions/..%2Fadmin');
  });
});
