import type { TestBackend } from './helpers';

/** Shared by the reports*.test.ts files. */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Midnight UTC three days ago: seeded data stays well inside every retention window. */
export function reportDay(): number {
  return Math.floor(Date.now() / DAY_MS) * DAY_MS - 3 * DAY_MS;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** The demo agents' ids and usernames, as seeds and the by-agent rows name them. */
export async function demoAgents(server: TestBackend): Promise<Record<'agent1' | 'agent2' | 'agent3', { id: string; username: string }>> {
  const rows = await server.db.kysely.selectFrom('users').select(['id', 'username']).where('role', '=', 'agent').execute();
  const by = (name: string) => {
    const row = rows.find((r) => r.username === name);
    if (!row) throw new Error(`no ${name} in the demo org`);
    return { id: row.id, username: row.username };
  };
  return { agent1: by('agent1'), agent2: by('agent2'), agent3: by('agent3') };
}

/** `?from=…&to=…&by=…` */
export function rangeQuery(from: number, to: number, by: string): string {
  return `?from=${encodeURIComponent(iso(from))}&to=${encodeURIComponent(iso(to))}&by=${encodeURIComponent(by)}`;
}
