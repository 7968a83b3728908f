import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createFieldCipher, generateLocalKey } from '../../../renderer/data/crypto/field-cipher';
import { LocalDb } from '../../../renderer/data/db';

// Dexie's liveQuery runs only where a global IndexedDB exists (Node has none); each test still
// opens its databases on its own factory below.
Dexie.dependencies.indexedDB ??= new IDBFactory();
Dexie.dependencies.IDBKeyRange ??= IDBKeyRange;

/** A fresh in-memory IndexedDB per test, so tests never see each other's data. */
export function freshIdb() {
  return { indexedDB: new IDBFactory(), IDBKeyRange };
}

export async function openTestDb(name = 'veildesk-data:u1@test') {
  const idb = freshIdb();
  const db = new LocalDb(name, idb);
  await db.open();
  const cipher = createFieldCipher(await generateLocalKey());
  return { db, cipher, idb };
}

/** Every stored value of every table, as text (bytes as latin1), to look for plaintext. */
export async function dumpAll(db: LocalDb): Promise<string> {
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8Array) parts.push(Buffer.from(v).toString('latin1'));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    else parts.push(String(v));
  };
  for (const table of db.tables) walk(await table.toArray());
  return parts.join('\n');
}
