import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import { AuditAction } from '../../server/modules/audit/actions';
import { RedactionService } from '../../server/modules/redaction/redaction-service';
import { startTestServer, type TestServer } from '../support/server';
import { onPostgres, rowsHold } from '../support/test-database';
import { api, isType, login, nextFrame, type Json, type TestBackend } from './helpers';
import { seedHistory } from '../../server/modules/sync/history-seed';
import { mutationId, pushOne } from './sync-support';
import { GENERAL, connectAgent, connectCustomer, detail, isOffer, isState, startInteractionsBackend } from './interactions-support';

type ChatFrame = ServerMessageOf<'chat.message'>;
const CARD = '4111 1111 1111 1111';
const CARD_DIGITS = '4111111111111111';
const CODE = '737';
/** The forms of the card a file could hold it in: with its spaces or as one run of digits. */
const cardForms = [CARD, CARD_DIGITS, '4111-1111-1111-1111'];

function fileHolds(file: string, needles: string[]): string[] {
  if (!fs.existsSync(file)) return [];
  const bytes = fs.readFileSync(file);
  return needles.filter((n) => bytes.includes(Buffer.from(n, 'utf8')));
}

describe('redaction of what people type', () => {
  let server: TestBackend | undefined;
  let proc: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    await proc?.stop();
    server = undefined;
    proc = undefined;
  });

  it('a card number and its code typed by a customer reach nobody and no file: the agent sees [card •••• 1111] and [security code]', async () => {
    // A server process of its own, logging everything it would log, so its output can be searched.
    proc = await startTestServer({ env: { LOG_LEVEL: 'trace', VEILDESK_LOG_REQUESTS: '1' } });
    const backend = { url: proc.url } as TestBackend;
    const agent = await connectAgent(backend, 'agent1');
    const customer = await connectCustomer(backend, { kind: 'chat', queueId: GENERAL, customer: { name: 'Casey Customer' } });
    const id = customer.interactionId;
    await nextFrame(agent.ws, isOffer(id));
    agent.ws.send({ type: 'offer.accept', interactionId: id });
    await nextFrame(customer.ws, isState('connected'));

    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c1', text: `my card is ${CARD} and the cvv is ${CODE}, exp 09/29` });
    const ack = await nextFrame<ChatFrame>(customer.ws, (f) => f.type === 'chat.message' && f.clientMsgId === 'c1');
    const atAgent = await nextFrame<ChatFrame>(agent.ws, (f) => f.type === 'chat.message' && f.message.from === 'customer');
    const expected = 'my card is [card •••• 1111] and the cvv is [security code], exp [expiry]';
    expect(atAgent.message.text).toBe(expected);
    // The sender's own copy is the redacted one, with what was removed, so the widget can say why.
    expect(ack.message.text).toBe(expected);
    expect(ack.redacted?.sort()).toEqual(['card', 'expiry', 'securityCode']);
    expect(atAgent.redacted).toBeUndefined();

    // An agent typing one is redacted too, and so are wrap-up notes.
    agent.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'a1', text: `Please confirm ${CARD_DIGITS}` });
    const agentAck = await nextFrame<ChatFrame>(agent.ws, (f) => f.type === 'chat.message' && f.clientMsgId === 'a1');
    expect(agentAck.message.text).toBe('Please confirm [card •••• 1111]');
    agent.ws.send({ type: 'interaction.end', interactionId: id });
    await nextFrame(agent.ws, isType('wrapup.required'));
    agent.ws.send({ type: 'wrapup.submit', interactionId: id, disposition: 'Resolved', notes: `card ${CARD} cvv ${CODE}` });

    const stored = await detail(backend, agent.login.token, id);
    expect(stored.messages.map((m: Json) => m.text)).toEqual([expected, 'Please confirm [card •••• 1111]']);
    await expect.poll(async () => (await detail(backend, agent.login.token, id)).wrapup?.notes).toBe('card [card •••• 1111] cvv [security code]');

    // The sync change log holds the redacted text only.
    const changes = await api(proc.url, '/api/sync/pull?after=0&limit=500', { token: agent.login.token });
    expect(changes.status).toBe(200);
    const changeText = JSON.stringify(changes.body);
    expect(changeText).toContain('[card •••• 1111]');
    for (const form of [...cardForms, ` ${CODE},`]) expect(changeText).not.toContain(form);

    // Nothing on disk or in the log: the database file and its WAL (while running and after), and every line printed.
    // On PostgreSQL the files belong to the database server: no row of any table holds a form (running and after).
    const db = path.join(proc.dataDir, 'veildesk.sqlite');
    if (onPostgres()) expect(await rowsHold(proc.dataDir, cardForms)).toEqual([]);
    else expect(fileHolds(db, cardForms)).toEqual([]);
    expect(fileHolds(`${db}-wal`, cardForms)).toEqual([]);
    await proc.stop();
    if (onPostgres()) expect(await rowsHold(proc.dataDir, cardForms)).toEqual([]);
    else expect(fileHolds(db, cardForms)).toEqual([]);
    expect(fileHolds(`${db}-wal`, cardForms)).toEqual([]);
    expect(proc.output().length).toBeGreaterThan(0);
    for (const form of cardForms) expect(proc.output()).not.toContain(form);
  });

  it('admins set the policy (audited; bad patterns refused with the reason); org patterns and e-mail apply to the next message', async () => {
    server = await startInteractionsBackend();
    const admin = await login(server.url, 'admin');
    const agentLogin = await login(server.url, 'agent1');
    const current = await api(server.url, '/api/admin/redaction-policy', { token: admin.token });
    expect(current.status).toBe(200);
    expect(current.body).toEqual({
      entities: { card: true, securityCode: true, expiry: true, iban: true, ssn: true, email: false, phone: false },
      orgPatterns: [],
    });
    expect((await api(server.url, '/api/admin/redaction-policy', { token: agentLogin.token })).status).toBe(403);

    const bad = await api(server.url, '/api/admin/redaction-policy', {
      token: admin.token,
      method: 'PUT',
      json: { ...current.body, orgPatterns: [{ label: 'national ID', pattern: '(\\d)\\1' }] },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/not valid RE2 syntax/);
    const unknown = await api(server.url, '/api/admin/redaction-policy', { token: admin.token, method: 'PUT', json: { ...current.body, extra: 1 } });
    expect(unknown.status).toBe(400);

    const next = { entities: { ...current.body.entities, email: true }, orgPatterns: [{ label: 'national ID', pattern: '\\b\\d{6}-\\d{4}\\b' }] };
    const saved = await api(server.url, '/api/admin/redaction-policy', { token: admin.token, method: 'PUT', json: next });
    expect(saved.status).toBe(200);
    const audit = await api(server.url, `/api/audit?limit=50&action=${AuditAction.redactionPolicyChanged}`, { token: admin.token });
    const entry = (audit.body.entries as Json[]).find((e) => e.action === AuditAction.redactionPolicyChanged);
    expect(entry?.details).toEqual({
      before: { entities: current.body.entities, orgPatterns: [] },
      after: { entities: next.entities, orgPatterns: ['national ID'] },
    });

    const agent = await connectAgent(server, 'agent1');
    const customer = await connectCustomer(server, { kind: 'chat', queueId: GENERAL });
    await nextFrame(agent.ws, isOffer(customer.interactionId));
    agent.ws.send({ type: 'offer.accept', interactionId: customer.interactionId });
    await nextFrame(customer.ws, isState('connected'));
    customer.ws.send({ type: 'chat.send', interactionId: customer.interactionId, clientMsgId: 'c1', text: 'id 010190-1234, mail me at casey@example.com' });
    const got = await nextFrame<ChatFrame>(agent.ws, (f) => f.type === 'chat.message');
    expect(got.message.text).toBe('id [national ID], mail me at [email]');

    // The policy is stored: a service opened on the same database (as at the next start) reads it back.
    expect((await RedactionService.open(server.db, server.audit)).get()).toEqual(next);
  });

  it('notes written offline and pushed through sync are redacted before they are stored or logged as changes', async () => {
    server = await startInteractionsBackend();
    const agent = await login(server.url, 'agent1');
    const { interactionIds } = await seedHistory(server.db, { agentId: agent.user.id, queueId: GENERAL, interactions: 1, messages: 2 });
    const id = interactionIds[0]!;
    const created = await pushOne(server.url, agent.token, { mutationId: mutationId(), type: 'note.create', noteId: 'n-card', interactionId: id, text: `card ${CARD} cvv ${CODE}` });
    expect(created).toMatchObject({ status: 'applied', changes: [{ kind: 'note', id: 'n-card' }] });
    expect(JSON.stringify(created)).not.toContain(CARD);
    const edited = await pushOne(server.url, agent.token, { mutationId: mutationId(), type: 'note.edit', noteId: 'n-card', baseVersion: created.changes[0]!.version, text: `now ${CARD_DIGITS}` });
    expect(edited.status).toBe('applied');
    const notes = await server.db.kysely.selectFrom('sync_notes').select('text').execute();
    expect(notes.map((n) => n.text)).toEqual(['now [card •••• 1111]']);
    const handled = JSON.stringify(await server.db.kysely.selectFrom('sync_mutations').selectAll().execute());
    for (const form of cardForms) expect(handled).not.toContain(form);
  });
});
