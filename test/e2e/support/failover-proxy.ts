import net from 'node:net';

/**
 * A load balancer in front of several nodes, as nginx with `proxy_next_upstream` does: each new
 * connection goes to the first node that accepts it, in order; when a node dies its connections
 * close (the browser sees the drop and reconnects) and new ones go to the next node that answers.
 */
export interface FailoverProxy {
  /** http://127.0.0.1:<port>: open the app here. */
  url: string;
  /** Which node each connection went to, in order ('refused' when none answered). */
  readonly routed: readonly string[];
  close(): Promise<void>;
}

export async function startFailoverProxy(targets: readonly string[]): Promise<FailoverProxy> {
  const routed: string[] = [];
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    return socket;
  };

  const connectFirst = (index: number, client: net.Socket) => {
    const target = targets[index];
    if (!target || client.destroyed) {
      routed.push('refused');
      client.destroy();
      return;
    }
    const { hostname, port } = new URL(target);
    const upstream = track(net.connect({ host: hostname, port: Number(port) }));
    let linked = false;
    upstream.on('error', () => {
      // Not reached (refused): the next node. Once linked, an error is a dead node: drop the client.
      if (linked) client.destroy();
      else connectFirst(index + 1, client);
    });
    upstream.once('connect', () => {
      linked = true;
      routed.push(target);
      client.pipe(upstream);
      upstream.pipe(client);
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
      client.resume();
    });
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    track(client);
    client.on('error', () => client.destroy());
    connectFirst(0, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
