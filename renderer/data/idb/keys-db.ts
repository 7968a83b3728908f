import Dexie, { type Table } from 'dexie';
import { type IdbEnv, KEYS_DB, dexieOptions } from './databases';

export interface KeyRow {
  scope: string;
  key: CryptoKey;
}

/** The web build's key store (KEYS_DB). */
export class KeysDb extends Dexie {
  keys!: Table<KeyRow, string>;

  constructor(env: IdbEnv = {}) {
    super(KEYS_DB.name, dexieOptions(env));
    this.version(KEYS_DB.version).stores(KEYS_DB.stores);
  }
}
