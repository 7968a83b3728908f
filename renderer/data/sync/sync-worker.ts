// Keep first: configures zod before any shared schema is constructed.
import '../../zod-setup';
import { createFieldCipher } from '../crypto/field-cipher';
import { LocalDb } from '../db';
import { SyncHost } from './sync-host';
import { httpSyncTransport } from './transport';
import { type SyncWorkerCommand, type SyncWorkerEvent } from './worker-protocol';

/**
 * The sync engine off the page's main thread: fetching, validating, sealing and writing the
 * backfill here keeps typing in the app smooth. The page sees the writes through Dexie's live
 * queries (they cross contexts) and only sends nudges.
 */

const post = (event: SyncWorkerEvent) => (self as unknown as Worker).postMessage(event);
let host: SyncHost | null = null;
let db: LocalDb | null = null;

self.onmessage = (event: MessageEvent<SyncWorkerCommand>) => {
  const command = event.data;
  switch (command.type) {
    case 'start': {
      if (host) return;
      db = new LocalDb(command.dbName);
      host = new SyncHost({
        db,
        cipher: createFieldCipher(command.key),
        transport: httpSyncTransport({ baseUrl: command.serverUrl, token: command.token }),
        lockName: command.lockName,
        onUnauthenticated: () => post({ type: 'unauthenticated' }),
        onLeader: (leading) => post({ type: 'leader', leading }),
        log: (message, detail) => post({ type: 'log', message, detail: detail === undefined ? undefined : String(detail) }),
      });
      host.start();
      return;
    }
    case 'nudge':
      host?.nudge(command.cursor);
      return;
    case 'online':
      host?.online();
      return;
    case 'stop':
      host?.stop();
      host = null;
      // Let the page delete the database (wipe) without waiting for this connection.
      db?.close();
      self.close();
      return;
  }
};
