import { type PrivacyRequest, type SubjectMatch, type SubjectSearchResponse } from '../../../../shared/api/privacy';

/** A subject match as the server sends it; the test overrides what it looks at. */
export function match(overrides: Partial<SubjectMatch> = {}): SubjectMatch {
  return {
    interactionId: '11111111-2222-4333-8444-555555555555',
    kind: 'chat',
    queueName: 'General',
    agentName: 'Agent One',
    customerName: 'Ada Lovelace',
    customerEmail: 'ada@example.com',
    createdAt: '2026-12-01T10:00:00.000Z',
    endedAt: '2026-12-01T10:20:00.000Z',
    live: false,
    matchedBy: ['email'],
    counts: [
      { store: 'chat_messages', count: 12 },
      { store: 'interaction_notes', count: 1 },
      { store: 'recordings', count: 0 },
    ],
    ...overrides,
  };
}

export function request(overrides: Partial<PrivacyRequest> = {}): PrivacyRequest {
  return {
    id: 'req-1',
    type: 'erase',
    status: 'received',
    requestedBy: { id: 'u-admin', username: 'admin' },
    createdAt: '2026-12-04T21:00:00.000Z',
    updatedAt: '2026-12-04T21:00:00.000Z',
    completedAt: null,
    subject: { email: 'ada@example.com' },
    subjectDigests: ['d1'],
    interactionIds: ['11111111-2222-4333-8444-555555555555'],
    stores: [],
    progress: { done: 0, total: 0 },
    tookMs: null,
    error: null,
    exportReady: false,
    ...overrides,
  };
}

interface Call {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}

/**
 * The privacy routes played in memory behind a fetch: the test sets what the list answers (a
 * queue of answers, the last one repeated) and reads every call the app made.
 */
export function fakePrivacyServer() {
  const calls: Call[] = [];
  const state = {
    lists: [[]] as PrivacyRequest[][],
    search: { matches: [match()], elsewhere: [{ store: 'audit_log', count: 2 }], tookMs: 12 } as SubjectSearchResponse,
    /** When set, every call answers with this status and error body. */
    failWith: null as { status: number; code: string; message: string } | null,
    created: 0,
  };
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchImpl = (async (input: string, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const method = init?.method ?? 'GET';
    calls.push({ method, url: input, authorization: headers.authorization, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    if (state.failWith) return json(state.failWith.status, { error: { code: state.failWith.code, message: state.failWith.message } });
    const path = new URL(input).pathname;
    if (method === 'GET' && path === '/api/privacy/subjects') return json(200, state.search);
    if (method === 'GET' && path === '/api/privacy/requests') {
      const answer = state.lists.length > 1 ? state.lists.shift()! : state.lists[0]!;
      return json(200, { requests: answer });
    }
    if (method === 'POST' && path === '/api/privacy/requests') {
      state.created += 1;
      return json(202, { id: `req-${state.created}`, status: 'received' });
    }
    if (method === 'GET' && /\/export$/.test(path)) return new Response(new Uint8Array([0x50, 0x4b, 3, 4]), { status: 200, headers: { 'content-type': 'application/zip' } });
    return json(404, { error: { code: 'not_found', message: 'No such route in the fake.' } });
  }) as unknown as typeof fetch;
  const listCalls = () => calls.filter((c) => c.method === 'GET' && c.url.endsWith('/api/privacy/requests')).length;
  return { fetchImpl, calls, state, listCalls };
}
