import { describe, expect, it, vi } from 'vitest';
import { createSfuShareReceiver, createSfuShareTransport, type SfuSessions } from '../../../../renderer/media/sfu/sfu-share';
import type { Publication, SessionEnd, Subscription } from '../../../../renderer/media/sfu/mediasoup-session';
import { createMediaSignaling } from '../../../../renderer/media/sfu/signaling';

const track = (id: string) => ({ id, kind: 'video', stop: vi.fn() }) as unknown as MediaStreamTrack;

/** Fake mediasoup sessions recording what was published and letting the test end them. */
function fakeSessions() {
  const published: { roomId: string; track: MediaStreamTrack; closed: boolean; end(e: SessionEnd): void }[] = [];
  const subscribed: { roomId: string; deliver(t: MediaStreamTrack): void; end(e: SessionEnd): void; closed: boolean }[] = [];
  const sessions: SfuSessions = {
    async publish(options, t) {
      const ends = new Set<(e: SessionEnd) => void>();
      const entry = { roomId: options.roomId, track: t, closed: false, end: (e: SessionEnd) => ends.forEach((fn) => fn(e)) };
      published.push(entry);
      const p: Publication = { producerId: `p${published.length}`, setPaused: () => undefined, onEnded: (fn) => (ends.add(fn), () => ends.delete(fn)), close: () => void (entry.closed = true) };
      return p;
    },
    async subscribe(options) {
      const tracks = new Set<(t: MediaStreamTrack, kind: 'audio' | 'video') => void>();
      const ends = new Set<(e: SessionEnd) => void>();
      const entry = { roomId: options.roomId, closed: false, deliver: (t: MediaStreamTrack) => tracks.forEach((fn) => fn(t, 'video')), end: (e: SessionEnd) => ends.forEach((fn) => fn(e)) };
      subscribed.push(entry);
      const s: Subscription = { onTrack: (fn) => (tracks.add(fn), () => tracks.delete(fn)), onEnded: (fn) => (ends.add(fn), () => ends.delete(fn)), close: () => void (entry.closed = true) };
      return s;
    },
  };
  return { sessions, published, subscribed };
}

const signaling = createMediaSignaling(() => true);

describe('SFU share transport (sharer)', () => {
  it('sends the track once, into the share’s room, only after the server named the share; again when the connection to the media server was lost', async () => {
    const fake = fakeSessions();
    const transport = createSfuShareTransport({ signaling, loadSessions: async () => fake.sessions, iceServers: [] });
    transport.start(track('t1'));
    // Let the loader's promises settle: still nothing, the share has no id yet.
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(fake.published).toHaveLength(0);
    transport.attach!('abc');
    await vi.waitFor(() => expect(fake.published).toHaveLength(1));
    expect(fake.published[0]).toMatchObject({ roomId: 'share:abc' });
    // Viewers need no connection of their own: adding five opens nothing more.
    for (const id of ['a', 'b', 'c', 'd', 'e']) transport.addViewer(id);
    expect(transport.viewers()).toHaveLength(5);
    // Named again (every state frame does): still one upload.
    transport.attach!('abc');
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(fake.published).toHaveLength(1);
    fake.published[0]!.end({ reason: 'failed', message: 'The connection to the media server was lost.' });
    await vi.waitFor(() => expect(fake.published).toHaveLength(2), { timeout: 3000 });
    transport.stop();
    expect(fake.published[1]!.closed).toBe(true);
    expect(transport.viewers()).toEqual([]);
  });

  it('reports a room closed by the server and sends again when its media worker restarted', async () => {
    const fake = fakeSessions();
    const problems: string[] = [];
    const transport = createSfuShareTransport({ signaling, loadSessions: async () => fake.sessions, iceServers: [], onProblem: (m) => problems.push(m) });
    transport.start(track('t1'));
    transport.attach!('abc');
    await vi.waitFor(() => expect(fake.published).toHaveLength(1));
    fake.published[0]!.end({ reason: 'media_server_restarted', message: 'The media server restarted.' });
    expect(problems).toEqual(['The media server restarted.']);
    await vi.waitFor(() => expect(fake.published).toHaveLength(2), { timeout: 3000 });
    transport.stop();
  });
});

describe('SFU share receiver (viewer)', () => {
  it('shows the delivered track, and ends (tracks stopped) when the server revokes', async () => {
    const fake = fakeSessions();
    vi.stubGlobal('MediaStream', class { constructor(readonly tracks: MediaStreamTrack[]) {} getTracks() { return this.tracks; } });
    const receiver = createSfuShareReceiver({ signaling, loadSessions: async () => fake.sessions, iceServers: [], shareId: 'abc' });
    const states: string[] = [];
    const streams: unknown[] = [];
    receiver.onState((s) => states.push(s));
    receiver.onStream((s) => streams.push(s));
    await vi.waitFor(() => expect(fake.subscribed).toHaveLength(1));
    expect(fake.subscribed[0]!.roomId).toBe('share:abc');
    const t = track('v');
    fake.subscribed[0]!.deliver(t);
    expect(streams).toHaveLength(1);
    expect(states).toEqual(['connected']);
    fake.subscribed[0]!.end({ reason: 'revoked', message: 'You no longer have access to this media.' });
    expect(states).toEqual(['connected', 'closed']);
    expect(t.stop).toHaveBeenCalled();
    vi.unstubAllGlobals();
  });
});
