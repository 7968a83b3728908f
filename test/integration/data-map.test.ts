import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncEntityKind } from '../../shared/api/sync';
import type { TableMapEntry } from '../../server/kernel/data-map';
import { DATA_MAP } from '../../server/modules/privacy/data-map';
import { startBackend, type TestBackend } from './helpers';

/**
 * The privacy data map against the real, migrated database: every table and column is classified
 * (personal or not), nothing in the map is stale, and every store of personal data says how a
 * person's data is found there, what an erasure does and which retention purges it.
 */
describe('privacy data map', () => {
  let server: TestBackend;
  let schema: Map<string, string[]>;
  const tables = DATA_MAP.flatMap((m) => m.tables);

  beforeAll(async () => {
    server = await startBackend();
    // Kysely's introspection reads SQLite's and PostgreSQL's catalogs alike (without its own migration tables).
    schema = new Map();
    for (const table of await server.db.kysely.introspection.getTables()) schema.set(table.name, table.columns.map((c) => c.name).sort());
  });
  afterAll(() => server?.close());

  it('classifies every table and column of the database, and nothing that is not there', () => {
    expect(schema.size).toBeGreaterThanOrEqual(20);
    const unclassified: string[] = [];
    for (const [table, columns] of schema) {
      const entry = tables.find((t) => t.table === table);
      if (!entry) unclassified.push(`${table} (whole table)`);
      else for (const c of columns) if (!(c in entry.columns)) unclassified.push(`${table}.${c}`);
    }
    expect(unclassified, 'add these to the owning module’s data-map.ts').toEqual([]);
    const stale = tables.flatMap((t) => (schema.has(t.table) ? Object.keys(t.columns).filter((c) => !schema.get(t.table)!.includes(c)).map((c) => `${t.table}.${c}`) : [`${t.table} (whole table)`]));
    expect(stale).toEqual([]);
    expect(new Set(tables.map((t) => t.table)).size).toBe(tables.length);
  });

  it('says, for every store with personal data, how it is found, erased and purged by age', () => {
    const incomplete = (t: TableMapEntry): string | null => {
      const personal = Object.values(t.columns).some((c) => c === 'personal' || c === 'secret');
      if (!personal) return null;
      if (t.subject === 'none') return `${t.table}: personal columns but no subject`;
      if (!t.find || !(t.find.interactionColumn || t.find.userColumn)) return `${t.table}: no way to find a person's rows`;
      if (!t.erase) return `${t.table}: no erase rule`;
      if (t.erase.kind === 'clear' && t.erase.columns.some((c) => !(c in t.columns))) return `${t.table}: clears unknown columns`;
      if (!t.retention) return `${t.table}: no retention class`;
      return null;
    };
    expect(tables.map(incomplete).filter(Boolean)).toEqual([]);
    for (const f of DATA_MAP.flatMap((m) => m.files ?? [])) expect(f.erase.kind, f.location).not.toBe('keep');
  });

  it('covers every kind of record synced into local caches', () => {
    const mapped = DATA_MAP.flatMap((m) => m.localCache ?? []).map((l) => l.kind);
    for (const kind of SyncEntityKind.options) expect(mapped, `local cache kind ${kind}`).toContain(kind);
  });
});
