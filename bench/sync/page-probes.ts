/**
 * Scripts run inside the app's page. Kept as strings: the page runs the built app, not this
 * module, and tsx's helpers do not exist there.
 */

/** Installed before the app loads: long tasks, event-loop gaps, and when the milestones appear in the DOM. */
export const INSTRUMENT = `(() => {
  const b = (window.__bench = { longtasks: [], frames: [], gaps: [], t: {}, rows: 0 });
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) b.longtasks.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: true });
  } catch (e) { b.noLongtask = String(e); }
  // Long animation frames name the scripts that ran in them: where a long task came from.
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const scripts = (e.scripts || []).map((s) => [s.invoker || s.invokerType, Math.round(s.duration), Math.round(s.forcedStyleAndLayoutDuration || 0)].join(' ')).join('; ');
        b.frames.push([e.startTime, e.duration, Math.round(e.blockingDuration || 0), Math.round(e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0), scripts]);
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {}
  let last = performance.now();
  setInterval(() => { const now = performance.now(); b.gaps.push([now, now - last]); last = now; }, 10);
  document.addEventListener('click', (e) => {
    const el = e.target && e.target.closest && e.target.closest('[data-testid="login-submit"]');
    if (el && !b.t.click) b.t.click = performance.now();
  }, true);
  const check = () => {
    const t = performance.now();
    if (!b.t.shell && document.querySelector('[data-testid="signout"]')) {
      b.t.shell = t;
      const nav = document.querySelector('[data-testid="nav-history"]');
      if (nav) nav.click();
    }
    if (!b.t.rows200 && document.querySelectorAll('[data-testid="history-row"]').length >= 200) b.t.rows200 = t;
    const s = document.querySelector('[data-testid="sync-status"]');
    if (s) {
      const done = s.getAttribute('data-backfill-done');
      if (!b.t.backfillStart && done === 'false') b.t.backfillStart = t;
      if (!b.t.backfillDone && done === 'true' && b.t.backfillStart) {
        b.t.backfillDone = t;
        b.rows = Number(s.getAttribute('data-backfill-total'));
      }
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-backfill-done'] });
})();`;

/**
 * Copies every row the app stored (the same rows, ciphertext included) into a fresh database with
 * the same stores and indexes, with plain IndexedDB puts in transactions of 1,000, and times it.
 */
export const RAW_PUTS = `(async () => {
  const req = (r) => new Promise((res, rej) => { r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
  const name = (await indexedDB.databases()).map((d) => d.name).find((n) => n && n.startsWith('veildesk-data:'));
  const src = await req(indexedDB.open(name));
  const stores = ['interactions', 'contacts', 'messages', 'wrapups', 'queues', 'settings'];
  const rows = {};
  const shapes = {};
  for (const s of stores) {
    const os = src.transaction(s).objectStore(s);
    shapes[s] = { keyPath: os.keyPath, autoIncrement: os.autoIncrement, indexes: Array.from(os.indexNames).map((i) => { const ix = os.index(i); return [i, ix.keyPath, ix.unique, ix.multiEntry]; }) };
    rows[s] = await req(os.getAll());
  }
  src.close();
  const rawName = 'bench-raw-' + Date.now();
  const open = indexedDB.open(rawName, 1);
  open.onupgradeneeded = () => {
    for (const s of stores) {
      const os = open.result.createObjectStore(s, { keyPath: shapes[s].keyPath, autoIncrement: shapes[s].autoIncrement });
      for (const [i, kp, unique, multiEntry] of shapes[s].indexes) os.createIndex(i, kp, { unique, multiEntry });
    }
  };
  const raw = await req(open);
  let total = 0;
  const t0 = performance.now();
  for (const s of stores) {
    const list = rows[s];
    for (let i = 0; i < list.length; i += 1000) {
      const tx = raw.transaction(s, 'readwrite');
      const os = tx.objectStore(s);
      for (const row of list.slice(i, i + 1000)) os.put(row);
      await new Promise((res, rej) => { tx.oncomplete = res; tx.onerror = () => rej(tx.error); tx.onabort = () => rej(tx.error); });
      total += Math.min(1000, list.length - i);
    }
  }
  const ms = performance.now() - t0;
  raw.close();
  await req(indexedDB.deleteDatabase(rawName));
  return { rows: total, ms, perStore: Object.fromEntries(stores.map((s) => [s, rows[s].length])) };
})()`;
