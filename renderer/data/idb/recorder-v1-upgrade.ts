import { RECORDER_DB } from './databases';

/**
 * The recorder queue's one upgrade Dexie cannot express: native version 1 keyed chunks by
 * (recording, seq); version 2 keys them by (recording, segment, seq), the old ones becoming
 * segment 0. Raw IndexedDB, in the versionchange transaction, so the chunks move all or not at all.
 */
export function upgradeRecorderV1(idb: IDBFactory): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = idb.open(RECORDER_DB.name, Math.round(RECORDER_DB.version * 10));
    req.onupgradeneeded = (event) => {
      const d = req.result;
      const tx = req.transaction!;
      // Only the first layout is moved here; a new or unknown database is left to Dexie.
      if (event.oldVersion !== 1 || !d.objectStoreNames.contains('chunks')) return tx.abort();
      const all = tx.objectStore('chunks').getAll() as IDBRequest<{ segment?: number }[]>;
      all.onsuccess = () => {
        d.deleteObjectStore('chunks');
        const store = d.createObjectStore('chunks', { keyPath: ['recordingId', 'segment', 'seq'] });
        for (const c of all.result) store.put({ ...c, segment: c.segment ?? 0 });
      };
    };
    req.onsuccess = () => {
      req.result.close();
      resolve();
    };
    req.onerror = () => reject(req.error ?? new Error('The recorder queue could not be upgraded.'));
  });
}
