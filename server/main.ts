import { loadConfig } from './config';
import { createServer } from './app';
import { DEMO_PASSWORD, DEMO_USERS } from './modules/users/demo-org';

/** Entry point: `npm run server` (or `npm start`, which also builds and opens the desktop app). */
async function main(): Promise<void> {
  const config = loadConfig();
  const server = await createServer(config);
  const address = await server.app.listen({ port: config.port, host: config.host });
  const base = address.replace('://127.0.0.1', '://localhost');
  // Several nodes: join them now that others can reach this one (no-op without VEILDESK_REDIS_URL).
  if (server.cluster && /:\/\/(0\.0\.0\.0|\[::\])/.test(address) && !config.nodeUrl) {
    throw new Error('listening on all interfaces with VEILDESK_REDIS_URL: set VEILDESK_NODE_URL to the address the other nodes reach this one at');
  }
  await server.listening(address, { onLeaseLost: () => process.exit(75) });

  const lines = [`Veildesk backend ${config.mode} on ${base}`, `  web agent:  ${base}/`, `  widget:     ${base}/widget/`, `  health:     ${base}/api/health`, `  data dir:   ${config.dataDir}${config.databaseUrl ? ' (database: PostgreSQL)' : ''}`, `  recordings: ${config.s3 ? `s3 bucket ${config.s3.bucket} at ${config.s3.endpoint ?? `AWS ${config.s3.region}`}` : 'in the data dir'}`];
  if (server.cluster) lines.push(`  cluster:    node ${server.cluster.nodeId} (Redis; the routing lease decides which node serves)`);
  if (config.seedDemo) {
    lines.push(server.seeded ? '  demo org seeded. Accounts (password "demo"):' : '  demo accounts (password "demo", unless changed):');
    for (const u of DEMO_USERS) lines.push(`    ${u.username.padEnd(8)} ${u.role}`);
    void DEMO_PASSWORD;
  } else {
    lines.push('  no demo users. Create the first admin with: npm run user -- create --username admin --role admin');
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Veildesk backend failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
