import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { WsClose, type ServerMessageOf } from '../../shared/api/ws';
import { PROTOCOL_VERSION } from '../../shared/version';
import { nextFrame, roundTrip, waitFor, wsConnect, type TestBackend, type TestSocket } from './helpers';
import { connectAgent, connectCustomer, connected, isErrorRef, isOffer, startInteractionsBackend, type Customer } from './interactions-support';

/** Issue 17, abuse limits: what one customer may send, and that a flood does not slow anyone else down. */

const storedFrom = async (server: TestBackend, interactionId: string) =>
  (await server.db.kysely.selectFrom('messages').select(['author', 'text']).where('interaction_id', '=', interactionId).execute()).length;

const top = (samples: number[]) => [...samples].sort((a, b) => b - a).slice(0, 4).map((v) => Math.round(v));

/** The 99th percentile of a list of durations (ms). */
function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
}

/** One round every 70 ms: a person's pace is far slower, and it stays under the default 20 frames a second. */
const PACE_MS = 70;

/** Paced round trips: a customer's chat message until its acknowledgement, then an agent's ping until its pong. */
async function measure(customer: Customer, agent: TestSocket, rounds: number, tag: string): Promise<{ customer: number[]; agent: number[] }> {
  const out = { customer: [] as number[], agent: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, PACE_MS));
    const clientMsgId = `${tag}-${i}`;
    let t = performance.now();
    customer.ws.send({ type: 'chat.send', interactionId: customer.interactionId, clientMsgId, text: `question ${i}` });
    await nextFrame(customer.ws, (f) => f.type === 'chat.message' && f.clientMsgId === clientMsgId);
    out.customer.push(performance.now() - t);
    t = performance.now();
    await roundTrip(agent, `${tag}-ping-${i}`);
    out.agent.push(performance.now() - t);
  }
  return out;
}

/**
 * A flooding customer in a worker thread (plain JS evaluated there; `ws` from this project): sends
 * until stopped, reconnecting after each close, and counts what the server answered.
 */
function startFlood(url: string, token: string, interactionId: string): { pause(paused: boolean): void; stop(): Promise<{ sent: number; refused: number; retryAfterSeen: boolean; closedForFlooding: number }> } {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const WebSocket = require(workerData.wsPath);
    const text = 'x'.repeat(3900);
    const counts = { sent: 0, refused: 0, retryAfterSeen: false, closedForFlooding: 0 };
    let running = true;
    let paused = true;
    parentPort.on('message', (m) => { if (m === 'stop') running = false; else paused = m === 'pause'; });
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    (async () => {
      while (running) {
        const ws = new WebSocket(workerData.url.replace(/^http/, 'ws') + '/ws');
        const closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
        ws.on('error', () => undefined);
        ws.on('message', (data) => {
          const f = JSON.parse(data.toString());
          if (f.type === 'error' && f.code === 'rate_limited') { counts.refused++; if (f.retryAfterMs > 0) counts.retryAfterSeen = true; }
        });
        await new Promise((resolve) => { ws.once('open', resolve); ws.once('close', resolve); });
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'hello', protocol: workerData.protocol, token: workerData.token }));
        while (running && ws.readyState === WebSocket.OPEN) {
          if (paused) { await sleep(5); continue; }
          for (let i = 0; i < 10; i++) ws.send(JSON.stringify({ type: 'chat.send', interactionId: workerData.interactionId, clientMsgId: 'flood-' + counts.sent++, text }));
          await sleep(10);
        }
        if (ws.readyState === WebSocket.OPEN) ws.close();
        const code = await Promise.race([closed, sleep(2000).then(() => 0)]);
        if (code === workerData.rateLimitedClose) counts.closedForFlooding++;
      }
      parentPort.postMessage(counts);
    })();
  `;
  const worker = new Worker(code, {
    eval: true,
    workerData: { url, token, interactionId, protocol: PROTOCOL_VERSION, rateLimitedClose: WsClose.rateLimited, wsPath: createRequire(import.meta.url).resolve('ws') },
  });
  const result = new Promise<{ sent: number; refused: number; retryAfterSeen: boolean; closedForFlooding: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    pause: (paused) => worker.postMessage(paused ? 'pause' : 'resume'),
    async stop() {
      worker.postMessage('stop');
      const counts = await result;
      await worker.terminate();
      return counts;
    },
  };
}

describe('abuse limits on the live connection', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('a flooding customer is refused after the limit while another customer and the agents keep their latency (p99 measured with and without the flood)', async () => {
    server = await startInteractionsBackend({ offerTimeoutMs: 60_000 });
    const agent1 = await connectAgent(server, 'agent1');
    const other = await connected(server, agent1, {});
    const agent2 = await connectAgent(server, 'agent2');

    // The flooder queues; nobody answers (the offer goes unanswered).
    const flooder = await connectCustomer(server, { customer: { name: 'Flo Oder' } });
    // Baseline and flood in alternating blocks, so whatever else the machine is doing weighs on both alike.
    const BLOCKS = 8;
    const ROUNDS = 20 * BLOCKS;
    await measure(other, agent2.ws, 10, 'warm');
    // The flood, from another thread (as from another machine: its own CPU, not the server's event
    // loop): 3,900-character messages, 10 every 10 ms (the flood: 400 in 412 ms),
    // reconnecting at once whenever the server closes the socket.
    const flood = startFlood(server.url, flooder.token, flooder.interactionId);
    await flooder.ws.close();
    const base = { customer: [] as number[], agent: [] as number[] };
    const during = { customer: [] as number[], agent: [] as number[] };
    for (let b = 0; b < BLOCKS; b++) {
      flood.pause(true);
      const quiet = await measure(other, agent2.ws, ROUNDS / BLOCKS, `base${b}`);
      flood.pause(false);
      // Let the flood get going before measuring under it.
      await new Promise((r) => setTimeout(r, 200));
      const loud = await measure(other, agent2.ws, ROUNDS / BLOCKS, `flood${b}`);
      base.customer.push(...quiet.customer);
      base.agent.push(...quiet.agent);
      during.customer.push(...loud.customer);
      during.agent.push(...loud.agent);
    }
    const { sent, refused: refusalCount, retryAfterSeen, closedForFlooding } = await flood.stop();
    const refusals = { length: refusalCount };

    const figures = {
      customerP99: { base: Math.round(p99(base.customer) * 10) / 10, flood: Math.round(p99(during.customer) * 10) / 10 },
      agentP99: { base: Math.round(p99(base.agent) * 10) / 10, flood: Math.round(p99(during.agent) * 10) / 10 },
      floodFramesSent: sent,
      refused: refusals.length,
      closedForFlooding,
      storedFromFlooder: await storedFrom(server, flooder.interactionId),
      slowest: { base: top(base.customer), flood: top(during.customer) },
    };
    console.log('abuse-limits flood figures (ms):', JSON.stringify(figures));

    // The flood was refused: rate_limited with a wait, and at most the pre-answer cap was stored.
    expect(sent).toBeGreaterThan(400);
    expect(refusals.length).toBeGreaterThan(0);
    expect(retryAfterSeen).toBe(true);
    expect(figures.storedFromFlooder).toBeLessThanOrEqual(server.config.queuedMaxMessages);
    expect(closedForFlooding).toBeGreaterThan(0);
    // Everyone else was served as before: p99 within twice the baseline or 20 ms more.
    const bound = (b: number) => Math.max(2 * b, b + 20);
    expect(p99(during.customer)).toBeLessThanOrEqual(bound(p99(base.customer)));
    expect(p99(during.agent)).toBeLessThanOrEqual(bound(p99(base.agent)));
    // And every message of the other customer was stored, once.
    expect(await storedFrom(server, other.interactionId)).toBe(10 + 2 * ROUNDS);
    void agent1;
  }, 90_000);

  it('a queued customer may send only the pre-answer cap; more is refused until an agent answers', async () => {
    server = await startInteractionsBackend({ queuedMaxMessages: 3, queuedMaxBytes: 64 * 1024 });
    const customer = await connectCustomer(server);
    for (let i = 1; i <= 4; i++) customer.ws.send({ type: 'chat.send', interactionId: customer.interactionId, clientMsgId: `m${i}`, text: `still there? ${i}`, id: `r${i}` });
    const refused = await nextFrame<ServerMessageOf<'error'>>(customer.ws, isErrorRef('rate_limited', 'r4'));
    expect(refused.message).toMatch(/up to 3 messages .* before an agent answers/);
    expect(await storedFrom(server, customer.interactionId)).toBe(3);

    // Bytes count too: one long message over the byte cap is refused on its own.
    await server.close();
    server = await startInteractionsBackend({ queuedMaxMessages: 10, queuedMaxBytes: 1024 });
    const wordy = await connectCustomer(server);
    wordy.ws.send({ type: 'chat.send', interactionId: wordy.interactionId, clientMsgId: 'long', text: 'y'.repeat(1500), id: 'long' });
    await nextFrame(wordy.ws, isErrorRef('rate_limited', 'long'));
    expect(await storedFrom(server, wordy.interactionId)).toBe(0);

    // Once an agent answers, the customer writes freely again.
    const agent = await connectAgent(server, 'agent1');
    await nextFrame(agent.ws, isOffer(wordy.interactionId));
    agent.ws.send({ type: 'offer.accept', interactionId: wordy.interactionId });
    await nextFrame(agent.ws, (f) => f.type === 'interaction.opened');
    wordy.ws.send({ type: 'chat.send', interactionId: wordy.interactionId, clientMsgId: 'long2', text: 'y'.repeat(1500) });
    await nextFrame(wordy.ws, (f) => f.type === 'chat.message' && f.clientMsgId === 'long2');
  });

  it('an interaction holds at most its cap of messages; the next is refused as too large', async () => {
    server = await startInteractionsBackend({ interactionMaxMessages: 4 });
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent);
    for (let i = 1; i <= 4; i++) {
      const sender = i % 2 ? customer.ws : agent.ws;
      sender.send({ type: 'chat.send', interactionId: customer.interactionId, clientMsgId: `c${i}`, text: `line ${i}` });
      await nextFrame(sender, (f) => f.type === 'chat.message' && f.clientMsgId === `c${i}`);
    }
    agent.ws.send({ type: 'chat.send', interactionId: customer.interactionId, clientMsgId: 'c5', text: 'one more', id: 'five' });
    const refused = await nextFrame<ServerMessageOf<'error'>>(agent.ws, isErrorRef('payload_too_large', 'five'));
    expect(refused.message).toMatch(/limit of 4 messages/);
    expect(await storedFrom(server, customer.interactionId)).toBe(4);
  });

  it('one connection sending faster than its rate gets rate_limited with retryAfterMs; it is served again after waiting', async () => {
    server = await startInteractionsBackend({ wsMessageBurst: 5, wsMessagesPerSecond: 5 });
    const agent = await connectAgent(server, 'agent1');
    for (let i = 0; i < 8; i++) agent.ws.send({ type: 'ping', id: `burst-${i}` });
    const refused = await nextFrame<ServerMessageOf<'error'>>(agent.ws, isErrorRef('rate_limited'));
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.message).toMatch(/Too many messages from this connection/);
    // The burst (hello and four pings) was served, the rest refused with that one frame.
    await waitFor(() => agent.ws.frames.filter((f) => f.type === 'pong').length === 4, 2000, 'four pongs');
    expect(agent.ws.frames.filter((f) => f.type === 'error')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, (refused.retryAfterMs ?? 0) + 50));
    await roundTrip(agent.ws);
  });

  it('sockets per address are capped: the next one is refused with close 4429 and a readable reason', async () => {
    server = await startInteractionsBackend({ wsSocketsPerAddress: 3 });
    const open = [await wsConnect(server.url), await wsConnect(server.url), await wsConnect(server.url)];
    const extra = await wsConnect(server.url);
    const { code } = await extra.closed;
    expect(code).toBe(WsClose.rateLimited);
    expect(extra.frames).toEqual([expect.objectContaining({ type: 'error', code: 'rate_limited', message: expect.stringMatching(/at most 3/) })]);
    // Closing one frees its slot.
    await open[0]!.close();
    await waitFor(async () => {
      const again = await wsConnect(server.url);
      const ok = again.ws.readyState === again.ws.OPEN;
      await new Promise((r) => setTimeout(r, 50));
      const stillOpen = again.ws.readyState === again.ws.OPEN;
      if (!stillOpen) return false;
      again.send({ type: 'hello', protocol: PROTOCOL_VERSION, token: 'vd_nope' });
      return ok;
    }, 3000, 'a socket after one closed');
  });
});
