import os from 'node:os';
import { CreatePrivacyRequestResponse, PrivacyRequest, SubjectSearchResponse } from '../../shared/api/privacy';
import { seedHistory } from '../../server/modules/sync/history-seed';
import { startInProcess } from '../../test/support/in-process';
import { cliOptions } from '../lib/cli';
import { percentile } from '../lib/stats';

/**
 * `npm run bench:privacy`: subject search and erase through a real in-process server (SQLite).
 * Seeds `--others` interactions (default 10,000, 10 messages each) plus `--subject` interactions
 * (default 1,000, 10 messages each, 10,000 in all) of one person, whose e-mail is on the
 * interaction (mixed case) and typed in one chat line of each. Then, as privacy1: the search by
 * e-mail, `--searches` times (p50/max; target p50 < 200 ms), and one erase request by e-mail until
 * it completes (target < 10 s). Export is not measured here (its executor is another branch's).
 */
const arg = cliOptions();
const others = Number(arg('others', '10000'));
const subject = Number(arg('subject', '1000'));
const searches = Number(arg('searches', '7'));
const EMAIL = 'Bench.Subject@Example.test';

async function json(url: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: await res.json() };
}

async function login(url: string, username: string): Promise<{ token: string; user: { id: string } }> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
  return (await res.json()) as { token: string; user: { id: string } };
}

const server = await startInProcess();
try {
  const agent = await login(server.url, 'agent1');
  const seedStart = performance.now();
  await seedHistory(server.db, { agentId: agent.user.id, queueId: 'general', interactions: others, messages: others * 10 });
  const { interactionIds } = await seedHistory(server.db, { agentId: agent.user.id, queueId: 'general', interactions: subject, messages: subject * 10 });
  const k = server.db.kysely;
  for (let i = 0; i < interactionIds.length; i += 500) {
    const chunk = interactionIds.slice(i, i + 500);
    await k.updateTable('interactions').set({ customer_email: EMAIL, customer_name: 'Bench Subject' }).where('id', 'in', chunk).execute();
    await k.updateTable('messages').set({ text: `you can mail me at ${EMAIL.toLowerCase()}` }).where('interaction_id', 'in', chunk).where('seq', '=', 1).execute();
  }
  await server.db.checkpointer?.checkpointNow();
  console.log(`seeded ${others + subject} interactions, ${(others + subject) * 10} messages in ${Math.round(performance.now() - seedStart)} ms`);

  const officer = await login(server.url, 'privacy1');
  const times: number[] = [];
  let matches = 0;
  for (let i = 0; i < searches; i++) {
    const t = performance.now();
    const res = await json(`${server.url}/api/privacy/subjects?email=${encodeURIComponent(EMAIL)}`, officer.token);
    times.push(performance.now() - t);
    matches = SubjectSearchResponse.parse(res.body).matches.length;
  }
  console.log(`search by e-mail: ${matches} matches; p50 ${percentile(times, 50).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms (target p50 < 200 ms)`);

  const t = performance.now();
  const created = CreatePrivacyRequestResponse.parse((await json(`${server.url}/api/privacy/requests`, officer.token, { method: 'POST', body: { type: 'erase', subject: { email: EMAIL }, confirm: true } })).body);
  let request: { status: string; stores: PrivacyRequest['stores']; tookMs: number | null } = { status: created.status, stores: [], tookMs: null };
  while (request.status !== 'completed' && request.status !== 'failed') {
    // A bench polls like the app does; the request runs in the server's background.
    await new Promise((resolve) => setTimeout(resolve, 50));
    request = PrivacyRequest.parse((await json(`${server.url}/api/privacy/requests/${created.id}`, officer.token)).body);
  }
  const stores = request.stores.filter((s) => s.done > 0).map((s) => `${s.store} ${s.done}`).join(', ');
  console.log(`erase: ${request.status} in ${Math.round(performance.now() - t)} ms (server ${request.tookMs} ms; target < 10 s): ${stores}`);
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${os.cpus().length} cores`);
} finally {
  await server.close();
}
