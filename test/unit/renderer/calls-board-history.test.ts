import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type InteractionSummary } from '../../../shared';
import { selectBoardAgents, selectBoardQueues } from '../../../renderer/features/board/board-slice';
import { selectCallList } from '../../../renderer/features/calls/calls-slice';
import { ApiError } from '../../../renderer/net/api-client';
import { fakeMedia, fakeStream } from './fake-media';
import { FakeWebSocket } from './fake-websocket';
import { detail, summary } from './fixtures';
import { fakeApi, supervisorUser } from './store-harness';
import { signedInWork } from './work-harness';

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

/** Lets pending promise callbacks (microphone, ICE config, peer creation) run. */
async function flush() {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

describe('calls', () => {
  async function withCall() {
    const fm = fakeMedia();
    const h = await signedInWork({ media: fm.media });
    h.socket.serverSend({ type: 'interaction.opened', interaction: detail({ id: 'c-1', kind: 'call' }) });
    return { ...h, fm };
  }

  it('answers the customer: feeds their signals to the peer and relays ours', async () => {
    const { store, socket, fm } = await withCall();
    // The customer's offer can arrive while the microphone is still starting.
    socket.serverSend({ type: 'call.signal', interactionId: 'c-1', signal: { type: 'offer', sdp: 'v=0' } });
    expect(selectCallList(store.getState())[0]?.phase).toBe('starting');
    await flush();
    const peer = fm.latestPeer();
    expect(peer.received).toEqual([{ type: 'offer', sdp: 'v=0' }]);
    expect(selectCallList(store.getState())[0]?.phase).toBe('connecting');

    peer.handlers.onSignal({ type: 'answer', sdp: 'v=0 answer' });
    expect(socket.framesOfType('call.signal')).toEqual([{ type: 'call.signal', interactionId: 'c-1', signal: { type: 'answer', sdp: 'v=0 answer' } }]);

    const remote = fakeStream();
    peer.handlers.onStream(remote);
    peer.handlers.onConnect();
    expect(selectCallList(store.getState())[0]).toMatchObject({ phase: 'connected', connectedAt: 1_000_000, remoteStream: remote });
  });

  it('keeps signals that overtake interaction.opened', async () => {
    const fm = fakeMedia();
    const { socket } = await signedInWork({ media: fm.media });
    socket.serverSend({ type: 'call.signal', interactionId: 'c-9', signal: { type: 'offer', sdp: 'early' } });
    socket.serverSend({ type: 'interaction.opened', interaction: detail({ id: 'c-9', kind: 'call' }) });
    await flush();
    expect(fm.latestPeer().received).toEqual([{ type: 'offer', sdp: 'early' }]);
  });

  it('mute and hold change the tracks and tell the server', async () => {
    const { store, socket, fm } = await withCall();
    await flush();
    const peer = fm.latestPeer();
    const remote = fakeStream();
    peer.handlers.onStream(remote);
    peer.handlers.onConnect();
    const mic = fm.mics[0]!;

    store.getState().toggleMute('c-1');
    expect(mic.tracks[0]?.enabled).toBe(false);
    expect(socket.framesOfType('call.mute')).toEqual([{ type: 'call.mute', interactionId: 'c-1', muted: true }]);
    expect(selectCallList(store.getState())[0]?.muted).toBe(true);

    store.getState().toggleMute('c-1');
    store.getState().toggleHold('c-1');
    expect(mic.tracks[0]?.enabled).toBe(false);
    expect(remote.tracks[0]?.enabled).toBe(false);
    expect(socket.framesOfType('call.hold')[0]).toMatchObject({ interactionId: 'c-1', held: true });
    expect(selectCallList(store.getState())[0]?.held).toBe(true);

    store.getState().toggleHold('c-1');
    expect(mic.tracks[0]?.enabled).toBe(true);
    expect(remote.tracks[0]?.enabled).toBe(true);
  });

  it('hang-up ends the interaction and closes the peer', async () => {
    const { store, socket, fm } = await withCall();
    await flush();
    store.getState().hangUp('c-1');
    expect(socket.framesOfType('interaction.end')[0]).toMatchObject({ interactionId: 'c-1' });
    expect(fm.latestPeer().destroyed).toBe(true);
    expect(fm.mics[0]?.tracks[0]?.stopped).toBe(true);
    expect(selectCallList(store.getState())[0]?.phase).toBe('ended');
  });

  it('the customer hanging up ends the call; wrap-up done removes the panel', async () => {
    const { store, socket, fm } = await withCall();
    await flush();
    socket.serverSend({ type: 'interaction.updated', interaction: summary({ id: 'c-1', kind: 'call', status: 'wrapup' }) });
    expect(fm.latestPeer().destroyed).toBe(true);
    expect(selectCallList(store.getState())[0]?.phase).toBe('ended');
    socket.serverSend({ type: 'wrapup.required', interactionId: 'c-1', dispositions: ['Resolved'], deadline: '2099-01-01T00:00:00.000Z' });
    socket.serverSend({ type: 'wrapup.done', interactionId: 'c-1', timedOut: true });
    expect(selectCallList(store.getState())).toEqual([]);
    expect(store.getState().workspace.notices.at(-1)?.text).toMatch(/Wrap-up time ran out for Carla Customer/);
  });

  it('a re-sent interaction.opened after a reconnect does not create a second peer', async () => {
    const { socket, fm } = await withCall();
    await flush();
    socket.serverSend({ type: 'interaction.opened', interaction: detail({ id: 'c-1', kind: 'call' }) });
    await flush();
    expect(fm.peers).toHaveLength(1);
  });

  it('explains when calls cannot work in this window', async () => {
    const { store, socket } = await signedInWork();
    socket.serverSend({ type: 'interaction.opened', interaction: detail({ id: 'c-1', kind: 'call' }) });
    expect(selectCallList(store.getState())[0]).toMatchObject({ phase: 'failed', error: 'Calls are not available in this window.' });
    // The agent can still end it on the server.
    store.getState().hangUp('c-1');
    expect(socket.framesOfType('interaction.end')).toHaveLength(1);
  });

  it('signing out closes the call', async () => {
    const { store, fm } = await withCall();
    await flush();
    await store.getState().signOut();
    expect(fm.latestPeer().destroyed).toBe(true);
    expect(store.getState().calls.order).toEqual([]);
  });
});

describe('supervisor board', () => {
  it('applies whole-board frames, sorted for display', async () => {
    const { store, socket } = await signedInWork({ user: supervisorUser });
    const q = (name: string) => ({
      queueId: `q-${name}`,
      name,
      waiting: 1,
      oldestWaitingSince: '2024-05-01T10:00:00.000Z',
      membersSignedIn: 1,
      membersAvailable: 1,
      membersBusy: 0,
    });
    const a = (username: string, activity: string) => ({
      userId: `u-${username}`,
      username,
      displayName: username,
      presence: 'available',
      activity,
      interactions: [],
      since: '2024-05-01T10:00:00.000Z',
    });
    socket.serverSend({ type: 'board', queues: [q('Sales'), q('Billing')], agents: [a('zed', 'idle'), a('amy', 'chat')], at: '2024-05-01T10:00:01.000Z' });
    expect(selectBoardQueues(store.getState()).map((r) => r.name)).toEqual(['Billing', 'Sales']);
    expect(selectBoardAgents(store.getState()).map((r) => r.username)).toEqual(['amy', 'zed']);
    expect(store.getState().board.loaded).toBe(true);
  });
});

describe('history', () => {
  const rows = (from: number, count: number): InteractionSummary[] =>
    Array.from({ length: count }, (_, i) => summary({ id: `h-${from + i}`, status: 'closed', disposition: 'Resolved' }));

  it('loads the newest page, then older pages with the cursor, without duplicates', async () => {
    const interactions = vi.fn(async (_token: string, query?: { before?: string }) =>
      query?.before ? { interactions: [...rows(2, 1), ...rows(3, 2)], nextBefore: null } : { interactions: rows(0, 3), nextBefore: 'cursor-1' },
    );
    const { store } = await signedInWork({ api: fakeApi({ interactions }) });
    await store.getState().loadHistory();
    expect(store.getState().history).toMatchObject({ status: 'ready', nextBefore: 'cursor-1' });
    expect(interactions).toHaveBeenLastCalledWith('tok-1', { limit: 25 });

    await store.getState().loadMoreHistory();
    expect(interactions).toHaveBeenLastCalledWith('tok-1', { limit: 25, before: 'cursor-1' });
    expect(store.getState().history.items.map((i) => i.id)).toEqual(['h-0', 'h-1', 'h-2', 'h-3', 'h-4']);
    expect(store.getState().history.nextBefore).toBeNull();

    await store.getState().loadMoreHistory();
    expect(interactions).toHaveBeenCalledTimes(2);
  });

  it('opens a detail and shows the server error when it fails', async () => {
    const interaction = vi.fn(async (_token: string, id: string) => {
      if (id === 'missing') throw new ApiError('not_found', 'Interaction not found.', 404);
      return detail({ id, status: 'closed' });
    });
    const { store } = await signedInWork({ api: fakeApi({ interaction }) });
    await store.getState().openHistoryDetail('h-1');
    expect(store.getState().history.detail).toMatchObject({ id: 'h-1', status: 'ready' });
    await store.getState().openHistoryDetail('missing');
    expect(store.getState().history.detail).toMatchObject({ status: 'error', error: 'Interaction not found.' });
    store.getState().closeHistoryDetail();
    expect(store.getState().history.detail).toBeNull();
  });
});
