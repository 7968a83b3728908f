import { afterEach, describe, expect, it } from 'vitest';
import { AuditAction } from '../../server/modules/audit/actions';
import { api, login, startBackend, type Json, type TestBackend } from './helpers';

/** Canned responses (issue 19): the org's and each person's own, redacted on save, 404 for others'. */
describe('canned responses', () => {
  let server: TestBackend | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("admins write the org's (audited), everyone writes their own; nobody sees another's; card numbers never stored", async () => {
    server = await startBackend();
    const url = server.url;
    const admin = await login(url, 'admin');
    const agent1 = await login(url, 'agent1');
    const agent2 = await login(url, 'agent2');

    const org = await api(url, '/api/canned-responses', { token: admin.token, method: 'POST', json: { scope: 'org', title: 'Greeting', text: 'Hi {customer.name}, I am {agent.name} from {queue}.' } });
    expect(org.status).toBe(201);
    expect(org.body).toMatchObject({ scope: 'org', title: 'Greeting' });
    const refused = await api(url, '/api/canned-responses', { token: agent1.token, method: 'POST', json: { scope: 'org', title: 'Mine', text: 'x' } });
    expect(refused.status).toBe(403);
    expect((refused.body as Json).error.message).toMatch(/scope personal/);

    const own = await api(url, '/api/canned-responses', { token: agent1.token, method: 'POST', json: { scope: 'personal', title: 'Test card', text: 'Try 4242 4242 4242 4242 again' } });
    expect(own.status).toBe(201);
    expect((own.body as Json).text).toBe('Try [card •••• 4242] again');

    const list1 = (await api(url, '/api/canned-responses', { token: agent1.token })).body as Json;
    expect(list1.items.map((i: Json) => [i.scope, i.title])).toEqual([
      ['org', 'Greeting'],
      ['personal', 'Test card'],
    ]);
    const list2 = (await api(url, '/api/canned-responses', { token: agent2.token })).body as Json;
    expect(list2.items.map((i: Json) => i.title)).toEqual(['Greeting']);

    // Another person's reply answers like an unknown id; an agent may not change the org's.
    const ownId = (own.body as Json).id as string;
    expect((await api(url, `/api/canned-responses/${ownId}`, { token: agent2.token, method: 'PUT', json: { title: 'x', text: 'y' } })).status).toBe(404);
    expect((await api(url, `/api/canned-responses/${ownId}/delete`, { token: agent2.token, method: 'POST' })).status).toBe(404);
    expect((await api(url, `/api/canned-responses/${(org.body as Json).id}`, { token: agent1.token, method: 'PUT', json: { title: 'x', text: 'y' } })).status).toBe(403);

    const edited = await api(url, `/api/canned-responses/${ownId}`, { token: agent1.token, method: 'PUT', json: { title: 'Retry', text: 'Please try again' } });
    expect(edited.body).toMatchObject({ title: 'Retry', text: 'Please try again' });
    expect((await api(url, `/api/canned-responses/${ownId}/delete`, { token: agent1.token, method: 'POST' })).body).toEqual({ deleted: true });
    expect(((await api(url, '/api/canned-responses', { token: agent1.token })).body as Json).items).toHaveLength(1);

    // Bad input: a clear 400 naming the field.
    const bad = await api(url, '/api/canned-responses', { token: agent1.token, method: 'POST', json: { scope: 'personal', title: '', text: 'x' } });
    expect(bad.status).toBe(400);
    expect((bad.body as Json).error.message).toMatch(/title/i);

    const audit = (await api(url, `/api/audit?action=${AuditAction.cannedResponseChanged}`, { token: admin.token })).body as Json;
    expect(audit.entries.map((e: Json) => e.details.change)).toEqual(['created']);
    // The privacy role has no workspace and no replies.
    const privacy = await login(url, 'privacy1');
    expect((await api(url, '/api/canned-responses', { token: privacy.token })).status).toBe(403);
  });
});
