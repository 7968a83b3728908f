import net from 'node:net';

/**
 * A TCP proxy between the browser and the server that can black-hole the link the way real networks
 * lose it: on `cut()` nothing is forwarded in either direction, yet no socket is closed (no FIN, no
 * RST, no WebSocket close frame), and new connections are accepted but go nowhere. What was sent
 * meanwhile waits in the kernel's buffers, as TCP retransmissions would, and flows again on
 * `restore()`; so does a connection made during the cut (a late SYN), and so does a close.
 */
export interface LinkProxy {
  /** http://127.0.0.1:<port>: open the app here instead of the server's own address. */
  url: string;
  /** Connections opened through the proxy so far (to check the app really reconnected). */
  readonly connections: number;
  cut(): void;
  restore(): void;
  /**
   * A network change: every connection open now goes silent for good (no close, as a link on the
   * old address), while new connections pass as before.
   */
  strandExisting(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket | null;
}

export async function startLinkProxy(target: string): Promise<LinkProxy> {
  const { hostname, port } = new URL(target);
  let cut = false;
  let connections = 0;
  const pairs = new Set<Pair>();
  /** Work held back by the cut: connecting a new client, or passing on a close. */
  let held: (() => void)[] = [];
  /** Connections silenced by strandExisting(), closed only with the proxy. */
  const stranded: Pair[] = [];

  const whenLinked = (fn: () => void) => (cut ? held.push(fn) : fn());

  const dropPair = (pair: Pair) => {
    pairs.delete(pair);
    pair.client.destroy();
    pair.upstream?.destroy();
  };

  const link = (pair: Pair) => {
    if (pair.client.destroyed) return void pairs.delete(pair);
    const upstream = net.connect({ host: hostname, port: Number(port) });
    pair.upstream = upstream;
    for (const [from, to] of [
      [pair.client, upstream],
      [upstream, pair.client],
    ] as const) {
      from.on('data', (chunk: Buffer) => to.write(chunk));
      // A close is a packet too: during a cut it waits with the rest.
      from.on('end', () => whenLinked(() => to.end()));
      from.on('error', () => whenLinked(() => dropPair(pair)));
      from.on('close', () => whenLinked(() => dropPair(pair)));
    }
    if (cut) upstream.pause();
    else pair.client.resume();
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    connections += 1;
    client.setNoDelay(true);
    const pair: Pair = { client, upstream: null };
    pairs.add(pair);
    // Errors are passed on as closes once linked; until then nothing may throw.
    client.on('error', () => undefined);
    whenLinked(() => link(pair));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${address.port}`,
    get connections() {
      return connections;
    },
    cut() {
      cut = true;
      for (const p of pairs) {
        p.client.pause();
        p.upstream?.pause();
      }
    },
    strandExisting() {
      for (const p of [...pairs]) {
        pairs.delete(p);
        p.client.pause();
        p.upstream?.pause();
        // Whatever is still in flight, data or close, is dropped, never delivered.
        for (const socket of [p.client, p.upstream]) {
          socket?.removeAllListeners();
          socket?.on('error', () => undefined);
        }
        stranded.push(p);
      }
    },
    restore() {
      cut = false;
      for (const p of pairs) {
        if (!p.upstream) continue;
        p.client.resume();
        p.upstream.resume();
      }
      const pending = held;
      held = [];
      for (const fn of pending) fn();
    },
    async close() {
      held = [];
      for (const p of [...pairs, ...stranded.splice(0)]) dropPair(p);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
