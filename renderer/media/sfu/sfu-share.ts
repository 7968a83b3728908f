import { type IceServer } from '../../../shared';
import { type PeerState, type ShareReceiver, type ShareTransport } from '../share/transport';
import { type Publication, type SessionEnd, type SessionOptions, type Subscription } from './mediasoup-session';
import { type MediaSignaling } from './signaling';

/** The mediasoup-client sessions, loaded on demand (tests pass fakes). */
export interface SfuSessions {
  publish(options: SessionOptions, track: MediaStreamTrack): Promise<Publication>;
  subscribe(options: SessionOptions): Promise<Subscription>;
}

export const shareRoomId = (shareId: string): string => `share:${shareId}`;

export interface SfuShareDeps {
  signaling: MediaSignaling;
  loadSessions(): Promise<SfuSessions>;
  iceServers: IceServer[];
  /** The publication failed or the server closed the room (e.g. its media worker restarted). */
  onProblem?(message: string): void;
}

type Listener<A extends unknown[]> = (...args: A) => void;
function listeners<A extends unknown[]>() {
  const set = new Set<Listener<A>>();
  return {
    add(fn: Listener<A>): () => void {
      set.add(fn);
      return () => set.delete(fn);
    },
    emit(...args: A): void {
      for (const fn of [...set]) fn(...args);
    },
  };
}

/**
 * The sharer's side over the SFU: the cropped and masked track is sent once, into the share's room;
 * the server gives each joined viewer a consumer and closes it on revoke or stop. Viewers need no
 * connection of their own here, so addViewer/removeViewer only track who watches.
 */
export function createSfuShareTransport(deps: SfuShareDeps): ShareTransport {
  const states = listeners<[string, PeerState]>();
  const watching = new Set<string>();
  let track: MediaStreamTrack | null = null;
  let shareId: string | null = null;
  let publication: Publication | null = null;
  let attempt = 0;
  let inFlight = false;
  let stopped = false;

  /** Sends the track into the share's room unless it is being sent already. */
  const publish = () => {
    if (stopped || !track || !shareId || inFlight || publication) return;
    const mine = ++attempt;
    inFlight = true;
    void deps
      .loadSessions()
      .then((sessions) => sessions.publish({ signaling: deps.signaling, roomId: shareRoomId(shareId!), iceServers: deps.iceServers }, track!))
      .then((p) => {
        if (mine === attempt) inFlight = false;
        if (stopped || mine !== attempt) return p.close();
        publication = p;
        p.onEnded((end: SessionEnd) => {
          if (publication !== p || stopped) return;
          publication = null;
          if (end.reason !== 'left') deps.onProblem?.(end.message);
          // The worker died (its room with it), or the connection to the media server was lost
          // (e.g. the server dropped this window's media while its WebSocket reconnected): send again.
          if (end.reason === 'media_server_restarted' || end.reason === 'failed') setTimeout(publish, 1000);
        });
      })
      .catch((err: unknown) => {
        if (mine === attempt) inFlight = false;
        if (!stopped && mine === attempt) deps.onProblem?.(err instanceof Error ? err.message : 'Could not send the picture to the media server.');
      });
  };

  return {
    start(t) {
      if (stopped) return;
      track = t;
      publish();
    },
    attach(id) {
      if (stopped) return;
      // Said again for the same share on every state frame: a no-op while the track is being sent.
      if (id !== shareId) {
        publication?.close();
        publication = null;
        attempt += 1;
        inFlight = false;
        shareId = id;
      }
      publish();
    },
    addViewer(viewerId) {
      if (stopped) return;
      watching.add(viewerId);
      states.emit(viewerId, 'connected');
    },
    removeViewer(viewerId) {
      if (!watching.delete(viewerId)) return;
      states.emit(viewerId, 'closed');
    },
    signal: () => undefined,
    onViewerState: (fn) => states.add(fn),
    viewers: () => [...watching],
    stop() {
      stopped = true;
      publication?.close();
      publication = null;
      for (const id of [...watching]) {
        watching.delete(id);
        states.emit(id, 'closed');
      }
    },
  };
}

/** A viewer's side over the SFU: consumes the share's room. */
export function createSfuShareReceiver(deps: SfuShareDeps & { shareId: string }): ShareReceiver {
  const streams = listeners<[MediaStream]>();
  const states = listeners<[PeerState]>();
  let subscription: Subscription | null = null;
  let last: MediaStream | null = null;
  let closed = false;

  const finish = (state: PeerState) => {
    if (closed) return;
    closed = true;
    subscription?.close();
    for (const t of last?.getTracks() ?? []) t.stop();
    states.emit(state);
  };

  void deps
    .loadSessions()
    .then((sessions) => sessions.subscribe({ signaling: deps.signaling, roomId: shareRoomId(deps.shareId), iceServers: deps.iceServers }))
    .then((s) => {
      if (closed) return s.close();
      subscription = s;
      s.onTrack((track) => {
        if (closed) return;
        last = new MediaStream([track]);
        streams.emit(last);
        states.emit('connected');
      });
      s.onEnded((end) => {
        if (end.reason !== 'left') deps.onProblem?.(end.message);
        finish(end.reason === 'failed' || end.reason === 'refused' ? 'failed' : 'closed');
      });
    })
    .catch((err: unknown) => {
      deps.onProblem?.(err instanceof Error ? err.message : 'Could not receive the picture from the media server.');
      finish('failed');
    });

  return {
    signal: () => undefined,
    onStream(fn) {
      if (last) fn(last);
      return streams.add(fn);
    },
    onState: (fn) => states.add(fn),
    close: () => finish('closed'),
  };
}
