import type { Page } from '@playwright/test';

/** Every value of every store of the user's local database, as text (bytes as latin1). */
export function dumpLocalDb(page: Page) {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('veildesk-data:'));
    const texts: string[] = [];
    let rows = 0;
    const walk = (v: unknown): void => {
      if (v instanceof Uint8Array || v instanceof ArrayBuffer) {
        const bytes = v instanceof Uint8Array ? v : new Uint8Array(v);
        let s = '';
        for (const b of bytes) s += String.fromCharCode(b);
        texts.push(s);
      } else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
      else texts.push(String(v));
    };
    for (const name of names) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        rows += all.length;
        walk(all);
      }
      db.close();
    }
    return { names, rows, text: texts.join('\n') };
  });
}
