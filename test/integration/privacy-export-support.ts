import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { expect } from 'vitest';
import yauzl from 'yauzl';
import type { ServerMessageOf } from '../../shared/api/ws';
import type { StoreResult } from '../../shared/api/privacy';
import type { ExecutorContext } from '../../server/modules/privacy/requests/executor';
import { api, nextFrame, type TestBackend } from './helpers';
import { connected, type Agent } from './interactions-support';
import { mutationId, pushOne } from './sync-support';

/** Shared by the privacy-*.test.ts files: conversations made through the real APIs, and zip reading. */

export interface Person {
  name: string;
  email: string;
}

/** The context a privacy request's runner hands an executor, with the progress it reported. */
export function executorContext(interactionIds: readonly string[], extra: Partial<ExecutorContext> = {}): ExecutorContext & { reported: [number, number][] } {
  const reported: [number, number][] = [];
  return {
    requestId: `req-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    interactionIds,
    subject: { interactionIds: [...interactionIds] },
    replacements: [],
    now: new Date(),
    progress: async (done, total) => {
      reported.push([done, total]);
    },
    reported,
    ...extra,
  };
}

/** Ends the agent's interaction and submits the wrap-up with notes. */
export async function endWithWrapup(agent: Agent, interactionId: string, notes: string): Promise<void> {
  agent.ws.send({ type: 'interaction.end', interactionId });
  await nextFrame(agent.ws, (f) => f.type === 'wrapup.required' && f.interactionId === interactionId);
  agent.ws.send({ type: 'wrapup.submit', interactionId, disposition: 'Resolved', notes });
  await nextFrame(agent.ws, (f) => f.type === 'wrapup.done' && f.interactionId === interactionId);
}

/**
 * A chat between the person and the agent: the lines alternate customer, agent, customer…; each is
 * waited for on the other side. Then the end, the wrap-up and one agent's note (sync push).
 */
export async function chat(server: TestBackend, agent: Agent, person: Person, lines: readonly string[], wrapupNotes: string, note: string): Promise<string> {
  const customer = await connected(server, agent, { kind: 'chat', customer: person });
  const id = customer.interactionId;
  for (const [i, text] of lines.entries()) {
    const fromCustomer = i % 2 === 0;
    (fromCustomer ? customer.ws : agent.ws).send({ type: 'chat.send', interactionId: id, clientMsgId: `m${i}`, text });
    await nextFrame(fromCustomer ? agent.ws : customer.ws, (f) => f.type === 'chat.message' && f.message.text === text);
  }
  await endWithWrapup(agent, id, wrapupNotes);
  const noted = await pushOne(server.url, agent.login.token, { mutationId: mutationId('note'), type: 'note.create', noteId: `note-${id}`, interactionId: id, text: note });
  expect(noted.status).toBe('applied');
  return id;
}

type RecordingState = ServerMessageOf<'recording.state'>;

/** Uploads chunks of a segment as the agent's recorder does. */
export async function uploadChunks(server: TestBackend, token: string, recordingId: string, chunks: readonly Buffer[]): Promise<void> {
  for (const [seq, bytes] of chunks.entries()) {
    const res = await fetch(`${server.url}/api/recordings/${recordingId}/segments/0/chunks/${seq}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'audio/webm;codecs=opus' },
      body: new Uint8Array(bytes),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }
}

/**
 * A recorded call: the recording starts when it connects, the agent pauses and resumes once (a
 * secure pause), the chunks are uploaded, the call ends with a wrap-up and the recording is closed
 * (the server assembles its file).
 */
export async function recordedCall(server: TestBackend, agent: Agent, person: Person, chunks: readonly Buffer[], wrapupNotes: string): Promise<{ interactionId: string; recordingId: string }> {
  const customer = await connected(server, agent, { kind: 'call', customer: person });
  const id = customer.interactionId;
  const isState = (paused: boolean) => (f: { type: string; interactionId?: string; paused?: boolean; recording?: boolean }) =>
    f.type === 'recording.state' && f.interactionId === id && f.recording === true && f.paused === paused;
  const state = await nextFrame<RecordingState>(agent.ws, isState(false));
  const recordingId = state.recordingId!;
  agent.ws.send({ type: 'recording.pause', interactionId: id });
  await nextFrame(agent.ws, isState(true));
  agent.ws.send({ type: 'recording.resume', interactionId: id });
  await nextFrame(agent.ws, isState(false));
  await uploadChunks(server, agent.login.token, recordingId, chunks);
  await endWithWrapup(agent, id, wrapupNotes);
  const closed = await api(server.url, `/api/recordings/${recordingId}/close`, { token: agent.login.token, json: { lastSeq: chunks.length - 1 } });
  expect(closed.status).toBe(200);
  expect(closed.body).toMatchObject({ status: 'closed', missingChunks: 0, assembly: 'single' });
  return { interactionId: id, recordingId };
}

export interface ZipEntryInfo {
  name: string;
  uncompressedSize: number;
  sha256: string;
  /** The content, when asked for (small entries). */
  data?: Buffer;
}

/** Reads every entry of a zip with yauzl (an independent reader), hashing each as it streams. */
export async function readZip(file: string, keep: (name: string) => boolean = () => true): Promise<Map<string, ZipEntryInfo>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const out = new Map<string, ZipEntryInfo>();
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      void (async () => {
        const stream: Readable = await zip.openReadStreamPromise(entry);
        const hash = createHash('sha256');
        const parts: Buffer[] = [];
        const wanted = keep(entry.fileName);
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          hash.update(chunk);
          if (wanted) parts.push(chunk);
        }
        out.set(entry.fileName, { name: entry.fileName, uncompressedSize: entry.uncompressedSize, sha256: hash.digest('hex'), ...(wanted ? { data: Buffer.concat(parts) } : {}) });
        zip.readEntry();
      })().catch(reject);
    });
    zip.readEntry();
  });
  zip.close();
  return out;
}

export function resultOf(results: readonly StoreResult[], store: string): StoreResult | undefined {
  return results.find((r) => r.store === store);
}
