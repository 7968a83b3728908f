import type { RawData, WebSocket } from 'ws';

/** A frame a client sent before any node answered it (in practice its hello), kept to be handed on. */
export interface HeldFrame {
  data: Buffer;
  binary: boolean;
}

/** Where a held socket can go now: this node's gateway, another node (relay), or nowhere yet. */
export type SocketTarget = { kind: 'here' } | { kind: 'relay'; leader: string } | null;

export interface WaitingSocketsDeps {
  target(): SocketTarget;
  /** Hands the socket on; its held frames follow in order. */
  deliver(socket: WebSocket, address: string, frames: HeldFrame[], to: NonNullable<SocketTarget>): void;
  /** Past this a socket is closed with 1013 and the app retries (below the apps' connect timeouts: widget 10 s). */
  maxWaitMs: number;
}

/** A client sends its hello and waits; anything past these bounds is not a client waiting to be accepted. */
export const HELD_FRAMES_MAX = 4;
export const HELD_BYTES_MAX = 64 * 1024;
const OPEN = 1;

/** The frames of one socket, while they are few and small enough to be handed on. */
export class FrameLog {
  readonly frames: HeldFrame[] = [];
  private bytes = 0;
  /** False once more was sent than a waiting client sends: the socket can then only be closed. */
  replayable = true;

  add(data: RawData, binary: boolean): void {
    if (!this.replayable) return;
    const buffer = rawBuffer(data);
    this.bytes += buffer.length;
    this.frames.push({ data: buffer, binary });
    if (this.frames.length > HELD_FRAMES_MAX || this.bytes > HELD_BYTES_MAX) this.forget();
  }

  forget(): void {
    this.replayable = false;
    this.frames.length = 0;
  }
}

interface Waiting {
  socket: WebSocket;
  address: string;
  log: FrameLog;
  release(): void;
}

/**
 * Client sockets a node holds open while no node can serve them yet: this node won the routing
 * lease and is still recovering, or the lease's holder is not known to be alive (it may have died
 * and its lease not yet expired). Instead of closing them with 1013 (the app retries in 0.5 s), each
 * is handed on, with the frames it sent meanwhile (its hello), the moment a target exists: at most
 * one round trip after the node is ready instead of up to a retry period.
 */
export class WaitingSockets {
  private readonly waiting = new Set<Waiting>();

  constructor(private readonly deps: WaitingSocketsDeps) {}

  get size(): number {
    return this.waiting.size;
  }

  hold(socket: WebSocket, address: string, log = new FrameLog()): void {
    if (!log.replayable || socket.readyState !== OPEN) return closeQuietly(socket, 1013, 'no routing node yet: reconnect');
    const onMessage = (data: RawData, binary: boolean) => {
      log.add(data, binary);
      if (!log.replayable) giveUp('too much sent before being accepted: reconnect');
    };
    const onClose = () => entry.release();
    const onError = () => undefined;
    const timer = setTimeout(() => giveUp('no routing node yet: reconnect'), this.deps.maxWaitMs);
    const entry: Waiting = {
      socket,
      address,
      log,
      release: () => {
        clearTimeout(timer);
        socket.off('message', onMessage);
        socket.off('close', onClose);
        socket.off('error', onError);
        this.waiting.delete(entry);
      },
    };
    const giveUp = (reason: string) => {
      entry.release();
      closeQuietly(socket, 1013, reason);
    };
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.on('error', onError);
    this.waiting.add(entry);
    this.retry();
  }

  /** Something changed (a holder seen alive, this node serving): hands on every socket that can go now. */
  retry(): void {
    if (this.waiting.size === 0) return;
    const to = this.deps.target();
    if (!to) return;
    for (const w of [...this.waiting]) {
      w.release();
      if (w.socket.readyState === OPEN) this.deps.deliver(w.socket, w.address, w.log.frames, to);
    }
  }

  /** The node stops: the apps reconnect to another. */
  closeAll(code: number, reason: string): void {
    for (const w of [...this.waiting]) {
      w.release();
      closeQuietly(w.socket, code, reason);
    }
  }
}

/** A frame's bytes as one Buffer, whatever shape ws handed them in. */
export function rawBuffer(data: RawData): Buffer {
  return Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** A close code or reason ws refuses to send (it throws) still closes the socket. */
export function closeQuietly(socket: WebSocket, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    socket.terminate();
  }
}
