import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../shared/api/errors';
import { api, expectHealthy, isError, login, nextFrame, roundTrip, startBackend, storedCounts, wsConnect, type TestBackend } from './helpers';

/**
 * What the fuzz runs found (fuzz-http, fuzz-ws), pinned as plain cases that run in a second on
 * SQLite and PostgreSQL alike. (The SQLite "database is locked" 500 is pinned where it can be made
 * to happen every time: test/unit/server/db/sqlite-immediate.test.ts.)
 */
describe('bugs the fuzz runs found stay fixed', () => {
  let server: TestBackend;
  beforeEach(async () => {
    server = await startBackend();
  });
  afterEach(async () => {
    await server.close();
  });

  it('an id or a text holding NUL (U+0000) is refused with 400 naming it, not a 500 from PostgreSQL', async () => {
    const { token } = await login(server.url, 'super1');
    const before = await storedCounts(server);
    for (const path of ['/api/interactions/%00', '/api/recordings/a%00b', '/api/sync/interactions/%00', '/api/interactions/%00/consents']) {
      const res = await api(server.url, path, { token });
      expect(res.status, path).toBe(400);
      expect(ErrorBody.parse(res.body).error.message, path).toContain('NUL');
    }
    const start = await api(server.url, '/api/widget/interactions', { json: { kind: 'chat', queueId: 'general', customer: { name: 'Ann\u0000' } } });
    expect(start.status).toBe(400);
    expect(ErrorBody.parse(start.body).error.issues).toEqual([{ path: 'customer.name', message: expect.stringContaining('NUL') }]);
    await expectHealthy(server.url);
    expect(await storedCounts(server)).toEqual(before);
  });

  it('a WebSocket frame holding NUL gets a bad_request error frame, not an internal one', async () => {
    const { token } = await login(server.url, 'agent1');
    const socket = await wsConnect(server.url, token);
    socket.send({ type: 'offer.accept', interactionId: '\u0000', id: 'nul' });
    const error = await nextFrame(socket, isError('bad_request'));
    expect(error).toMatchObject({ ref: 'nul', message: expect.stringContaining('NUL') });
    await roundTrip(socket);
  });

  it('a sync cursor past the head answers no changes (PostgreSQL: no integer overflow 500)', async () => {
    const { token } = await login(server.url, 'agent1');
    const res = await api(server.url, '/api/sync/pull?after=999999999999999', { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ changes: [], cursor: '999999999999999', hasMore: false, remaining: 0 });
  });
});
