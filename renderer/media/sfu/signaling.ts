import { type ClientMessage, type ServerMessage, type ServerMessageOf } from '../../../shared';

/** Every media.* frame the server sends. */
export type MediaFrame = Extract<ServerMessage, { type: `media.${string}` }>;
export type MediaRequest = Extract<ClientMessage, { type: `media.${string}` }>;
type MediaRequestBody = MediaRequest extends infer M ? (M extends MediaRequest ? Omit<M, 'id'> : never) : never;

/** What a room's listener hears: frames nobody awaited (a late consumer, a closed room) and refusals of sent requests. */
export type RoomEvent = MediaFrame | { type: 'refused'; message: string; ref: string };

const REPLY_TIMEOUT_MS = 15_000;

/** Request/reply over the app's WebSocket for the SFU's media.* messages (ids out, refs back). */
export interface MediaSignaling {
  /** Sends a request and waits for the frame that answers it (matched by ref), or its error frame. */
  request<T extends MediaFrame['type']>(message: MediaRequestBody, reply: T): Promise<Extract<MediaFrame, { type: T }>>;
  /** Sends a request whose answer (or refusal, with this id as `ref`) arrives as a room event; null when not connected. */
  send(message: MediaRequestBody): string | null;
  onRoom(roomId: string, listener: (event: RoomEvent) => void): () => void;
  /** Called with every media.* frame from the connection. */
  handleFrame(frame: MediaFrame): void;
  /** Called with every error frame; true when it answered a media request. */
  handleError(frame: ServerMessageOf<'error'>): boolean;
}

interface Pending {
  reply: string;
  roomId: string;
  resolve(frame: MediaFrame): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout> | null;
}

export function createMediaSignaling(sendMessage: (message: ClientMessage) => boolean): MediaSignaling {
  let seq = 0;
  const pending = new Map<string, Pending>();
  /** Requests sent without waiting: their refusals go to the room. */
  const fired = new Map<string, string>();
  const rooms = new Map<string, Set<(event: RoomEvent) => void>>();
  const emit = (roomId: string, event: RoomEvent) => {
    for (const fn of [...(rooms.get(roomId) ?? [])]) fn(event);
  };
  const nextId = () => `media-${++seq}`;

  return {
    request(message, reply) {
      const id = nextId();
      return new Promise((resolve, reject) => {
        const entry: Pending = {
          reply,
          roomId: message.roomId,
          resolve: resolve as (frame: MediaFrame) => void,
          reject,
          timer: setTimeout(() => {
            pending.delete(id);
            reject(new Error('The server did not answer the media request in time.'));
          }, REPLY_TIMEOUT_MS),
        };
        pending.set(id, entry);
        if (!sendMessage({ ...message, id } as ClientMessage)) {
          if (entry.timer) clearTimeout(entry.timer);
          pending.delete(id);
          reject(new Error('Not connected to the server.'));
        }
      });
    },
    send(message) {
      const id = nextId();
      fired.set(id, message.roomId);
      if (fired.size > 500) fired.delete(fired.keys().next().value as string);
      return sendMessage({ ...message, id } as ClientMessage) ? id : null;
    },
    onRoom(roomId, listener) {
      let set = rooms.get(roomId);
      if (!set) rooms.set(roomId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) rooms.delete(roomId);
      };
    },
    handleFrame(frame) {
      const ref = 'ref' in frame ? frame.ref : undefined;
      const waiting = ref ? pending.get(ref) : undefined;
      if (ref && waiting && waiting.reply === frame.type) {
        pending.delete(ref);
        if (waiting.timer) clearTimeout(waiting.timer);
        waiting.resolve(frame);
        return;
      }
      if (frame.type === 'media.room.closed') {
        // Whatever was still awaited in that room will not be answered.
        for (const [id, p] of [...pending]) {
          if (p.roomId !== frame.roomId) continue;
          pending.delete(id);
          if (p.timer) clearTimeout(p.timer);
          p.reject(new Error(frame.message));
        }
      }
      emit(frame.roomId, frame);
    },
    handleError(frame) {
      const ref = frame.ref ?? '';
      const waiting = pending.get(ref);
      if (waiting) {
        pending.delete(ref);
        if (waiting.timer) clearTimeout(waiting.timer);
        waiting.reject(new Error(frame.message));
        return true;
      }
      const roomId = fired.get(ref);
      if (roomId === undefined) return false;
      fired.delete(ref);
      emit(roomId, { type: 'refused', message: frame.message, ref });
      return true;
    },
  };
}
