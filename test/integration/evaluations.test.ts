import { afterEach, describe, expect, it } from 'vitest';
import { AuditAction } from '../../server/modules/audit/actions';
import { api, login, startBackend, testClock, type Json, type TestBackend } from './helpers';
import { connectAgent, INTERACTION_DEFAULTS, startInteractionsBackend } from './interactions-support';
import { closedChat, DAY_MS, KEEP_ALL, savePolicy } from './retention-support';

/** Evaluations (issue 20): scorecards with versions, the server's weighted score, who sees what, erase, export, retention. */

const CARD = {
  name: 'Chat quality',
  questions: [
    { text: 'Greeted the customer by name?', scale: 'yes_no', weight: 2 },
    { text: 'Tone', scale: 'one_to_five', labels: ['Poor', 'Weak', 'Fair', 'Good', 'Great'], weight: 1 },
  ],
};

async function createCard(server: TestBackend, token: string): Promise<Json> {
  const res = await api(server.url, '/api/scorecards', { token, json: CARD });
  expect(res.status).toBe(201);
  return res.body;
}

async function evaluate(server: TestBackend, token: string, interactionId: string, card: Json, values: number[], notes?: string) {
  return api(server.url, '/api/evaluations', {
    token,
    json: { interactionId, scorecardId: card.id, answers: card.questions.map((q: Json, i: number) => ({ questionId: q.id, value: values[i] })), ...(notes ? { notes } : {}) },
  });
}

const auditActions = async (server: TestBackend): Promise<string[]> => (await server.db.kysely.selectFrom('audit_log').select('action').execute()).map((r) => r.action);

describe('evaluations', () => {
  let server: TestBackend | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('scores on the server with the weights, versions a scorecard in use, and shows an agent only their own', async () => {
    server = await startInteractionsBackend();
    const admin = (await login(server.url, 'admin')).token;
    const super2 = (await login(server.url, 'super2')).token;
    const agent2 = (await login(server.url, 'agent2')).token;
    const agent1 = await connectAgent(server, 'agent1');
    const chat = await closedChat(server, agent1, { texts: ['hello, my order is late'] });

    // Only admins write scorecards.
    expect((await api(server.url, '/api/scorecards', { token: super2, json: CARD })).status).toBe(403);
    const card = await createCard(server, admin);
    expect(card).toMatchObject({ version: 1, archived: false, inUse: false });
    expect(card.questions[0].labels).toEqual(['Yes', 'No']);

    // Agents do not evaluate; every question must be answered with a value of its scale.
    expect((await evaluate(server, agent1.login.token, chat, card, [1, 4])).status).toBe(403);
    expect((await api(server.url, '/api/evaluations', { token: super2, json: { interactionId: chat, scorecardId: card.id, answers: [{ questionId: card.questions[0].id, value: 1 }] } })).status).toBe(400);
    expect((await evaluate(server, super2, chat, card, [1, 7])).status).toBe(400);

    // (2·1 + 1·(4−1)/4) / 3 = 91.7
    const first = await evaluate(server, super2, chat, card, [1, 4], 'Customer Casey was greeted well');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ score: 91.7, agent: { name: expect.any(String) }, scorecard: { version: 1 }, notes: 'Customer Casey was greeted well', comment: null });
    // (2·0 + 1·0) / 3 = 0
    const second = await evaluate(server, admin, chat, card, [0, 1]);
    expect(second.body.score).toBe(0);

    // Editing a scorecard in use makes version 2 (kept questions keep their ids); the evaluation keeps version 1's questions.
    const edited = await api(server.url, `/api/scorecards/${card.id}`, { token: admin, method: 'PUT', json: { ...CARD, questions: [...card.questions, { text: 'Offered a follow-up?', scale: 'yes_no', weight: 1 }] } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ familyId: card.familyId, version: 2, inUse: false });
    expect(edited.body.id).not.toBe(card.id);
    expect(edited.body.questions.slice(0, 2).map((q: Json) => q.id)).toEqual(card.questions.map((q: Json) => q.id));
    expect((await evaluate(server, super2, chat, card, [1, 4])).status).toBe(409);
    expect((await api(server.url, `/api/scorecards/${card.id}`, { token: admin, method: 'PUT', json: CARD })).status).toBe(409);
    const kept = await api(server.url, `/api/evaluations/${first.body.id}`, { token: super2 });
    expect(kept.body.scorecard).toMatchObject({ id: card.id, version: 1 });
    expect(kept.body.scorecard.questions).toHaveLength(2);
    const list = await api(server.url, '/api/scorecards', { token: super2 });
    expect(list.body.items.map((s: Json) => [s.name, s.version])).toEqual([['Chat quality', 2]]);

    // An unused version changes in place; archiving hides it from supervisors' lists and new evaluations.
    const inPlace = await api(server.url, `/api/scorecards/${edited.body.id}`, { token: admin, method: 'PUT', json: { ...CARD, name: 'Chat quality 2' } });
    expect(inPlace.body).toMatchObject({ id: edited.body.id, version: 2, name: 'Chat quality 2' });
    expect((await api(server.url, `/api/scorecards/${edited.body.id}/archive`, { token: admin, method: 'POST' })).body.archived).toBe(true);
    expect((await api(server.url, '/api/scorecards', { token: super2 })).body.items).toEqual([]);
    expect((await api(server.url, '/api/scorecards?archived=true', { token: admin })).body.items).toHaveLength(1);
    expect((await evaluate(server, super2, chat, inPlace.body, [1, 4])).status).toBe(409);

    // The agent sees their own; another agent gets 404 as for an unknown id.
    const mine = await api(server.url, '/api/evaluations/mine', { token: agent1.login.token });
    expect(mine.body.items.map((e: Json) => e.score).sort()).toEqual([0, 91.7]);
    expect((await api(server.url, '/api/evaluations/mine', { token: agent2 })).body.items).toEqual([]);
    expect((await api(server.url, `/api/evaluations/${first.body.id}`, { token: agent2 })).status).toBe(404);
    expect((await api(server.url, `/api/evaluations/${first.body.id}/comment`, { token: agent2, json: { text: 'not mine' } })).status).toBe(404);
    expect((await api(server.url, `/api/interactions/${chat}/evaluations`, { token: agent2 })).body.items).toEqual([]);
    expect((await api(server.url, '/api/evaluations/report?from=2020-01-01T00:00:00Z&to=2040-01-01T00:00:00Z', { token: agent2 })).status).toBe(403);

    // The agent comments (once; again replaces it); supervisors may not comment; the supervisor reads it.
    expect((await api(server.url, `/api/evaluations/${first.body.id}/comment`, { token: super2, json: { text: 'x' } })).status).toBe(403);
    const commented = await api(server.url, `/api/evaluations/${first.body.id}/comment`, { token: agent1.login.token, json: { text: 'Thanks, noted' } });
    expect(commented.status).toBe(200);
    expect(commented.body.comment.text).toBe('Thanks, noted');
    const seen = await api(server.url, `/api/interactions/${chat}/evaluations`, { token: super2 });
    expect(seen.body.items.find((e: Json) => e.id === first.body.id).comment.text).toBe('Thanks, noted');

    // Only the evaluator (or an admin) corrects an evaluation; the score is recomputed.
    const other = (await login(server.url, 'super1')).token;
    expect((await api(server.url, `/api/evaluations/${first.body.id}`, { token: other, method: 'PUT', json: { answers: first.body.answers } })).status).toBe(403);
    const fixed = await api(server.url, `/api/evaluations/${first.body.id}`, { token: super2, method: 'PUT', json: { answers: [{ questionId: card.questions[0].id, value: 1 }, { questionId: card.questions[1].id, value: 5 }], notes: 'fine' } });
    expect(fixed.body).toMatchObject({ score: 100, notes: 'fine' });

    // Averages per agent and per queue over the range: (100 + 0) / 2.
    const report = await api(server.url, '/api/evaluations/report?from=2020-01-01T00:00:00Z&to=2040-01-01T00:00:00Z', { token: super2 });
    expect(report.status).toBe(200);
    expect(report.body.agents).toEqual([{ id: agent1.login.user.id, name: expect.any(String), evaluations: 2, averageScore: 50 }]);
    expect(report.body.queues).toEqual([{ id: 'general', name: 'General', evaluations: 2, averageScore: 50 }]);
    const empty = await api(server.url, '/api/evaluations/report?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z', { token: super2 });
    expect(empty.body.agents).toEqual([]);

    // The agent's own export.
    const exported = await api(server.url, '/api/evaluations/export', { token: agent1.login.token });
    expect(exported.headers.get('content-disposition')).toMatch(/attachment/);
    expect(exported.body.items).toHaveLength(2);

    const actions = await auditActions(server);
    for (const a of [AuditAction.scorecardChanged, AuditAction.evaluationCreated, AuditAction.evaluationUpdated, AuditAction.evaluationCommented, AuditAction.evaluationsExported]) expect(actions).toContain(a);
    // Audit entries hold ids and the score, never the notes.
    const details = (await server.db.kysely.selectFrom('audit_log').select('details').where('action', 'like', 'evaluation.%').execute()).map((r) => String(r.details));
    expect(details.join(' ')).not.toMatch(/Casey|Thanks|fine/);
  });

  it('keeps sensitive interactions to who may open them, refuses one not ended, and an erase clears the words but keeps the score', async () => {
    server = await startInteractionsBackend();
    const admin = (await login(server.url, 'admin')).token;
    const super1 = (await login(server.url, 'super1')).token;
    const super2 = (await login(server.url, 'super2')).token;
    const agent1 = await connectAgent(server, 'agent1');
    const card = await createCard(server, admin);
    const sensitive = await closedChat(server, agent1, { texts: ['about my diagnosis'], sensitive: true });
    // super2 lacks the sensitive permission: the history's 403.
    expect((await evaluate(server, super2, sensitive, card, [1, 5])).status).toBe(403);
    const ok = await evaluate(server, super1, sensitive, card, [1, 5], 'Casey Customer said the diagnosis was hard');
    expect(ok.status).toBe(201);
    expect((await api(server.url, `/api/evaluations/${ok.body.id}`, { token: super2 })).status).toBe(403);
    expect((await api(server.url, `/api/evaluations/${ok.body.id}`, { token: agent1.login.token })).status).toBe(200);
    expect((await api(server.url, '/api/evaluations', { token: super1, json: { interactionId: 'nope', scorecardId: card.id, answers: [] } })).status).toBe(400);
    expect((await evaluate(server, super1, 'no-such-interaction', card, [1, 5])).status).toBe(404);

    await api(server.url, `/api/evaluations/${ok.body.id}/comment`, { token: agent1.login.token, json: { text: 'Casey was upset' } });
    const erased = await api(server.url, `/api/interactions/${sensitive}/erase`, { token: admin, method: 'POST' });
    expect(erased.status).toBe(200);
    const after = await api(server.url, `/api/evaluations/${ok.body.id}`, { token: agent1.login.token });
    expect(after.body).toMatchObject({ score: 100, notes: null, comment: null });
  });

  it('clears notes and comments when the transcripts age out', async () => {
    const clock = testClock();
    server = await startBackend(INTERACTION_DEFAULTS, { now: clock.now });
    const admin = (await login(server.url, 'admin')).token;
    const agent1 = await connectAgent(server, 'agent1');
    await savePolicy(server, admin, { ...KEEP_ALL, transcriptsDays: 30 });
    const card = await createCard(server, admin);
    const chat = await closedChat(server, agent1, { texts: ['an old question'] });
    const evaluation = await evaluate(server, admin, chat, card, [1, 3], 'quoted the customer');
    clock.advance(31 * DAY_MS);
    await server.retention.runNow();
    const row = await server.db.kysely.selectFrom('evaluations').selectAll().where('id', '=', evaluation.body.id).executeTakeFirstOrThrow();
    expect(row.notes).toBeNull();
    expect(Number(row.score)).toBe(83.3);
  });
});
