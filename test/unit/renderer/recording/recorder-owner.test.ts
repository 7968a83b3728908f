import { describe, expect, it, vi } from 'vitest';
import { type InteractionSummary, type LoginResponse, type User } from '../../../../shared';
import { createAppStore } from '../../../../renderer/app/store';
import { createFieldCipher, generateLocalKey } from '../../../../renderer/data/crypto/field-cipher';
import { webKeyProvider } from '../../../../renderer/data/crypto/local-key';
import { createSessionStore } from '../../../../renderer/features/auth/session-store';
import { type CallEntry } from '../../../../renderer/features/calls/calls-slice';
import { type MediaRecorderLike, type RecorderMedia } from '../../../../renderer/media/recorder/call-recorder';
import { indexedDbChunkQueue } from '../../../../renderer/media/recorder/chunk-queue';
import { sealedChunkQueue } from '../../../../renderer/media/recorder/sealed-chunk-queue';
import { WsClient } from '../../../../renderer/net/ws-client';
import { FakeSyncServer } from '../../data/fake-sync-server';
import { freshIdb } from '../../data/helpers';
import { FakeWebSocket } from '../fake-websocket';
import { agentUser, fakeApi, fakeBridge, memoryStorage } from '../store-harness';

const serverUrl = 'http://server.test';
const agentB: User = { id: 'u-agent2', username: 'agent2', displayName: 'Agent Two', role: 'agent' };

class FakeRecorder implements MediaRecorderLike {
  state: 'inactive' | 'recording' | 'paused' = 'inactive';
  ondataavailable: ((event: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  start() {
    this.state = 'recording';
  }
  stop() {
    this.state = 'inactive';
    this.onstop?.();
  }
  pause() {
    this.state = 'paused';
  }
  resume() {
    this.state = 'recording';
  }
  requestData() {}
}

/**
 * The recording server as far as uploads go: like the real one, it takes a recording's chunks and
 * close only from the agent who recorded it and answers 403 to anyone else (which the uploader
 * used to take as "refused for good" and drop).
 */
function recordingServer(owners: Record<string, string>, tokens: Record<string, string>) {
  const state = { down: false, log: [] as string[], stored: [] as string[] };
  const fetchImpl = vi.fn(async (url: string, init?: RequestInit) => {
    if (state.down) throw new TypeError('Failed to fetch');
    const token = String((init?.headers as Record<string, string>).authorization).replace('Bearer ', '');
    const path = String(url).replace(serverUrl, '');
    state.log.push(`${path} as ${tokens[token] ?? token}`);
    const recordingId = /\/api\/recordings\/([^/]+)/.exec(path)?.[1] ?? '';
    if (owners[recordingId] !== tokens[token]) return new Response('{}', { status: 403 });
    if (path.includes('/chunks/')) state.stored.push(`${path} ${new TextDecoder().decode(init?.body as ArrayBuffer)}`);
    return new Response('{}', { status: 200 });
  });
  return { fetchImpl, state };
}

function setup() {
  const idb = freshIdb();
  const recorders: FakeRecorder[] = [];
  const media: RecorderMedia = {
    mix: () => ({ stream: {} as MediaStream, gate: { close: () => undefined, open: () => undefined }, close: () => undefined }),
    createRecorder: () => {
      const r = new FakeRecorder();
      recorders.push(r);
      return r;
    },
  };
  // The app's own queue: IndexedDB, audio sealed under the machine's recorder key.
  const recorderKey = generateLocalKey();
  const queue = sealedChunkQueue(indexedDbChunkQueue(idb.indexedDB, idb.IDBKeyRange), { cipher: async () => createFieldCipher(await recorderKey) });
  const server = recordingServer({ 'rec-a': agentUser.id, 'rec-b': agentB.id }, { 'tok-a': agentUser.id, 'tok-b': agentB.id });
  const logins: Record<string, LoginResponse> = {
    agent1: { token: 'tok-a', user: agentUser, expiresAt: '2099-01-01T00:00:00.000Z' },
    agent2: { token: 'tok-b', user: agentB, expiresAt: '2099-01-01T00:00:00.000Z' },
  };
  const api = fakeApi({ login: vi.fn(async ({ username }: { username: string }) => logins[username]!) });
  const sync = new FakeSyncServer();
  const store = createAppStore({
    bridge: fakeBridge(serverUrl),
    session: createSessionStore(memoryStorage()),
    createApi: () => api,
    createConnection: (opts) => new WsClient({ ...opts, WebSocket: FakeWebSocket, logger: { warn: () => {}, info: () => {} } }),
    recorder: { media, queue, fetch: server.fetchImpl as unknown as typeof fetch },
    localData: { keys: webKeyProvider(idb.indexedDB, idb.IDBKeyRange), createTransport: () => sync, ...idb, locks: null },
  });
  const signIn = async (username: 'agent1' | 'agent2') => {
    expect(await store.getState().signIn({ serverUrl, username, password: 'demo' })).toBe(true);
  };

  /** One recorded call: two chunks and the close, queued while uploads fail. */
  const recordCall = async (recordingId: string) => {
    const summary = { id: `i-${recordingId}`, kind: 'call', status: 'active' } as InteractionSummary;
    const call: CallEntry = { id: summary.id, summary, remoteStream: {} as MediaStream, phase: 'connected', muted: false, held: false, connectedAt: 1, reconnecting: false, endedAt: null, error: null };
    store.getState().applyRecordingState({ type: 'recording.state', interactionId: summary.id, recording: true, paused: false, recordingId, reminderAfterSeconds: 30 });
    store.setState(() => ({ calls: { byId: { [summary.id]: call }, order: [summary.id] } }) as never);
    await vi.waitFor(() => expect(recorders.at(-1)?.state).toBe('recording'));
    const recorder = recorders.at(-1)!;
    recorder.ondataavailable?.({ data: new Blob([`${recordingId} audio 0`]) });
    recorder.ondataavailable?.({ data: new Blob([`${recordingId} audio 1`]) });
    store.setState(() => ({ calls: { byId: { [summary.id]: { ...call, phase: 'ended' } }, order: [summary.id] } }) as never);
    // Queued, or already sent when the server is up.
    const closeSent = () => server.state.log.some((l) => l.startsWith(`/api/recordings/${recordingId}/close `));
    await vi.waitFor(async () => expect(closeSent() || (await queue.closes()).some((c) => c.recordingId === recordingId)).toBe(true));
  };
  return { store, queue, server, signIn, recordCall };
}

describe('recorder queue ownership', () => {
  it("another agent's sign-in keeps A's queued chunks and never sends them with B's session; A's next sign-in uploads them", async () => {
    const { store, queue, server, signIn, recordCall } = setup();
    await store.getState().start();
    await signIn('agent1');
    server.state.down = true;
    await recordCall('rec-a');
    const queued = await queue.chunks();
    expect(queued.map((c) => [c.recordingId, c.seq, c.userId])).toEqual([['rec-a', 0, agentUser.id], ['rec-a', 1, agentUser.id]]);
    await store.getState().signOut();

    // B signs in on the same machine, the server is reachable: B records and uploads their own call.
    server.state.down = false;
    await signIn('agent2');
    await recordCall('rec-b');
    await vi.waitFor(() => expect(server.state.log).toContain('/api/recordings/rec-b/close as u-agent2'));
    store.getState().flushRecordingUploads();
    await vi.waitFor(async () => expect((await queue.chunks()).map((c) => c.recordingId)).toEqual(['rec-a', 'rec-a']));
    // Nothing of A's went out with B's session, and nothing of A's was dropped.
    expect(server.state.log.filter((l) => l.includes('rec-a'))).toEqual([]);
    expect((await queue.closes()).map((c) => c.recordingId)).toEqual(['rec-a']);
    await store.getState().signOut();

    // A signs in again: their chunks and then the close go up with A's session.
    server.state.log.length = 0;
    await signIn('agent1');
    await vi.waitFor(async () => expect(await queue.closes()).toEqual([]));
    expect(server.state.log).toEqual([
      // Seq 0 says how long ago its recorder started (measured at the upload, so after the wait too).
      expect.stringMatching(/^\/api\/recordings\/rec-a\/segments\/0\/chunks\/0\?startedAgoMs=\d+ as u-agent1$/),
      '/api/recordings/rec-a/segments/0/chunks/1 as u-agent1',
      '/api/recordings/rec-a/close as u-agent1',
    ]);
    expect(server.state.stored.filter((s) => s.includes('rec-a'))).toEqual([
      expect.stringMatching(/^\/api\/recordings\/rec-a\/segments\/0\/chunks\/0\?startedAgoMs=\d+ rec-a audio 0$/),
      '/api/recordings/rec-a/segments/0/chunks/1 rec-a audio 1',
    ]);
    expect(await queue.chunks()).toEqual([]);
  });

  it("wipe (the user's explicit local-data removal, from the panel or the sign-in screen) clears that user's recorder queue and no one else's", async () => {
    const { store, queue, server, signIn, recordCall } = setup();
    await store.getState().start();
    server.state.down = true;
    await signIn('agent2');
    await recordCall('rec-b');
    await store.getState().signOut();
    await signIn('agent1');
    await recordCall('rec-a');
    await vi.waitFor(() => expect(store.getState().localData.status).toBe('ready'));
    expect((await queue.chunks()).map((c) => c.recordingId).sort()).toEqual(['rec-a', 'rec-a', 'rec-b', 'rec-b']);

    await store.getState().wipeLocalData();
    expect((await queue.chunks()).map((c) => `${c.recordingId} ${c.userId}`)).toEqual([`rec-b ${agentB.id}`, `rec-b ${agentB.id}`]);
    expect((await queue.closes()).map((c) => c.recordingId)).toEqual(['rec-b']);
    expect(await queue.lastSeqs('rec-a')).toEqual([]);

    // The sign-in screen's offer after B signs out is the same removal: B's waiting audio goes with it.
    await store.getState().signOut();
    await signIn('agent2');
    await vi.waitFor(() => expect(store.getState().localData.status).toBe('ready'));
    await store.getState().signOut();
    expect(store.getState().localData.leftBehind).toMatchObject({ userId: agentB.id, serverUrl });
    await store.getState().removeLeftBehindData();
    expect(await queue.chunks()).toEqual([]);
    expect(await queue.closes()).toEqual([]);
  });
});
