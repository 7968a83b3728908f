import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncChange } from '../../shared/api/sync';
import { PrivacyRectifier } from '../../server/modules/privacy/rectify/privacy-rectifier';
import { nextFrame, type Json, type TestBackend } from './helpers';
import { connectAgent, connected, detail, startInteractionsBackend } from './interactions-support';
import { chat, executorContext, resultOf } from './privacy-export-support';
import { applyChanges, pullAll } from './sync-support';

const MARIA = { name: 'Maria Gonzales', email: 'Maria.Old@Example.com' };
const PAUL = { name: 'Paul Other', email: 'paul.other@example.net' };
const REPLACEMENTS = [
  { field: 'name' as const, from: 'Maria Gonzales', to: 'María González' },
  { field: 'email' as const, from: 'maria.old@example.com', to: 'maria@example.org' },
  { field: 'phone' as const, from: '+1 555 0100', to: '+1 555 0199' },
  { field: 'text' as const, from: 'recieved', to: 'received' },
];
/** What must be gone from every table (compared ignoring case: the e-mail was typed in mixed case). */
const OLD = ['maria gonzales', 'maria.old@example.com', 'recieved', '555 0100'];

/** Every row of every table of the database, as text, per table. */
async function dumpTables(server: TestBackend): Promise<Map<string, string>> {
  const k = server.db.kysely;
  const tables = await k.introspection.getTables({ withInternalKyselyTables: true });
  const out = new Map<string, string>();
  for (const { name } of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(k);
    // Rows in a stable order: PostgreSQL returns them in no particular one.
    out.set(name, JSON.stringify(rows.rows.map((r) => JSON.stringify(r)).sort()));
  }
  return out;
}

function holdsOld(text: string): string[] {
  const lower = text.toLowerCase();
  return OLD.filter((old) => lower.includes(old));
}

describe('privacy rectification (issue 14)', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('replaces a name, an e-mail, a phone and a misspelt word everywhere on the server and in what sync hands out; another customer is untouched', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const first = await chat(
      server,
      agent,
      MARIA,
      ['Hi, I have not recieved my parcel. Write to MARIA.OLD@example.com', 'Hello Maria Gonzales, sorry it was not recieved', 'Call me on +1 555 0100, Maria Gonzales'],
      'Maria Gonzales: parcel not recieved, maria.old@example.com',
      'Maria Gonzales asked twice; recieved nothing',
    );
    const second = await chat(server, agent, MARIA, ['Maria Gonzales again', 'Hi Maria Gonzales!'], 'Follow-up for Maria Gonzales', 'Second call');
    const paul = await chat(server, agent, PAUL, ['Paul here, package received', 'Thanks Paul'], 'Paul is fine', 'Paul note');
    const { changes: before, cursor } = await pullAll(server.url, agent.login.token);
    const tablesBefore = await dumpTables(server);
    expect(holdsOld(tablesBefore.get('messages')!)).toEqual(OLD);
    const paulBefore = await detail(server, agent.login.token, paul);

    const rectifier = new PrivacyRectifier({ db: server.db, changeLog: server.changeLog });
    const ctx = executorContext([first, second], { replacements: REPLACEMENTS });
    const results = await rectifier.run(ctx);
    expect(ctx.reported).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
    // Both interactions (contact, wrap-up), the 5 messages and 1 note holding a value, every change published.
    expect(resultOf(results, 'interactions')).toMatchObject({ found: 2, done: 2 });
    expect(resultOf(results, 'messages')).toMatchObject({ found: 5, done: 5 });
    expect(resultOf(results, 'sync_notes')).toMatchObject({ found: 1, done: 1 });
    // 2 contacts + 2 wrap-ups + 5 messages + 1 note.
    expect(resultOf(results, 'sync_changes')).toMatchObject({ found: 10, done: 10 });
    // The connected app is told to pull.
    await nextFrame(agent.ws, (f) => f.type === 'sync.nudge');

    // No column of any table holds an old value any more.
    const tablesAfter = await dumpTables(server);
    const leftovers = [...tablesAfter].flatMap(([table, rows]) => holdsOld(rows).map((old) => `${table}: ${old}`));
    expect(leftovers).toEqual([]);

    // The new values are where the old ones were.
    const k = server.db.kysely;
    expect(await k.selectFrom('interactions').select(['customer_name', 'customer_email', 'notes']).where('id', '=', first).executeTakeFirst()).toEqual({
      customer_name: 'María González',
      customer_email: 'maria@example.org',
      notes: 'María González: parcel not received, maria@example.org',
    });
    const texts = (await detail(server, agent.login.token, first)).messages.map((m: Json) => `${m.authorName}: ${m.text}`);
    expect(texts).toEqual([
      'María González: Hi, I have not received my parcel. Write to maria@example.org',
      'Ada Agent: Hello María González, sorry it was not received',
      'María González: Call me on +1 555 0199, María González',
    ]);
    expect((await detail(server, agent.login.token, second)).messages.map((m: Json) => m.text)).toEqual(['María González again', 'Hi María González!']);
    expect(await detail(server, agent.login.token, paul)).toEqual(paulBefore);
    expect(tablesAfter.get('users')).toEqual(tablesBefore.get('users'));

    // Sync hands out the new values: the changes after the agent's cursor, and a full pull from scratch.
    const { changes: after } = await pullAll(server.url, agent.login.token, cursor);
    const upserts = after.filter((c): c is Extract<SyncChange, { op: 'upsert' }> => c.op === 'upsert');
    expect(upserts.filter((c) => c.kind === 'contact').map((c) => c.data)).toEqual([
      { id: first, name: 'María González', email: 'maria@example.org' },
      { id: second, name: 'María González', email: 'maria@example.org' },
    ]);
    expect(upserts.filter((c) => c.kind === 'message')).toHaveLength(5);
    expect(upserts.find((c) => c.kind === 'note' && c.interactionId === first)).toMatchObject({ data: { text: 'María González asked twice; received nothing' } });
    expect(upserts.find((c) => c.kind === 'wrapup' && c.id === second)).toMatchObject({ data: { notes: 'Follow-up for María González' } });
    // An agent's copy: what it held before with the new changes applied holds no old value; nor does a fresh copy.
    const local = applyChanges(after, applyChanges(before));
    expect(holdsOld(JSON.stringify([...local.values()]))).toEqual([]);
    expect(holdsOld(JSON.stringify((await pullAll(server.url, agent.login.token)).changes))).toEqual([]);

    // The note's version is the one handed out: the author's next edit on it is not a conflict.
    const note = upserts.find((c) => c.kind === 'note' && c.interactionId === first)!;
    expect(Number((await k.selectFrom('sync_notes').select('version').where('id', '=', note.id).executeTakeFirstOrThrow()).version)).toBe(note.version);
  });

  it('refuses an interaction still in progress before changing anything', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent, { kind: 'chat', customer: MARIA });
    const live = new Set([customer.interactionId]);
    const rectifier = new PrivacyRectifier({ db: server.db, changeLog: server.changeLog, isLive: (id) => live.has(id) });
    await expect(rectifier.run(executorContext([customer.interactionId], { replacements: REPLACEMENTS }))).rejects.toThrow(/still in progress; rectify once it has ended/);
    expect(await server.db.kysely.selectFrom('interactions').select('customer_name').where('id', '=', customer.interactionId).executeTakeFirst()).toEqual({ customer_name: 'Maria Gonzales' });
  });
});
