import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AvailableShare, type CaptureSource, type OwnShare, PROTOCOL_VERSION, type User } from '../../../../shared';
import { createAppStore } from '../../../../renderer/app/store';
import { createSessionStore } from '../../../../renderer/features/auth/session-store';
import { type ShareMedia } from '../../../../renderer/features/share/share-media';
import { type CropSettings } from '../../../../renderer/media/share/frame-processor';
import { type PeerHandlers, type PeerOptions, type Signal } from '../../../../renderer/media/share/transport';
import { WsClient } from '../../../../renderer/net/ws-client';
import { FakeWebSocket } from '../fake-websocket';
import { agentUser, fakeApi, fakeBridge, memoryStorage, supervisorUser } from '../store-harness';

class FakeTrack {
  stopped = false;
  listeners: (() => void)[] = [];
  label = 'Screen 1';
  getSettings() {
    return { width: 1280, height: 720, displaySurface: 'monitor' };
  }
  stop() {
    this.stopped = true;
  }
  addEventListener(_: 'ended', fn: () => void) {
    this.listeners.push(fn);
  }
  end() {
    for (const fn of this.listeners) fn();
  }
}

function fakeMedia() {
  const track = new FakeTrack();
  const peers: { options: PeerOptions; handlers: PeerHandlers; got: Signal[]; destroyed: boolean }[] = [];
  const pipelines: { settings: CropSettings[]; stopped: boolean }[] = [];
  const stream = { getVideoTracks: () => [track], getTracks: () => [track] } as unknown as MediaStream;
  const media: ShareMedia = {
    capture: vi.fn(async () => stream),
    createPipeline: (_t, settings) => {
      const p = { settings: [settings], stopped: false };
      pipelines.push(p);
      return { track: { id: 'out' } as unknown as MediaStreamTrack, mode: 'main', update: (s) => void p.settings.push(s), stats: () => ({ framesIn: 0, framesOut: 0, path: null }), stop: () => void (p.stopped = true) };
    },
    loadPeerFactory: async () => (options, handlers) => {
      const peer = { options, handlers, got: [] as Signal[], destroyed: false };
      peers.push(peer);
      return { signal: (s) => void peer.got.push(s), destroy: () => void (peer.destroyed = true), peerConnection: null };
    },
    streamOf: (t) => ({ id: 'sent', track: t }) as unknown as MediaStream,
  };
  return { media, track, peers, pipelines, stream };
}

async function signedIn(user: User, opts: { sources?: CaptureSource[] | null } = {}) {
  const fm = fakeMedia();
  const bridge = {
    ...fakeBridge(),
    listCaptureSources: vi.fn(async () => opts.sources ?? null),
    selectCaptureSource: vi.fn(async () => undefined),
    getCaptureProtection: async () => ({ ownWindowsHidden: false, reason: 'Linux cannot hide it.' }),
  };
  const api = fakeApi({ login: vi.fn(async () => ({ token: 'tok-1', user, expiresAt: '2099-01-01T00:00:00.000Z' })) });
  const store = createAppStore({
    bridge,
    session: createSessionStore(memoryStorage()),
    createApi: () => api,
    createConnection: (o) => new WsClient({ ...o, WebSocket: FakeWebSocket, logger: { warn: () => {}, info: () => {} } }),
    shareMedia: fm.media,
    newId: (() => {
      let n = 0;
      return () => `id-${++n}`;
    })(),
  });
  await store.getState().start();
  await store.getState().signIn({ serverUrl: 'http://server.test', username: user.username, password: 'demo' });
  const socket = FakeWebSocket.latest();
  socket.serverOpen();
  socket.serverSend({ type: 'hello.ok', protocol: PROTOCOL_VERSION, serverVersion: '0.1.0', heartbeatMs: 60_000, user, presence: 'available' });
  return { store, socket, bridge, ...fm };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const last = (socket: FakeWebSocket, type: string) => socket.framesOfType(type).at(-1)!;

const ownShare = (over: Partial<OwnShare> = {}): OwnShare => ({
  shareId: 'sh-1',
  startedAt: '2026-01-01T00:00:00.000Z',
  source: { kind: 'screen', label: 'Screen 1', width: 1280, height: 720 },
  region: { x: 0, y: 0, width: 1280, height: 720 },
  masks: [],
  blanked: false,
  viewers: [],
  watchers: [],
  ...over,
});

async function liveShare() {
  const h = await signedIn(agentUser);
  await h.store.getState().openShare();
  h.store.getState().setRegion({ x: 100, y: 60, width: 800, height: 600 });
  h.store.getState().addMask({ x: 300, y: 200, width: 200, height: 100 });
  h.store.getState().toggleViewer(supervisorUser.id, true);
  await h.store.getState().startShare();
  const start = last(h.socket, 'share.start');
  h.socket.serverSend({ type: 'share.state', share: ownShare({ region: { x: 100, y: 60, width: 800, height: 600 }, viewers: [{ userId: supervisorUser.id, username: 'super1', displayName: 'Sam Super', role: 'supervisor' }] }), ref: start.id });
  return { ...h, start };
}

describe('share slice (sharer)', () => {
  beforeEach(() => FakeWebSocket.reset());

  it('web: open captures at once (browser picker), asks for candidates, defaults to the whole source', async () => {
    const h = await signedIn(agentUser);
    await h.store.getState().openShare();
    expect(h.media.capture).toHaveBeenCalledTimes(1);
    expect(h.socket.framesOfType('share.candidates')).toHaveLength(1);
    const s = h.store.getState().share;
    expect(s.stage).toBe('editing');
    expect(s.sourceSize).toEqual({ width: 1280, height: 720 });
    expect(s.region).toEqual({ x: 0, y: 0, width: 1280, height: 720 });
    expect(s.source).toEqual({ kind: 'screen', label: 'Screen 1' });
    await flush();
    expect(h.store.getState().share.protection).toMatchObject({ ownWindowsHidden: false });
  });

  it('desktop: lists sources, the pick goes to main before capture', async () => {
    const sources: CaptureSource[] = [{ id: 'window:7:0', name: 'Spreadsheet', kind: 'window', thumbnail: '' }];
    const h = await signedIn(agentUser, { sources });
    await h.store.getState().openShare();
    expect(h.store.getState().share).toMatchObject({ stage: 'choosing', sources });
    expect(h.media.capture).not.toHaveBeenCalled();
    await h.store.getState().chooseSource('window:7:0');
    expect(h.bridge.selectCaptureSource).toHaveBeenCalledWith('window:7:0');
    expect(h.store.getState().share).toMatchObject({ stage: 'editing', source: { kind: 'window', label: 'Spreadsheet' } });
  });

  it('start: builds the pipeline with region and masks, sends share.start with the chosen viewers, goes live on the answer', async () => {
    const h = await liveShare();
    expect(h.pipelines[0]!.settings[0]).toEqual({ region: { x: 100, y: 60, width: 800, height: 600 }, masks: [{ x: 300, y: 200, width: 200, height: 100 }], blanked: false });
    expect(h.start).toMatchObject({ source: { kind: 'screen', width: 1280, height: 720 }, region: { x: 100, y: 60, width: 800, height: 600 }, viewers: [supervisorUser.id] });
    expect(h.store.getState().share.stage).toBe('live');
  });

  it('a joining viewer gets a peer; its signals go out addressed to them; theirs come back in', async () => {
    const h = await liveShare();
    h.socket.serverSend({ type: 'share.viewer.joined', shareId: 'sh-1', viewer: { userId: supervisorUser.id, username: 'super1', displayName: 'Sam Super', role: 'supervisor' } });
    expect(h.peers).toHaveLength(1);
    expect(h.peers[0]!.options.initiator).toBe(true);
    h.peers[0]!.handlers.onSignal({ type: 'offer', sdp: 'o' });
    expect(last(h.socket, 'share.signal')).toEqual({ type: 'share.signal', shareId: 'sh-1', to: supervisorUser.id, signal: { type: 'offer', sdp: 'o' } });
    h.socket.serverSend({ type: 'share.signal', shareId: 'sh-1', from: supervisorUser.id, signal: { type: 'answer', sdp: 'a' } });
    expect(h.peers[0]!.got).toEqual([{ type: 'answer', sdp: 'a' }]);
    expect(h.store.getState().workspace.notices.at(-1)?.text).toMatch(/Sam Super is watching/);
  });

  it('revoke closes that peer at once and tells the server; stop ends everything', async () => {
    const h = await liveShare();
    h.socket.serverSend({ type: 'share.viewer.joined', shareId: 'sh-1', viewer: { userId: supervisorUser.id, username: 'super1', displayName: 'Sam Super', role: 'supervisor' } });
    h.store.getState().revokeViewer(supervisorUser.id);
    expect(h.peers[0]!.destroyed).toBe(true);
    expect(last(h.socket, 'share.revoke')).toMatchObject({ shareId: 'sh-1', userId: supervisorUser.id });
    h.store.getState().stopShare();
    expect(last(h.socket, 'share.stop')).toMatchObject({ shareId: 'sh-1' });
    expect(h.pipelines[0]!.stopped).toBe(true);
    expect(h.track.stopped).toBe(true);
    expect(h.store.getState().share.stage).toBe('idle');
  });

  it('region, masks and blank apply to the pipeline now; the server hears about them batched', async () => {
    vi.useFakeTimers();
    try {
      const h = await liveShare();
      h.store.getState().setRegion({ x: 0, y: 0, width: 641, height: 480 });
      h.store.getState().setRegion({ x: 0, y: 0, width: 640, height: 480 });
      expect(h.pipelines[0]!.settings.at(-1)?.region).toEqual({ x: 0, y: 0, width: 640, height: 480 });
      expect(h.socket.framesOfType('share.update')).toHaveLength(0);
      vi.advanceTimersByTime(300);
      expect(h.socket.framesOfType('share.update')).toEqual([expect.objectContaining({ region: { x: 0, y: 0, width: 640, height: 480 } })]);
      h.store.getState().setBlanked(true);
      expect(h.pipelines[0]!.settings.at(-1)?.blanked).toBe(true);
      expect(last(h.socket, 'share.update')).toMatchObject({ blanked: true });
    } finally {
      vi.useRealTimers();
    }
  });

  it('a batched region/mask update goes out before a later revoke, viewer change or stop', async () => {
    vi.useFakeTimers();
    try {
      const h = await liveShare();
      const shareFrames = () => h.socket.frames.filter((f) => String(f.type).startsWith('share.') && f.type !== 'share.candidates' && f.type !== 'share.start').map((f) => f.type);
      h.socket.serverSend({ type: 'share.viewer.joined', shareId: 'sh-1', viewer: { userId: supervisorUser.id, username: 'super1', displayName: 'Sam Super', role: 'supervisor' } });
      h.store.getState().addMask({ x: 10, y: 10, width: 50, height: 50 });
      h.store.getState().revokeViewer(supervisorUser.id);
      expect(shareFrames()).toEqual(['share.update', 'share.revoke']);
      expect(h.socket.framesOfType('share.update')[0]).toMatchObject({ masks: [expect.anything(), { x: 10, y: 10, width: 50, height: 50 }] });
      h.store.getState().setRegion({ x: 0, y: 0, width: 640, height: 480 });
      h.store.getState().toggleViewer(supervisorUser.id, true);
      h.store.getState().confirmViewers();
      expect(shareFrames()).toEqual(['share.update', 'share.revoke', 'share.update', 'share.viewers']);
      h.store.getState().removeMask(0);
      h.store.getState().stopShare();
      expect(shareFrames()).toEqual(['share.update', 'share.revoke', 'share.update', 'share.viewers', 'share.update', 'share.stop']);
      // Nothing was left pending to go out late.
      vi.advanceTimersByTime(1000);
      expect(h.socket.framesOfType('share.update')).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the capture ending (system "Stop sharing") stops the share', async () => {
    const h = await liveShare();
    h.track.end();
    expect(h.socket.framesOfType('share.stop')).toHaveLength(1);
    expect(h.store.getState().share.stage).toBe('idle');
  });

  it('after a reconnect, the window holding the capture resumes its share', async () => {
    const h = await liveShare();
    h.socket.serverSend({ type: 'share.state', share: ownShare() });
    expect(last(h.socket, 'share.resume')).toMatchObject({ shareId: 'sh-1' });
  });

  it('signing out stops the capture', async () => {
    const h = await liveShare();
    await h.store.getState().signOut();
    expect(h.track.stopped).toBe(true);
    expect(h.store.getState().share.stage).toBe('idle');
  });

  it('a refused start goes back to editing', async () => {
    const h = await signedIn(agentUser);
    await h.store.getState().openShare();
    await h.store.getState().startShare();
    const start = last(h.socket, 'share.start');
    h.socket.serverSend({ type: 'error', code: 'bad_request', message: 'bad region', ref: start.id });
    expect(h.store.getState().share.stage).toBe('editing');
    expect(h.pipelines[0]!.stopped).toBe(true);
  });
});

describe('share slice (viewer)', () => {
  beforeEach(() => FakeWebSocket.reset());
  afterEach(() => vi.useRealTimers());

  const available: AvailableShare = { shareId: 'sh-9', sharerId: agentUser.id, sharerName: 'Agent One', startedAt: '2026-01-01T00:00:00.000Z', width: 800, height: 600, blanked: false, watching: false };

  it('lists shares, joins, signals with the sharer only, shows the stream, and ends on revoke', async () => {
    const h = await signedIn(supervisorUser);
    h.socket.serverSend({ type: 'shares.available', shares: [available] });
    expect(h.store.getState().availableShares).toEqual([available]);
    h.store.getState().joinShare('sh-9');
    const join = last(h.socket, 'share.join');
    expect(h.store.getState().watching?.status).toBe('joining');
    // A signal can race the receiver's creation: it is queued.
    h.socket.serverSend({ type: 'share.watching', share: { ...available, watching: true }, ref: join.id });
    h.socket.serverSend({ type: 'share.signal', shareId: 'sh-9', from: agentUser.id, signal: { type: 'offer', sdp: 'o' } });
    // From anyone but the sharer: ignored.
    h.socket.serverSend({ type: 'share.signal', shareId: 'sh-9', from: 'someone-else', signal: { type: 'offer', sdp: 'x' } });
    await flush();
    expect(h.peers).toHaveLength(1);
    expect(h.peers[0]!.options.initiator).toBe(false);
    expect(h.peers[0]!.got).toEqual([{ type: 'offer', sdp: 'o' }]);
    h.peers[0]!.handlers.onSignal({ type: 'answer', sdp: 'a' });
    expect(last(h.socket, 'share.signal')).toEqual({ type: 'share.signal', shareId: 'sh-9', signal: { type: 'answer', sdp: 'a' } });
    const remote = { getTracks: () => [] } as unknown as MediaStream;
    h.peers[0]!.handlers.onStream(remote);
    expect(h.store.getState().watching).toMatchObject({ status: 'live', stream: remote });
    h.socket.serverSend({ type: 'share.ended', shareId: 'sh-9', reason: 'revoked' });
    expect(h.peers[0]!.destroyed).toBe(true);
    expect(h.store.getState().watching).toMatchObject({ status: 'ended', endedReason: 'revoked', stream: null });
  });

  it('a refused join clears the viewer; leaving tells the server', async () => {
    const h = await signedIn(supervisorUser);
    h.socket.serverSend({ type: 'shares.available', shares: [available] });
    h.store.getState().joinShare('sh-9');
    h.socket.serverSend({ type: 'error', code: 'forbidden', message: 'You are not on the viewer list', ref: last(h.socket, 'share.join').id });
    expect(h.store.getState().watching).toBeNull();
    h.store.getState().joinShare('sh-9');
    h.socket.serverSend({ type: 'share.watching', share: available, ref: last(h.socket, 'share.join').id });
    h.store.getState().leaveShare();
    expect(last(h.socket, 'share.leave')).toMatchObject({ shareId: 'sh-9' });
    expect(h.store.getState().watching).toBeNull();
  });
});
