import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../server/db/database';
import { seedHistory } from '../../server/modules/sync/history-seed';

export const SUBJECT = { email: 'dana.subject@example.test', name: 'Dana Subject' };

export interface PrivacyBenchData {
  subjectInteractionIds: string[];
  otherInteractionIds: string[];
  recordingIds: string[];
  /** Bytes of every recording file written (chunks and assembled files). */
  recordingBytes: number;
}

/**
 * The bench's population, written straight into a stopped server's database and data dir as the
 * running server would have stored it: `others` interactions of other customers, the subject's
 * `subject` interactions with `messages` messages among them, and `recordings` of the subject's
 * calls, each a real WebM/Opus file (one chunk and the assembled file, as after a call).
 */
export async function seedPrivacyBench(
  db: Db,
  dataDir: string,
  opts: { agentId: string; agentName: string; queueId: string; others: number; subject: number; messages: number; recordings: number; webm: Buffer },
  progress: (what: string) => void,
): Promise<PrivacyBenchData> {
  progress(`${opts.others} other customers' interactions`);
  const others = await seedHistory(db, { agentId: opts.agentId, queueId: opts.queueId, interactions: opts.others, messages: opts.others * 3, newestAgoMs: 3_600_000 });
  progress(`the subject's ${opts.subject} interactions and ${opts.messages} messages`);
  const mine = await seedHistory(db, { agentId: opts.agentId, queueId: opts.queueId, interactions: opts.subject, messages: opts.messages, newestAgoMs: 7_200_000, spacingMs: 90_000 });
  const ids = mine.interactionIds;
  for (let at = 0; at < ids.length; at += 500) {
    const batch = ids.slice(at, at + 500);
    await db.kysely.updateTable('interactions').set({ customer_name: SUBJECT.name, customer_email: SUBJECT.email }).where('id', 'in', batch).execute();
    await db.kysely.updateTable('messages').set({ author_name: SUBJECT.name }).where('interaction_id', 'in', batch).where('author', '=', 'customer').execute();
  }

  progress(`${opts.recordings} recordings of ${opts.webm.length} bytes each`);
  const root = path.join(dataDir, 'recordings');
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  const recordingIds: string[] = [];
  const calls = ids.slice(0, opts.recordings);
  await db.kysely.updateTable('interactions').set({ kind: 'call' }).where('id', 'in', calls).execute();
  const rows = await db.kysely.selectFrom('interactions').select(['id', 'answered_at', 'ended_at']).where('id', 'in', calls).execute();
  for (const row of rows) {
    const id = randomUUID();
    recordingIds.push(id);
    fs.mkdirSync(path.join(root, `${id}.chunks`), { mode: 0o700 });
    fs.writeFileSync(path.join(root, `${id}.chunks`, '0000000'), opts.webm, { mode: 0o600 });
    fs.writeFileSync(path.join(root, `${id}.webm`), opts.webm, { mode: 0o600 });
    await db.kysely
      .insertInto('recordings')
      .values({
        id,
        interaction_id: row.id,
        agent_id: opts.agentId,
        agent_name: opts.agentName,
        started_at: row.answered_at ?? row.ended_at!,
        ended_at: row.ended_at,
        mime_type: 'audio/webm;codecs=opus',
        status: 'closed',
        assembled_bytes: opts.webm.length,
        recovered: 0,
        assembly: 'single',
        assembly_note: null,
      })
      .execute();
    await db.kysely.insertInto('recording_chunks').values({ recording_id: id, segment: 0, seq: 0, bytes: opts.webm.length, received_at: row.ended_at! }).execute();
    await db.kysely.insertInto('recording_segments').values({ recording_id: id, segment: 0, last_seq: 0 }).execute();
  }
  return { subjectInteractionIds: ids, otherInteractionIds: others.interactionIds, recordingIds, recordingBytes: 2 * opts.webm.length * recordingIds.length };
}
