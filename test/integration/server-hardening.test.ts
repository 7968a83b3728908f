import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientConfig, IceServersResponse } from '../../shared/api/http';
import { loadConfig } from '../../server/config';
import { startInProcess } from '../support/in-process';
import { api, login, startBackend, type TestBackend } from './helpers';
import { connectAgent, connected, startInteraction, INTERACTION_DEFAULTS } from './interactions-support';

const TURN_SECRET = 'turn-shared-secret-for-tests';
const TTL = 600;

let server: TestBackend | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Checks one TURN credential by the TURN REST API rule, as coturn does with the same secret. */
function expectValidTurn(answer: IceServersResponse, principalId: string, before: number, after: number): void {
  const turn = answer.iceServers.find((s) => [s.urls].flat().some((u) => u.startsWith('turn:')));
  expect(turn, JSON.stringify(answer)).toBeDefined();
  const [expiry, ...rest] = turn!.username!.split(':');
  expect(rest.join(':')).toBe(principalId);
  const expiresAt = Number(expiry);
  expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) + TTL);
  expect(expiresAt).toBeLessThanOrEqual(Math.ceil(after / 1000) + TTL);
  expect(turn!.credential).toBe(createHmac('sha1', TURN_SECRET).update(turn!.username!).digest('base64'));
  expect(Date.parse(answer.expiresAt!)).toBe(expiresAt * 1000);
}

describe('TURN credentials', () => {
  it('are absent from the anonymous /api/config and issued, valid and expiring, to staff and to a customer token', async () => {
    server = await startBackend({ ...INTERACTION_DEFAULTS, iceServers: [{ urls: 'stun:stun.test:3478' }], turnUrls: ['turn:turn.test:3478?transport=udp'], turnSecret: TURN_SECRET, turnTtlSeconds: TTL });

    const config = await api(server.url, '/api/config');
    expect(config.status).toBe(200);
    expect(ClientConfig.parse(config.body).iceServers).toEqual([{ urls: 'stun:stun.test:3478' }]);
    const text = JSON.stringify(config.body);
    for (const leak of ['turn:', 'credential', 'username', TURN_SECRET]) expect(text).not.toContain(leak);

    expect((await api(server.url, '/api/ice-servers')).status).toBe(401);
    expect((await api(server.url, '/api/ice-servers', { token: 'vc_not-a-real-token' })).status).toBe(401);

    const agent = await login(server.url, 'agent1');
    let before = Date.now();
    const staff = await api(server.url, '/api/ice-servers', { token: agent.token });
    expect(staff.status).toBe(200);
    expect(staff.headers.get('cache-control')).toBe('no-store');
    const staffAnswer = IceServersResponse.parse(staff.body);
    expect(staffAnswer.iceServers[0]).toEqual({ urls: 'stun:stun.test:3478' });
    expectValidTurn(staffAnswer, agent.user.id, before, Date.now());

    const started = await startInteraction(server);
    before = Date.now();
    const customer = await api(server.url, '/api/ice-servers', { token: started.customerToken });
    expect(customer.status).toBe(200);
    expectValidTurn(IceServersResponse.parse(customer.body), `customer:${started.interactionId}`, before, Date.now());
  });

  it('static TURN credentials in VEILDESK_ICE_SERVERS stop the start with what to set instead', () => {
    const env = { VEILDESK_ICE_SERVERS: '[{"urls":"turn:turn.test:3478","username":"u","credential":"p"}]' };
    expect(() => loadConfig(env)).toThrow(/VEILDESK_TURN_URLS and VEILDESK_TURN_SECRET/);
    expect(() => loadConfig({ VEILDESK_TURN_URLS: 'turn:turn.test:3478' })).toThrow(/without VEILDESK_TURN_SECRET/);
  });
});

describe('static roots', () => {
  it('answer 404 for dotfiles and any path segment starting with a dot, in the web agent and the widget', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-static-'));
    const web = path.join(root, 'renderer');
    const widget = path.join(root, 'widget');
    for (const dir of [web, widget, path.join(web, '.git'), path.join(web, 'assets', '.cache')]) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>agent</title>');
    fs.writeFileSync(path.join(widget, 'index.html'), '<!doctype html><title>widget</title>');
    for (const file of [path.join(web, '.env'), path.join(widget, '.env'), path.join(web, '.git', 'config'), path.join(web, 'assets', '.cache', 'x.js')]) fs.writeFileSync(file, 'SECRET=leaked');
    try {
      server = await startBackend({ staticDir: web });
      expect((await api(server.url, '/')).status).toBe(200);
      expect((await api(server.url, '/widget/')).status).toBe(200);
      for (const p of ['/.env', '/%2eenv', '/.git/config', '/assets/.cache/x.js', '/widget/.env', '/widget/%2Eenv']) {
        const res = await api(server.url, p);
        expect(res.status, p).toBe(404);
        expect(JSON.stringify(res.body), p).not.toContain('leaked');
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("another agent's ids", () => {
  it('answer 404 like unknown ones (history detail, consents, sync bundle)', async () => {
    server = await startBackend(INTERACTION_DEFAULTS);
    const agent1 = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent1);
    const agent3 = await login(server.url, 'agent3');
    for (const p of ['/api/interactions/:id', '/api/interactions/:id/consents', '/api/sync/interactions/:id']) {
      const foreign = await api(server.url, p.replace(':id', customer.interactionId), { token: agent3.token });
      const unknown = await api(server.url, p.replace(':id', 'no-such-interaction'), { token: agent3.token });
      expect([p, foreign.status], JSON.stringify(foreign.body)).toEqual([p, 404]);
      expect(unknown.status).toBe(404);
      expect(foreign.body.error.code).toBe(unknown.body.error.code);
      // The owner still opens it.
      expect((await api(server.url, p.replace(':id', customer.interactionId), { token: agent1.login.token })).status, p).toBe(200);
    }
  });
});

describe('demo seeding', () => {
  it('is refused when the server would listen beyond loopback, saying what to do', async () => {
    await expect(startInProcess({ host: '0.0.0.0' })).rejects.toThrow(/Refusing to seed the demo users.*0\.0\.0\.0.*127\.0\.0\.1.*--no-demo/s);
    // Without the demo org the same address is fine.
    const ok = await startInProcess({ host: '0.0.0.0', seedDemo: false });
    await ok.close();
  });
});
