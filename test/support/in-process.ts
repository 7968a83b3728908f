import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer, type VeildeskServer } from '../../server/app';
import { loadConfig, type ServerConfig } from '../../server/config';
import { testDatabaseFor } from './test-database';

/**
 * Tests sign in hundreds of times: they hash at 2^14 instead of production's 2^17 (8 times less
 * memory and time). test/unit/server/passwords.test.ts checks the production default.
 */
export const TEST_SCRYPT_N = String(1 << 14);

export interface InProcessServer extends VeildeskServer {
  url: string;
  dataDir: string;
  config: ServerConfig;
}

/**
 * The real backend in this process on a free port with a fresh data dir: for integration tests.
 * With VEILDESK_TEST_DATABASE=postgres its database is the data dir's own PostgreSQL database
 * (test-database.ts), so a restart on the same data dir finds the same data, as on SQLite.
 */
export async function startInProcess(overrides: Partial<ServerConfig> = {}, argv: string[] = [], extras: Parameters<typeof createServer>[1] = {}): Promise<InProcessServer> {
  const dataDir = overrides.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-int-'));
  const databaseUrl = overrides.databaseUrl ?? (await testDatabaseFor(dataDir));
  const config = { ...loadConfig({ VEILDESK_DATA_DIR: dataDir, LOG_LEVEL: 'silent', VEILDESK_MEDIA_WORKERS: '0', VEILDESK_PASSWORD_SCRYPT_N: TEST_SCRYPT_N }, argv), port: 0, ...overrides, dataDir, databaseUrl };
  const server = await createServer(config, extras);
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...server, url: address, dataDir, config };
}
