import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The baseline: a bare ws server on the same machine that relays each frame to the connection
 * named in it (the same "customer → server → agent" hop as a chat, minus everything Veildesk
 * does: no auth, schema, database or fan-out bookkeeping). Prints its port, then serves.
 */
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
const byName = new Map<string, WebSocket>();
wss.on('connection', (socket, request) => {
  const name = new URL(request.url ?? '/', 'http://x').searchParams.get('name') ?? '';
  byName.set(name, socket);
  socket.on('message', (data) => {
    const text = data.toString();
    const to = JSON.parse(text).to as string;
    byName.get(to)?.send(text);
  });
});
wss.on('listening', () => {
  const address = wss.address();
  process.stdout.write(`echo listening ${address && typeof address === 'object' ? address.port : String(address)}\n`);
});
