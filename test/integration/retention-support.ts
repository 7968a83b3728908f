import type { RetentionPolicy, RetentionPreview } from '../../shared/api/retention';
import { api, nextFrame, type TestBackend } from './helpers';
import { connected, type Agent } from './interactions-support';

/** Shared by the retention*.test.ts files. */

export const DAY_MS = 86_400_000;

export const KEEP_ALL: RetentionPolicy = { transcriptsDays: null, sensitiveTranscriptsDays: null, recordingsDays: null, contactsDays: null, interactionsDays: null, auditDays: null };

/** A chat the customer and the agent each write in, ended and wrapped up (closed), optionally marked sensitive first. */
export async function closedChat(server: TestBackend, agent: Agent, opts: { texts: string[]; sensitive?: boolean; name?: string }): Promise<string> {
  const customer = await connected(server, agent, { customer: { name: opts.name ?? 'Casey Customer', email: 'casey@example.com' } });
  const id = customer.interactionId;
  for (const [i, text] of opts.texts.entries()) {
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: `c${i}`, text });
    await nextFrame(agent.ws, (f) => f.type === 'chat.message' && f.interactionId === id && f.message.text === text);
  }
  if (opts.sensitive) {
    const res = await api(server.url, `/api/interactions/${id}/sensitive`, { token: agent.login.token, json: { category: 'health' } });
    if (res.status !== 200) throw new Error(`mark → ${res.status} ${JSON.stringify(res.body)}`);
  }
  agent.ws.send({ type: 'interaction.end', interactionId: id });
  await nextFrame(agent.ws, (f) => f.type === 'wrapup.required' && f.interactionId === id);
  agent.ws.send({ type: 'wrapup.submit', interactionId: id, disposition: 'Resolved', notes: 'called back' });
  await nextFrame(agent.ws, (f) => f.type === 'wrapup.done' && f.interactionId === id);
  await customer.ws.close();
  return id;
}

export async function preview(server: TestBackend, token: string, policy: RetentionPolicy): Promise<RetentionPreview> {
  const res = await api<RetentionPreview>(server.url, '/api/admin/retention-policy/preview', { token, json: policy });
  if (res.status !== 200) throw new Error(`preview → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** One class's count for one store (0 when the class or store is absent). */
export function countOf(p: RetentionPreview, retention: string, store: string): number {
  return p.classes.find((c) => c.retention === retention)?.stores.find((s) => s.store === store)?.count ?? 0;
}

export async function savePolicy(server: TestBackend, token: string, policy: RetentionPolicy): Promise<void> {
  const res = await api(server.url, '/api/admin/retention-policy', { method: 'PUT', token, json: policy });
  if (res.status !== 200) throw new Error(`save → ${res.status} ${JSON.stringify(res.body)}`);
}
