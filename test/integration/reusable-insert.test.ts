import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type Db } from '../../server/db/database';
import { ReusableInsert } from '../../server/db/reusable-insert';
import type { SyncChangesTable } from '../../server/db/schema';
import { dropTestDatabase, testDatabaseFor } from '../support/test-database';

/**
 * The cached multi-row insert (the chat's hot write) on the database under test (SQLite, or
 * PostgreSQL with VEILDESK_TEST_DATABASE=postgres): what it stores is what was given, whatever the
 * batch size, reused or split, and a failing statement fails as Kysely's own would.
 */
const COLUMNS = ['seq', 'kind', 'entity_id', 'interaction_id', 'op', 'version', 'reason', 'at'] as const;

const row = (seq: number, extra: Partial<SyncChangesTable> = {}): SyncChangesTable => ({
  seq,
  kind: 'message',
  entity_id: `entity-${seq}`,
  interaction_id: seq % 2 ? `interaction-${seq}` : null,
  op: 'upsert',
  version: seq,
  reason: seq % 3 ? null : 'erased',
  at: new Date(1_700_000_000_000 + seq).toISOString(),
  ...extra,
});

describe('ReusableInsert', () => {
  let dataDir: string;
  let db: Db;
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-reusable-insert-'));
    db = openDatabase({ dataDir, databaseUrl: await testDatabaseFor(dataDir, 'empty') });
    await migrateToLatest(db);
  });
  afterEach(async () => {
    await db.close();
    await dropTestDatabase(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const stored = async () => (await db.kysely.selectFrom('sync_changes').selectAll().orderBy('seq').execute()).map((r) => ({ ...r, seq: Number(r.seq), version: Number(r.version) }));

  it('stores every row as given, for new, repeated and split batch sizes', async () => {
    const insert = new ReusableInsert<'sync_changes', SyncChangesTable>('sync_changes', COLUMNS, 10);
    const batches = [[row(1)], [row(2), row(3), row(4)], [row(5), row(6), row(7)], Array.from({ length: 25 }, (_, i) => row(8 + i))];
    for (const batch of batches) await insert.execute(db.kysely, batch);
    expect(await stored()).toEqual(batches.flat());
  });

  it('stores an absent optional column as null', async () => {
    const insert = new ReusableInsert<'sync_changes', SyncChangesTable>('sync_changes', COLUMNS);
    const { reason: _reason, ...withoutReason } = row(3);
    await insert.execute(db.kysely, [withoutReason as SyncChangesTable]);
    expect(await stored()).toEqual([{ ...row(3), reason: null }]);
  });

  it('a failing batch stores none of its rows inside its transaction, and the next batch of that size still works', async () => {
    const insert = new ReusableInsert<'sync_changes', SyncChangesTable>('sync_changes', COLUMNS);
    await insert.execute(db.kysely, [row(1), row(2)]);
    // entity_id is unique per kind: the second row collides with row 1.
    const failing = db.kysely.transaction().execute((trx) => insert.execute(trx, [row(3), row(4, { entity_id: 'entity-1' })]));
    await expect(failing).rejects.toThrow();
    await insert.execute(db.kysely, [row(5), row(6)]);
    expect((await stored()).map((r) => r.seq)).toEqual([1, 2, 5, 6]);
  });
});
