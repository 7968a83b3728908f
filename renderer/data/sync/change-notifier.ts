import Dexie, { type ObservabilitySet, RangeSet } from 'dexie';
import { type LocalDb } from '../db';

/**
 * Tells live queries (in every tab and worker, through Dexie's storagemutated event) that tables
 * changed, for writes made with plain IndexedDB (sync/page-writer.ts), which Dexie does not see.
 * At most once per `intervalMs`: during a backfill every page would otherwise make each open
 * view re-read and re-decrypt what it shows, competing with the backfill's own writes. `urgent`
 * (e.g. the last page) tells at once.
 */
export class ChangeNotifier {
  private readonly tables = new Set<string>();
  private last = -Infinity;
  private timer: unknown = null;

  constructor(
    private readonly db: LocalDb,
    private readonly o: {
      intervalMs?: number;
      now?: () => number;
      setTimer?: (fn: () => void, ms: number) => unknown;
      clearTimer?: (handle: unknown) => void;
      /** What to fire; Dexie's global storagemutated event unless a test listens instead. */
      fire?: (parts: ObservabilitySet) => void;
    } = {},
  ) {}

  changed(tables: readonly string[], urgent = false): void {
    for (const t of tables) this.tables.add(t);
    if (this.tables.size === 0) return;
    const interval = this.o.intervalMs ?? 1000;
    const now = (this.o.now ?? Date.now)();
    if (urgent || now - this.last >= interval) {
      this.flush();
      return;
    }
    if (this.timer === null) {
      this.timer = (this.o.setTimer ?? setTimeout)(() => {
        this.timer = null;
        this.flush();
      }, this.last + interval - now);
    }
  }

  /** Tells what is pending now. */
  flush(): void {
    if (this.timer !== null) {
      (this.o.clearTimer ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>);
      this.timer = null;
    }
    if (this.tables.size === 0) return;
    const parts: ObservabilitySet = {};
    for (const name of this.tables) {
      // Every key and index of the table, whole ranges: what Dexie itself reports for a bulk write.
      const schema = this.db.table(name).schema;
      for (const index of ['', ':dels', ...schema.indexes.map((i) => i.name)]) parts[`idb://${this.db.name}/${name}/${index}`] = new RangeSet(-Infinity, [[]]);
    }
    this.tables.clear();
    this.last = (this.o.now ?? Date.now)();
    (this.o.fire ?? ((p) => Dexie.on.storagemutated.fire(p)))(parts);
  }
}
