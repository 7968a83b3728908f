import { afterEach, describe, expect, it } from 'vitest';
import { api, login, nextFrame, wsConnect, type TestBackend } from './helpers';
import { startInteractionsBackend } from './interactions-support';
import { PROTOCOL_VERSION } from '../../shared/version';

describe('the privacy role', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('privacy1 signs in as a privacy officer and gets no desk: interactions, history, recordings, sync, audit and admin routes refuse it', async () => {
    server = await startInteractionsBackend();
    const officer = await login(server.url, 'privacy1');
    expect(officer.user).toMatchObject({ username: 'privacy1', role: 'privacy' });
    expect((await api(server.url, '/api/me', { token: officer.token })).status).toBe(200);
    for (const path of ['/api/interactions', '/api/sync/head', '/api/sync/pull?after=0', '/api/recordings?interactionId=x', '/api/audit', '/api/admin/recording-policy', '/api/admin/sync-settings']) {
      expect((await api(server.url, path, { token: officer.token })).status, path).toBe(403);
    }
    expect((await api(server.url, '/api/interactions/x/erase', { method: 'POST', token: officer.token })).status).toBe(403);

    // On the socket: hello works (the app stays signed in), desk messages are refused.
    const ws = await wsConnect(server.url);
    ws.send({ type: 'hello', protocol: PROTOCOL_VERSION, token: officer.token });
    expect(await nextFrame(ws, (f) => f.type === 'hello.ok')).toMatchObject({ user: { role: 'privacy' } });
    ws.send({ type: 'offer.accept', interactionId: 'x', id: 'a1' });
    expect(await nextFrame(ws, (f) => f.type === 'error' && f.ref === 'a1')).toMatchObject({ code: 'forbidden' });
    ws.send({ type: 'ping', id: 'p1' });
    await nextFrame(ws, (f) => f.type === 'pong');
  });
});
