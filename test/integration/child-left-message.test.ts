import { sql } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditAction } from '../../server/modules/audit/actions';
import { api, login, type Json, type TestBackend } from './helpers';
import { GENERAL, startInteractionsBackend } from './interactions-support';
import { pullAll } from './sync-support';
import { onPostgres } from '../support/test-database';

/** The customer's words and contact, chosen so their bytes can be looked for anywhere. */
const NAME = 'Robin Marigold';
const EMAIL = 'robin.marigold@example.com';
const TEXT = 'I live at 12 Marigold Lane and my mum is away';

/** Issue 15, principle 7: a message left for a queue asks the same year of birth as a start, and a child's keeps only metadata. */
describe('a message left by a child', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  const leave = (body: Json) => api(server.url, '/api/widget/messages', { json: body });

  it('could be under 13: stored closed and child-protected with queue and time only: no name, e-mail or text in the tables, the SQLite file, history, sync or the audit log', async () => {
    server = await startInteractionsBackend();
    const admin = await login(server.url, 'admin');
    expect((await api(server.url, '/api/admin/child-protection-policy', { method: 'PUT', token: admin.token, json: { askBirthYear: true } })).status).toBe(200);
    const birthYear = new Date().getUTCFullYear() - 10;

    const res = await leave({ queueId: GENERAL, customer: { name: NAME, email: EMAIL }, text: TEXT, birthYear });
    expect(res.status).toBe(201);
    const id: string = res.body.interactionId;

    const k = server.db.kysely;
    const row = await k.selectFrom('interactions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'message', status: 'closed', queue_id: GENERAL, customer_name: null, customer_email: null, child_protected: 1 });
    expect(row.created_at).toBeTruthy();
    expect(JSON.stringify(row)).not.toContain(String(birthYear));
    expect(await k.selectFrom('messages').select('id').where('interaction_id', '=', id).execute()).toEqual([]);
    const timeline = await k.selectFrom('timeline').select(['type', 'details']).where('interaction_id', '=', id).execute();
    expect(timeline.map((e) => e.type)).toEqual(['message_left']);

    // A supervisor's history shows that a message was left, child-protected, with nothing in it.
    const supervisor = await login(server.url, 'super1');
    const detail = await api(server.url, `/api/interactions/${id}`, { token: supervisor.token });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ kind: 'message', queueId: GENERAL, childProtected: true, messages: [] });
    expect(detail.body.customer.name ?? null).toBeNull();
    expect(detail.body.customer.email ?? null).toBeNull();

    // Local caches get the metadata and an empty contact, never the words.
    const { changes } = await pullAll(server.url, supervisor.token);
    const mine = changes.filter((c) => c.interactionId === id);
    expect(mine.map((c) => c.kind).sort()).toEqual(['contact', 'interaction']);
    expect(mine.find((c) => c.kind === 'contact')).toMatchObject({ op: 'upsert', data: { name: null, email: null } });

    const entries = (await api(server.url, `/api/audit?action=${AuditAction.messageLeft}`, { token: admin.token })).body.entries as Json[];
    expect(entries.find((e) => e.target === id)?.details).toEqual({ interactionId: id, queueId: GENERAL, childProtected: true });

    const everything = JSON.stringify({ row, detail: detail.body, changes, entries });
    for (const needle of [NAME, EMAIL, 'Marigold']) expect(everything).not.toContain(needle);
    // The database file and its WAL never held the words (SQLite: the files are here to read). On
    // PostgreSQL the files belong to the database server: no row of any table holds them.
    if (onPostgres()) {
      for (const table of await server.db.kysely.introspection.getTables()) {
        const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table.name)}`.execute(server.db.kysely);
        expect(JSON.stringify(rows.rows), table.name).not.toContain('Marigold');
      }
    } else {
      const db = path.join(server.dataDir, 'veildesk.sqlite');
      for (const file of [db, `${db}-wal`]) {
        if (fs.existsSync(file)) expect(fs.readFileSync(file).includes(Buffer.from('Marigold'))).toBe(false);
      }
    }
  });

  it('13 or older, or no year: kept as before (name, e-mail, redacted text); an impossible year is a clear 400', async () => {
    server = await startInteractionsBackend();
    const adult = await leave({ queueId: GENERAL, customer: { name: 'Sam Adult', email: 'sam@example.com' }, text: 'Please call me back', birthYear: new Date().getUTCFullYear() - 14 });
    expect(adult.status).toBe(201);
    const noYear = await leave({ queueId: GENERAL, customer: { name: 'Kim' }, text: 'Card 4242 4242 4242 4242 please' });
    expect(noYear.status).toBe(201);
    const k = server.db.kysely;
    for (const [res, name] of [[adult, 'Sam Adult'], [noYear, 'Kim']] as const) {
      const id: string = res.body.interactionId;
      expect(await k.selectFrom('interactions').select(['customer_name', 'child_protected']).where('id', '=', id).executeTakeFirst()).toEqual({ customer_name: name, child_protected: 0 });
      expect(await k.selectFrom('messages').select('text').where('interaction_id', '=', id).execute()).toHaveLength(1);
    }
    expect((await k.selectFrom('messages').select('text').where('interaction_id', '=', noYear.body.interactionId).executeTakeFirstOrThrow()).text).toBe('Card [card •••• 4242] please');

    const bad = await leave({ queueId: GENERAL, text: 'hi', birthYear: 1800 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/birthYear/);
  });
});
