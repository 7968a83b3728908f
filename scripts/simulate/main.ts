import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_PORT } from '../../shared/version';
import { SimulatedCustomer } from './simulated-customer';

/**
 * `npm run simulate -- --chats N --calls M [--server URL] [--messages K] [--interval-ms T]`
 * Starts simulated customers against a running server: chats send K lines (one every T ms) once an
 * agent answers; calls play a 440 Hz tone over real WebRTC until the agent hangs up or Ctrl+C.
 */
const Options = z.object({
  server: z.url().default(`http://localhost:${DEFAULT_PORT}`),
  chats: z.coerce.number().int().min(0).max(1000).default(1),
  calls: z.coerce.number().int().min(0).max(100).default(0),
  messages: z.coerce.number().int().min(0).max(10_000).default(5),
  intervalMs: z.coerce.number().int().min(10).max(60_000).default(2000),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      server: { type: 'string' },
      chats: { type: 'string' },
      calls: { type: 'string' },
      messages: { type: 'string' },
      'interval-ms': { type: 'string' },
    },
  });
  const parsed = Options.safeParse({ ...values, intervalMs: values['interval-ms'] });
  if (!parsed.success) {
    throw new Error(`${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\nUsage: npm run simulate -- --chats N --calls M [--server URL]`);
  }
  const opts = parsed.data;
  const customers: SimulatedCustomer[] = [];
  const log = (c: SimulatedCustomer, text: string) => process.stdout.write(`[${c.kind} ${c.interactionId.slice(0, 8)}] ${text}\n`);

  for (let i = 0; i < opts.chats + opts.calls; i++) {
    const kind = i < opts.chats ? 'chat' : 'call';
    const customer = new SimulatedCustomer(opts.server, kind, { name: `Sim ${kind} ${i + 1}` });
    customers.push(customer);
    customer.on((e) => {
      if (e.kind === 'state') log(customer, `state ${e.state}${e.detail ? ` (${e.detail})` : ''}`);
      if (e.kind === 'message' && e.message.from === 'agent') log(customer, `agent: ${e.message.text}`);
      if (e.kind === 'error') log(customer, `error ${e.message}`);
    });
    await customer.start();
    if (kind === 'chat') {
      void customer.waitForState('connected', 24 * 3600_000).then(async () => {
        for (let n = 1; n <= opts.messages && customer.state === 'connected'; n++) {
          await customer.say(`Simulated message ${n} of ${opts.messages}`);
          await new Promise((r) => setTimeout(r, opts.intervalMs));
        }
      });
    }
  }
  process.stdout.write(`Started ${opts.chats} chat(s) and ${opts.calls} call(s) against ${opts.server}. Ctrl+C ends them.\n`);
  const stop = () => {
    for (const c of customers) c.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`simulate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
